"""Connecting, migrating and transactions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, bindparam, inspect, select

from kyodaku.store import db
from kyodaku.store.db import (
    DatabaseConfigError,
    alembic_config,
    current_revision,
    make_engine,
    migrate,
    resolve_database_url,
    session_scope,
)
from kyodaku.store.tables import claims, metadata
from kyodaku.store.types import ExactDecimal

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrate_creates_every_table_and_is_idempotent(blank_engine: Engine) -> None:
    assert current_revision(blank_engine) is None
    migrate(blank_engine)
    migrate(blank_engine)  # a second run finds nothing to do
    assert current_revision(blank_engine) == HEAD
    tables = set(inspect(blank_engine).get_table_names())
    assert set(metadata.tables) <= tables


def test_migrations_match_the_table_definitions(db_engine: Engine) -> None:
    """tables.py and the migrations describe the same schema (no migration forgotten)."""
    with db_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_migration_scripts_are_found_by_path_not_by_ini() -> None:
    location = Path(alembic_config().get_main_option("script_location"))
    assert (location / "env.py").is_file()
    assert list((location / "versions").glob("0001_*.py"))


def test_session_scope_commits_or_rolls_back(db_engine: Engine) -> None:
    row = {
        "id": "01JQ00000000000000000000C1",
        "rights_holder_id": "rh-1",
        "asset_id": "c-1",
        "state": "received",
        "reason": "copy",
        "created_at": datetime.now(UTC),
        "evidence": [],
        "row_version": 1,
    }
    with pytest.raises(RuntimeError, match="boom"), session_scope(db_engine) as session:
        session.execute(claims.insert().values(**row))
        raise RuntimeError("boom")
    with session_scope(db_engine) as session:
        assert session.execute(select(claims)).first() is None
        session.execute(claims.insert().values(**row))
    with session_scope(db_engine, read_only=True) as session:
        assert session.execute(select(claims.c.id)).scalar_one() == row["id"]


def test_times_come_back_as_aware_utc(db_engine: Engine) -> None:
    tokyo = timezone(timedelta(hours=9))
    moment = datetime(2025, 4, 1, 18, 0, 0, 123456, tzinfo=tokyo)
    with session_scope(db_engine) as session:
        session.execute(
            claims.insert().values(
                id="c1",
                rights_holder_id="rh",
                asset_id="a",
                state="s",
                reason="r",
                created_at=moment,
                evidence=[],
                row_version=1,
            )
        )
    with session_scope(db_engine) as session:
        stored = session.execute(select(claims.c.created_at)).scalar_one()
    assert stored == moment
    assert stored.tzinfo == UTC and stored.hour == 9 and stored.microsecond == 123456


def test_naive_times_are_refused(db_engine: Engine) -> None:
    with pytest.raises(Exception, match="naive datetime"), session_scope(db_engine) as session:
        session.execute(
            claims.insert().values(
                id="c1",
                rights_holder_id="rh",
                asset_id="a",
                state="s",
                reason="r",
                created_at=datetime(2025, 1, 1),
                evidence=[],
                row_version=1,
            )
        )


def test_decimals_are_exact_on_both_backends(db_engine: Engine) -> None:
    """A float anywhere on the way (SQLite's NUMERIC affinity) would lose these digits."""
    big = Decimal("123456789012.123457")
    with db_engine.connect() as connection:
        echoed = connection.execute(select(bindparam("v", big, type_=ExactDecimal()))).scalar()
    assert echoed == big and isinstance(echoed, Decimal)
    column_type, dialect = ExactDecimal(), db_engine.dialect
    assert Decimal(column_type.process_bind_param(Decimal("0.1234565"), dialect)) == Decimal(
        "0.123456"
    )  # half-even to six places
    with pytest.raises(TypeError, match="floats"):
        column_type.process_bind_param(0.1, dialect)
    with pytest.raises(ValueError, match="does not fit"):
        column_type.process_bind_param(Decimal("1e13"), dialect)


def test_sqlite_engine_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


def test_in_memory_sqlite_keeps_one_database(tmp_path: Path) -> None:
    engine = make_engine("sqlite://")
    migrate(engine)
    with session_scope(engine) as session:
        assert session.execute(select(claims)).all() == []
    engine.dispose()


def test_resolve_database_url_prefers_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYODAKU_DATABASE_URL", "postgresql://u@h/db")
    assert resolve_database_url() == "postgresql://u@h/db"


def test_resolve_database_url_defaults_to_sqlite_in_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KYODAKU_DATABASE_URL", raising=False)
    data_dir = tmp_path / "data" / "kyodaku"
    monkeypatch.setattr(db.platformdirs, "user_data_dir", lambda app: str(data_dir))
    assert resolve_database_url() == f"sqlite:///{data_dir / 'kyodaku.db'}"
    assert data_dir.is_dir()


def test_plain_postgresql_urls_use_psycopg() -> None:
    engine = make_engine("postgresql://user@localhost:1/none")
    assert engine.dialect.driver == "psycopg"
    engine = make_engine("postgres://user@localhost:1/none")
    assert engine.dialect.driver == "psycopg"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "unsupported database backend 'mysql'"),
        ("postgresql+psycopg2://u@h/db", "driver 'psycopg2' is not supported"),
        ("sqlite:////no/such/dir/k.db", "does not exist"),
    ],
)
def test_unusable_urls_fail_clearly(url: str, message: str) -> None:
    with pytest.raises(DatabaseConfigError, match=message):
        make_engine(url)


def test_read_only_sessions_refuse_writes_on_postgresql(db_engine: Engine) -> None:
    if db_engine.dialect.name != "postgresql":
        pytest.skip("SQLite read-only sessions only defer their lock (see session_scope)")
    with (
        pytest.raises(Exception, match="read-only transaction"),
        session_scope(db_engine, read_only=True) as session,
    ):
        session.execute(claims.delete())
