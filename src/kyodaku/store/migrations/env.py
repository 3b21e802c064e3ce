"""Alembic environment, configured in code (there is no alembic.ini).

:func:`kyodaku.store.db.migrate` passes an open connection in
``config.attributes["connection"]``, inside a transaction it owns. Run by hand
(``alembic -x url=... upgrade head`` with a config whose ``script_location``
is this folder) it connects to ``-x url=...``, else to
:func:`kyodaku.store.db.resolve_database_url`.
"""

from __future__ import annotations

from alembic import context

from kyodaku.store.db import make_engine, resolve_database_url
from kyodaku.store.tables import metadata

config = context.config


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or resolve_database_url()


def run_offline() -> None:
    """Emit SQL instead of running it (``alembic upgrade head --sql``)."""
    context.configure(
        url=_url(),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=_url().startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.begin() as own_connection:
            _configure(own_connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
