"""Lessons: the model, loading a module or course from its files, TOML with line numbers."""
