"""Claims storage: create, list, and compare-and-set transitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from kyodaku.store.claims_repo import ClaimRepository
from kyodaku.store.db import session_scope
from kyodaku.store.errors import ConcurrentUpdate, NotFound
from kyodaku.store.ledger_repo import LedgerRepository

NOW = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)


def file_claim(engine: Engine, **overrides):
    fields = {
        "rights_holder_id": "rh-kaiju",
        "asset_id": "c-luna",
        "reason": "ルナ appears in this video without a licence",
        "state": "received",
        "actor": "rh-kaiju",
        "video_sha256": "cd" * 32,
        "ack_due": NOW + timedelta(days=2),
        "decision_due": NOW + timedelta(days=14),
        "evidence": [{"kind": "frame_match", "distance": 12}],
        "at": NOW,
        **overrides,
    }
    with session_scope(engine) as session:
        return ClaimRepository(session).create(**fields)


def test_create_and_read_back(db_engine: Engine) -> None:
    claim = file_claim(db_engine)
    assert claim.row_version == 1 and claim.state == "received"
    with session_scope(db_engine, read_only=True) as session:
        repo = ClaimRepository(session)
        assert repo.get(claim.id) == claim
        (event,) = repo.events(claim.id)
        assert (event.from_state, event.to_state, event.actor) == (None, "received", "rh-kaiju")
        with pytest.raises(NotFound):
            repo.get("missing")
    with session_scope(db_engine) as session:
        (entry,) = LedgerRepository(session).entries(kind="claim.created")
        assert entry.subject_id == claim.id


def test_transition_sets_state_fields_and_history(db_engine: Engine) -> None:
    claim = file_claim(db_engine)
    with session_scope(db_engine) as session:
        repo = ClaimRepository(session)
        acknowledged = repo.transition(
            claim.id, 1, "acknowledged", "operator-1", note="looking into it", ack_due=None
        )
        resolved = repo.transition(
            claim.id,
            acknowledged.row_version,
            "resolved",
            "operator-1",
            resolution={"outcome": "withdrawn"},
            creator_response="I did not know",
        )
    assert (acknowledged.row_version, resolved.row_version) == (2, 3)
    assert acknowledged.ack_due is None
    assert resolved.resolution == {"outcome": "withdrawn"}
    assert resolved.creator_response == "I did not know"
    with session_scope(db_engine, read_only=True) as session:
        events = ClaimRepository(session).events(claim.id)
    assert [(e.from_state, e.to_state) for e in events] == [
        (None, "received"),
        ("received", "acknowledged"),
        ("acknowledged", "resolved"),
    ]
    assert events[1].note == "looking into it"
    with session_scope(db_engine) as session:
        entries = LedgerRepository(session).entries(kind="claim.transition")
        assert [e.payload["to"] for e in entries] == ["acknowledged", "resolved"]
        assert entries[1].payload["fields"] == ["creator_response", "resolution"]


def test_stale_row_version_is_a_conflict_and_writes_nothing(db_engine: Engine) -> None:
    claim = file_claim(db_engine)
    with session_scope(db_engine) as session:
        ClaimRepository(session).transition(claim.id, 1, "acknowledged", "operator-1")
    with (
        pytest.raises(ConcurrentUpdate, match="read at row version 1 but is now at 2"),
        session_scope(db_engine) as session,
    ):
        ClaimRepository(session).transition(claim.id, 1, "rejected", "operator-2")
    with session_scope(db_engine, read_only=True) as session:
        repo = ClaimRepository(session)
        assert repo.get(claim.id).state == "acknowledged"
        assert len(repo.events(claim.id)) == 2


def test_compare_and_set_catches_a_change_after_the_read(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two operators read version 1; the second one's UPDATE must match no row."""
    claim = file_claim(db_engine)
    with session_scope(db_engine) as session:
        ClaimRepository(session).transition(claim.id, 1, "acknowledged", "operator-1")
    real_get = ClaimRepository.get
    stale = iter([claim])  # what operator-2 read before operator-1's change
    monkeypatch.setattr(
        ClaimRepository, "get", lambda self, claim_id: next(stale, None) or real_get(self, claim_id)
    )
    with (
        pytest.raises(ConcurrentUpdate, match="was changed meanwhile"),
        session_scope(db_engine) as session,
    ):
        ClaimRepository(session).transition(claim.id, 1, "rejected", "operator-2")


def test_transition_refuses_unknown_fields(db_engine: Engine) -> None:
    claim = file_claim(db_engine)
    with (
        pytest.raises(ValueError, match="cannot set \\['row_version'\\]"),
        session_scope(db_engine) as session,
    ):
        ClaimRepository(session).transition(claim.id, 1, "x", "op", row_version=7)
    with pytest.raises(NotFound), session_scope(db_engine) as session:
        ClaimRepository(session).transition("missing", 1, "x", "op")


def test_list_by_state_and_overdue(db_engine: Engine) -> None:
    late = file_claim(db_engine, ack_due=NOW - timedelta(hours=1))
    on_time = file_claim(db_engine, asset_id="c-sol")
    answered = file_claim(db_engine, ack_due=None, decision_due=None, state="resolved")
    with session_scope(db_engine, read_only=True) as session:
        repo = ClaimRepository(session)
        assert [c.id for c in repo.list(overdue_at=NOW)] == [late.id]
        assert [c.id for c in repo.list(overdue_at=NOW + timedelta(days=3))] == [
            late.id,
            on_time.id,
        ]
        assert [c.id for c in repo.list(state="resolved")] == [answered.id]
        assert len(repo.list(state=["received", "resolved"])) == 3
        assert repo.list(rights_holder_id="rh-other") == []
