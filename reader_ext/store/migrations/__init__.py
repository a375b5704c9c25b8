"""Alembic migrations of the annotation store, run by the store itself when it opens a database.

``env.py`` runs them on the connection the store hands over (``config.attributes["connection"]``),
inside the store's own locked transaction; there is no ``alembic.ini``. To add one, write
``versions/NNNN_what.py`` with ``down_revision`` the previous head and append its revision to
:data:`reader_ext.store.schema.REVISIONS` (and change :mod:`reader_ext.store.schema` to match).
"""
