"""Shared fixtures: the shared benchmark set, and databases on both backends.

Database fixtures, each test on a fresh database: SQLite always, PostgreSQL when available.

``db_engine`` is a migrated engine on an empty database, parametrised over
both backends; the PostgreSQL variant is marked ``postgres`` and skipped (with
the reason) unless ``KYODAKU_TEST_POSTGRES_URL`` is set (``.ci/postgres.sh``
prints it). ``blank_engine`` is the same before any migration.

Migrating costs about 0.1 s, so it happens once per test session: SQLite tests
get a copy of a migrated template file; PostgreSQL tests share one migrated
schema (uniquely named, dropped at the end) whose tables are truncated before
each test. Either way no test sees another's rows.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from kyodaku.store.db import make_engine, migrate
from kyodaku.store.tables import metadata

# In CI, property tests explore the same examples every run: a failure there
# is reproducible, never a coin toss. Locally they keep searching afresh.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

POSTGRES_URL_ENV = "KYODAKU_TEST_POSTGRES_URL"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_missing() -> None:
    """Skip PostgreSQL tests where no server is configured; fail where CI demands one."""
    message = f"PostgreSQL not configured: set {POSTGRES_URL_ENV} (run .ci/postgres.sh)"
    if os.environ.get("KYODAKU_REQUIRE_POSTGRES"):
        pytest.fail(message + " — KYODAKU_REQUIRE_POSTGRES is set")
    pytest.skip(message)


def _with_search_path(url: str, schema: str) -> str:
    """``url`` with every connection's search_path set to ``schema``."""
    sa_url = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return sa_url.render_as_string(hide_password=False)


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not url:
        _postgres_missing()
    return url


def _sqlite_engine(directory: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{directory / 'kyodaku.db'}")
    try:
        yield engine
    finally:
        engine.dispose()


def _postgres_engine(url: str) -> Iterator[Engine]:
    schema = f"test_{uuid4().hex[:16]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = make_engine(_with_search_path(url, schema))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database (no tables yet), on each backend."""
    if request.param == "sqlite":
        yield from _sqlite_engine(tmp_path)
    else:
        yield from _postgres_engine(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "kyodaku.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection closing folds the WAL into the file
    return path


@pytest.fixture(scope="session")
def _postgres_migrated() -> Iterator[Engine]:
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not url:
        _postgres_missing()
    for engine in _postgres_engine(url):
        migrate(engine)
        yield engine


@pytest.fixture(params=BACKENDS)
def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty, fully migrated database, on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("_sqlite_template")
        shutil.copyfile(template, tmp_path / "kyodaku.db")
        yield from _sqlite_engine(tmp_path)
        return
    engine = request.getfixturevalue("_postgres_migrated")
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE")
    yield engine


#: ../shared beside the project root (read-only in CI).
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV_REGISTRY = SHARED / "bench" / "dev" / "registry.json"


@pytest.fixture
def dev_registry_path() -> Path:
    if not DEV_REGISTRY.exists():
        pytest.skip(f"shared benchmark set not found at {DEV_REGISTRY}")
    return DEV_REGISTRY
