"""Storage throughput: ledger appends and verification, registry import and reads.

Prints figures for SQLite (a temporary file) and, when KYODAKU_TEST_POSTGRES_URL
is set (see .ci/postgres.sh), for PostgreSQL in a throwaway schema:

    .venv/bin/python benchmarks/bench_store.py [--entries 5000] [--characters 5000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from kyodaku.registry.model import Licence, Registry, RightsHolder, make_character, make_work
from kyodaku.store.db import make_engine, migrate, session_scope
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.registry_repo import RegistryRepository


@contextmanager
def sqlite_engine() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgres_engine(url: str) -> Iterator[Engine]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(scoped.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def timed(label: str, count: int, unit: str, action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"  {label:<44} {seconds:8.3f} s  {count / seconds:12,.0f} {unit}/s")
    return seconds


def synthetic_registry(characters: int) -> Registry:
    works = max(1, characters // 20)
    return Registry(
        rights_holders=(RightsHolder("rh-bench", "Bench Studio"),),
        works=tuple(
            make_work(f"w-{w}", "rh-bench", {"en": [f"Work {w}"], "ja": [f"作品{w}"]}, ["term"])
            for w in range(works)
        ),
        characters=tuple(
            make_character(
                f"c-{c}",
                f"w-{c % works}",
                {"en": [f"Hero {c}"], "ja": [f"ヒーロー{c}"]},
                [f"H{c}"],
                "a character with a distinctive red scarf",
            )
            for c in range(characters)
        ),
        licences=tuple(
            Licence(f"lic-{w}", assets=(f"w-{w}",), purposes=("non-commercial",), royalty_rate=0.05)
            for w in range(works)
        ),
    )


def run(engine: Engine, entries: int, characters: int) -> None:
    migrate(engine)

    def one_per_transaction() -> None:
        for i in range(entries // 5):
            with session_scope(engine) as session:
                LedgerRepository(session).append("decision", f"req-{i}", {"decision": "block"})

    def batched() -> None:
        with session_scope(engine) as session:
            ledger = LedgerRepository(session)
            for i in range(entries):
                ledger.append("decision", f"batch-{i}", {"decision": "allow", "i": i})

    timed("ledger append, one per transaction", entries // 5, "entries", one_per_transaction)
    timed("ledger append, one transaction", entries, "entries", batched)
    total = entries // 5 + entries

    def verify() -> None:
        with session_scope(engine, read_only=True) as session:
            assert LedgerRepository(session).verify().ok

    timed("ledger verify (streamed)", total, "entries", verify)

    reg = synthetic_registry(characters)
    size = len(reg.rights_holders) + len(reg.works) + len(reg.characters) + len(reg.licences)

    def apply(replace: bool) -> Callable[[], object]:
        def go() -> object:
            with session_scope(engine) as session:
                return RegistryRepository(session).apply(reg, actor="bench", replace=replace)

        return go

    timed("registry import (first version)", size, "entities", apply(True))
    timed("registry re-import, nothing changed", size, "entities", apply(True))

    def read_current() -> None:
        with session_scope(engine, read_only=True) as session:
            RegistryRepository(session).current()

    timed("registry current() with digest check", size, "entities", read_current)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--characters", type=int, default=5000)
    args = parser.parse_args()
    print("SQLite (temporary file, WAL)")
    with sqlite_engine() as engine:
        run(engine, args.entries, args.characters)
    url = os.environ.get("KYODAKU_TEST_POSTGRES_URL", "").strip()
    if not url:
        print("PostgreSQL: skipped (set KYODAKU_TEST_POSTGRES_URL; see .ci/postgres.sh)")
        return
    print(f"PostgreSQL ({make_url(url).render_as_string(hide_password=True)})")
    with postgres_engine(url) as engine:
        run(engine, args.entries, args.characters)


if __name__ == "__main__":
    main()
