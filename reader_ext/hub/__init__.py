"""Class mode: a JupyterHub service that owns the class database (design, decision 8)."""
