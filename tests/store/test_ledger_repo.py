"""The stored ledger: appending, reading, and catching tampering done directly in SQL."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text

from kyodaku.ledger import GENESIS_HASH, CanonicalEncodingError, verify_chain
from kyodaku.store.db import session_scope
from kyodaku.store.errors import NotFound
from kyodaku.store.ledger_repo import LedgerRepository


def append_many(engine: Engine, count: int, kind: str = "decision") -> None:
    with session_scope(engine) as session:
        ledger = LedgerRepository(session)
        for i in range(count):
            ledger.append(kind, f"req-{i}", {"decision": "block", "i": i, "名前": "ルナ"})


def verify(engine: Engine, **kwargs):
    with session_scope(engine, read_only=True) as session:
        return LedgerRepository(session).verify(**kwargs)


def test_append_chains_entries_from_genesis(db_engine: Engine) -> None:
    with session_scope(db_engine) as session:
        ledger = LedgerRepository(session)
        first = ledger.append("decision", "req-1", {"amount": Decimal("12.50")})
        second = ledger.append("generation.created", "gen-1", {"ok": True})
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    assert first.payload == {"amount": "12.5"}  # normalised before storing
    with session_scope(db_engine) as session:
        stored = LedgerRepository(session).get(first.entry_id)
    assert stored == first
    assert stored.computed_hash() == stored.hash
    as_json = json.loads(json.dumps(stored.as_dict()))
    assert as_json["payload"] == {"amount": "12.5"} and as_json["hash"] == stored.hash
    assert as_json["created_at"].endswith("Z")


def test_read_back_entries_verify(db_engine: Engine) -> None:
    append_many(db_engine, 7)
    report = verify(db_engine)
    assert report.ok and report.checked == 7 and report.head_seq == 7


def test_entries_filters_and_pages(db_engine: Engine) -> None:
    append_many(db_engine, 3, kind="decision")
    append_many(db_engine, 2, kind="royalty.accrued")
    with session_scope(db_engine, read_only=True) as session:
        ledger = LedgerRepository(session)
        assert [e.seq for e in ledger.entries(kind="royalty.accrued")] == [4, 5]
        assert [e.seq for e in ledger.entries(subject_id="req-1")] == [2, 5]
        assert [e.seq for e in ledger.entries(after_seq=2, limit=2)] == [3, 4]
        assert [e.seq for e in ledger.recent(2)] == [4, 5]
        assert [e.seq for e in ledger.recent(5, kind="decision")] == [1, 2, 3]
        assert [e.seq for e in ledger.iter_all(batch_size=2)] == [1, 2, 3, 4, 5]
        assert ledger.head()[0] == 5
        with pytest.raises(NotFound):
            ledger.get("nope")


TRICKY_PAYLOADS = [
    {},
    {"big": 2**63 + 1, "negative": -(2**70), "zero": 0, "flag": False, "none": None},
    {"text": "孫悟空 🐉 \u2028 \\ \" '", "": "", "a.b": {"c": [[], {}]}},
    {
        "amount": Decimal("1E+3"),
        "tiny": Decimal("0.000001"),
        "when": datetime(2025, 1, 1, tzinfo=UTC),
    },
    {"deep": [{"k": [1, [2, [3, {"x": "ルナ"}]]]}]},
]


def test_tricky_payloads_survive_storage_and_verify(db_engine: Engine) -> None:
    with session_scope(db_engine) as session:
        written = [LedgerRepository(session).append("t", "s", p) for p in TRICKY_PAYLOADS]
    with session_scope(db_engine, read_only=True) as session:
        stored = list(LedgerRepository(session).iter_all())
    assert [e.payload for e in stored] == [e.payload for e in written]
    assert verify_chain(stored).ok


def test_rolled_back_append_leaves_no_gap(db_engine: Engine) -> None:
    append_many(db_engine, 2)
    with pytest.raises(RuntimeError), session_scope(db_engine) as session:
        LedgerRepository(session).append("decision", "req-x", {})
        raise RuntimeError("the generation failed after the decision was recorded")
    append_many(db_engine, 1)
    report = verify(db_engine)
    assert report.ok and report.head_seq == 3


def test_unencodable_payload_is_refused_before_writing(db_engine: Engine) -> None:
    with pytest.raises(CanonicalEncodingError, match="float"), session_scope(db_engine) as s:
        LedgerRepository(s).append("decision", "req-1", {"rate": 0.1})
    assert verify(db_engine).checked == 0


def test_explicit_time_and_entry_id(db_engine: Engine) -> None:
    at = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    with session_scope(db_engine) as session:
        entry = LedgerRepository(session).append(
            "decision", "req-1", {}, entry_id="01JQ00000000000000000000AA", at=at
        )
    assert entry.entry_id == "01JQ00000000000000000000AA" and entry.created_at == at
    assert verify(db_engine).ok


# -- tampering, done the way an attacker with database access would -----------


def tamper(engine: Engine, *statements: str) -> None:
    with session_scope(engine) as session:
        for statement in statements:
            session.execute(text(statement))


def test_edited_row_is_named(db_engine: Engine) -> None:
    append_many(db_engine, 5)
    tamper(db_engine, "UPDATE ledger_entries SET subject_id = 'someone-else' WHERE seq = 3")
    report = verify(db_engine)
    assert (report.ok, report.problem, report.seq) == (False, "edited", 3)
    assert report.checked == 2


def test_edited_payload_is_named(db_engine: Engine) -> None:
    append_many(db_engine, 5)
    with session_scope(db_engine) as session:
        from kyodaku.store.tables import ledger_entries

        session.execute(
            ledger_entries.update()
            .where(ledger_entries.c.seq == 4)
            .values(payload={"decision": "allow", "i": 3, "名前": "ルナ"})
        )
    report = verify(db_engine)
    assert (report.problem, report.seq) == ("edited", 4)


def test_edited_time_is_named(db_engine: Engine) -> None:
    append_many(db_engine, 3)
    tamper(
        db_engine,
        "UPDATE ledger_entries SET created_at = created_at - INTERVAL '1 day' WHERE seq = 2"
        if db_engine.dialect.name == "postgresql"
        else "UPDATE ledger_entries SET created_at = '2000-01-01 00:00:00.000000' WHERE seq = 2",
    )
    report = verify(db_engine)
    assert (report.problem, report.seq) == ("edited", 2)


def test_deleted_row_is_named(db_engine: Engine) -> None:
    append_many(db_engine, 5)
    tamper(db_engine, "DELETE FROM ledger_entries WHERE seq = 2")
    report = verify(db_engine)
    assert (report.ok, report.problem, report.seq) == (False, "deleted", 3)
    assert (report.params["missing_from"], report.params["missing_to"]) == (2, 2)


def test_deleted_and_renumbered_rows_are_found(db_engine: Engine) -> None:
    append_many(db_engine, 5)
    tamper(
        db_engine,
        "DELETE FROM ledger_entries WHERE seq = 2",
        "UPDATE ledger_entries SET seq = seq - 1 WHERE seq > 2",
    )
    report = verify(db_engine)
    assert (report.problem, report.seq) == ("reordered", 2)


def test_reordered_rows_are_named(db_engine: Engine) -> None:
    append_many(db_engine, 5)
    tamper(
        db_engine,
        "UPDATE ledger_entries SET seq = -1 WHERE seq = 2",
        "UPDATE ledger_entries SET seq = 2 WHERE seq = 3",
        "UPDATE ledger_entries SET seq = 3 WHERE seq = -1",
    )
    report = verify(db_engine)
    assert (report.ok, report.problem, report.seq) == (False, "reordered", 2)


def test_deleted_newest_rows_need_an_anchor(db_engine: Engine) -> None:
    append_many(db_engine, 5)
    with session_scope(db_engine, read_only=True) as session:
        anchor = LedgerRepository(session).head()
    tamper(db_engine, "DELETE FROM ledger_entries WHERE seq >= 4")
    assert verify(db_engine).ok  # invisible to the chain alone ...
    report = verify(db_engine, anchor=anchor)  # ... but not to a saved head
    assert (report.ok, report.problem) == (False, "truncated")


# -- concurrency ----------------------------------------------------------------


def test_concurrent_appends_keep_one_valid_chain(db_engine: Engine) -> None:
    threads_count, per_thread = 4, 15
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with session_scope(db_engine) as session:
                    LedgerRepository(session).append("decision", f"t{n}-{i}", {"n": n, "i": i})
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with session_scope(db_engine, read_only=True) as session:
        entries = list(LedgerRepository(session).iter_all())
    assert [e.seq for e in entries] == list(range(1, threads_count * per_thread + 1))
    assert verify_chain(entries).ok
    assert len({e.subject_id for e in entries}) == threads_count * per_thread
