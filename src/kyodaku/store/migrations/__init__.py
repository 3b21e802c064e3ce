"""Alembic migrations for kyodaku's schema (run with :func:`kyodaku.store.db.migrate`).

This folder is a package only so that ``env.py`` ships in the wheel; Alembic
itself loads the scripts by path.
"""
