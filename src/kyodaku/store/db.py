"""Connecting to the database: where it is, how engines are set up, migrations, sessions.

SQLite is the default (one machine, no server); PostgreSQL is for many
processes on many machines. The same tables and repositories run on both;
the differences are confined to this module:

* SQLite gets foreign keys (off by default there), WAL (readers do not wait
  for the writer) and a busy timeout, and every transaction starts with
  ``BEGIN IMMEDIATE``. Many of our transactions read then write (the ledger
  head, a claim's row version, an idempotency check); a deferred SQLite
  transaction that does so fails outright with ``SQLITE_BUSY`` when another
  writer committed in between, whereas an immediate one simply waits its turn.
  Read-only sessions (``session_scope(engine, read_only=True)``) keep a
  deferred ``BEGIN`` so they never wait for writers.
* PostgreSQL goes through psycopg 3; where we need one writer at a time (the
  ledger head, registry versions) repositories take a transaction-scoped
  advisory lock with :func:`exclusive_lock`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

#: Environment variable naming the database (an SQLAlchemy URL).
DATABASE_URL_ENV = "KYODAKU_DATABASE_URL"

#: Seconds a writer waits for SQLite's write lock before giving up.
SQLITE_BUSY_TIMEOUT_S = 30

#: Execution option that marks a session read-only (deferred BEGIN on SQLite).
_READ_ONLY = "kyodaku_read_only"

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseConfigError(RuntimeError):
    """The database URL is unusable (unknown backend, missing driver, bad path)."""


def resolve_database_url() -> str:
    """The database to use: ``$KYODAKU_DATABASE_URL``, else SQLite in the user data dir.

    The directory for the default SQLite file is created, so a first run
    works without any setup.
    """
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    data_dir = Path(platformdirs.user_data_dir("kyodaku"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'kyodaku.db'}"


def _normalise_url(url: str) -> str:
    """Route plain ``postgresql://`` (and Heroku-style ``postgres://``) through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with the per-backend settings described in the module docstring."""
    sa_url = make_url(_normalise_url(url))
    backend = sa_url.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(sa_url, echo=echo)
    if backend == "postgresql":
        if sa_url.get_driver_name() != "psycopg":
            raise DatabaseConfigError(
                f"PostgreSQL driver {sa_url.get_driver_name()!r} is not supported; "
                "use postgresql+psycopg://"
            )
        return create_engine(sa_url, echo=echo, pool_pre_ping=True)
    raise DatabaseConfigError(f"unsupported database backend {backend!r} in {sa_url!r}")


def _sqlite_engine(sa_url: Any, *, echo: bool) -> Engine:
    database = sa_url.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S}}
    if in_memory:
        # One shared connection, or every checkout would see an empty database.
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise DatabaseConfigError(f"SQLite directory {parent} does not exist")
    engine = create_engine(sa_url, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, issue BEGIN (see "begin" below);
        # this is SQLAlchemy's documented recipe for correct SQLite transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def is_postgresql(bind: Any) -> bool:
    """Whether ``bind`` (engine, connection or session) talks to PostgreSQL."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    return bind.dialect.name == "postgresql"


def _lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def exclusive_lock(session: Session, name: str) -> None:
    """Hold the lock ``name`` until the current transaction ends.

    PostgreSQL: a transaction-scoped advisory lock, so concurrent writers of
    the same thing (e.g. the ledger head) queue instead of racing. SQLite: a
    no-op, because the ``BEGIN IMMEDIATE`` transaction already excludes every
    other writer.
    """
    if is_postgresql(session):
        session.execute(select(func.pg_advisory_xact_lock(_lock_key(name))))


def alembic_config() -> Config:
    """Alembic configuration built in code, so migrations run from an installed wheel."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``; does nothing when it is already there.

    On PostgreSQL the upgrade holds an advisory lock, so several processes
    starting at once migrate one after the other instead of colliding.
    """
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(_lock_key("kyodaku.migrate"))))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (``None`` before the first migration)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def session_scope(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises.

    ``read_only`` is for sessions that only read: a deferred transaction on
    SQLite (it never queues behind writers) and a READ ONLY one on PostgreSQL
    (where writing in it fails). Do not write in one on SQLite either: a
    deferred transaction that reads and then writes can fail with
    ``database is locked`` instead of waiting.
    """
    options = {_READ_ONLY: True, "postgresql_readonly": True} if read_only else {}
    session = Session(engine, expire_on_commit=False)
    try:
        if options:
            session.connection(execution_options=options)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
