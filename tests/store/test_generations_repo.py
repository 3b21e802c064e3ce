"""Generations: idempotent by request id (also under a race), status changes recorded."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine

from kyodaku.store.db import session_scope
from kyodaku.store.errors import NotFound
from kyodaku.store.generations_repo import GenerationRepository
from kyodaku.store.ledger_repo import LedgerRepository


def create(engine: Engine, request_id: str = "req-1", **overrides):
    fields = {
        "request_id": request_id,
        "creator": "creator-7",
        "backend": "storyboard",
        "model": "storyboard-1",
        "prompt": "ルナ walks on the moon",
        "registry_version": 3,
        "decision_id": "01JQDECISION00000000000000",
        "output_sha256": "ab" * 32,
        "output_path": "/videos/1.mp4",
        "metadata": {"seconds": 4, "resolution": [640, 360]},
        **overrides,
    }
    with session_scope(engine) as session:
        return GenerationRepository(session).create(**fields)


def test_create_and_read_back(db_engine: Engine) -> None:
    generation, created = create(db_engine)
    assert created and generation.status == "released"
    with session_scope(db_engine, read_only=True) as session:
        repo = GenerationRepository(session)
        assert repo.get(generation.id) == generation
        assert repo.by_request_id("req-1") == generation
        assert repo.by_output_sha256("ab" * 32) == [generation]
        assert repo.by_request_id("req-2") is None
        with pytest.raises(NotFound):
            repo.get("missing")


def test_a_retried_request_returns_the_first_generation(db_engine: Engine) -> None:
    first, created_first = create(db_engine)
    again, created_again = create(db_engine, prompt="a different prompt on retry")
    assert created_first and not created_again
    assert again == first
    with session_scope(db_engine) as session:
        assert len(LedgerRepository(session).entries(kind="generation.created")) == 1


def test_racing_creates_make_exactly_one_generation(db_engine: Engine) -> None:
    racers = 4
    results: list[tuple] = []
    errors: list[BaseException] = []
    start = threading.Barrier(racers)

    def racer(n: int) -> None:
        try:
            start.wait()
            results.append(create(db_engine, request_id="req-race", prompt=f"attempt {n}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(created for _, created in results) == 1
    assert len({generation.id for generation, _ in results}) == 1
    with session_scope(db_engine) as session:
        assert len(LedgerRepository(session).entries(kind="generation.created")) == 1
        assert LedgerRepository(session).verify().ok


def test_withdrawal_is_recorded_once(db_engine: Engine) -> None:
    generation, _ = create(db_engine)
    with session_scope(db_engine) as session:
        repo = GenerationRepository(session)
        withdrawn = repo.set_status(generation.id, "withdrawn", actor="rh-1", reason="claim c-9")
        assert withdrawn.status == "withdrawn"
        assert repo.set_status(generation.id, "withdrawn", actor="rh-1").status == "withdrawn"
    with session_scope(db_engine) as session:
        (entry,) = LedgerRepository(session).entries(kind="generation.status")
        assert entry.subject_id == generation.id
        assert entry.payload == {
            "from": "released",
            "to": "withdrawn",
            "actor": "rh-1",
            "reason": "claim c-9",
        }


def test_unknown_status_is_refused(db_engine: Engine) -> None:
    generation, _ = create(db_engine)
    with (
        pytest.raises(ValueError, match="unknown generation status 'deleted'"),
        session_scope(db_engine) as session,
    ):
        GenerationRepository(session).set_status(generation.id, "deleted", actor="x")
    with pytest.raises(ValueError, match="unknown generation status"):
        create(db_engine, request_id="req-2", status="pending")


def test_metadata_must_be_json(db_engine: Engine) -> None:
    with pytest.raises(ValueError):
        create(db_engine, metadata={"fps": float("nan")})


def test_losing_the_insert_race_returns_the_winner(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check before inserting can miss a row committed just after it (simulated here)."""
    winner, _ = create(db_engine, request_id="req-race")
    real_lookup = GenerationRepository.by_request_id
    calls = iter([None])
    monkeypatch.setattr(
        GenerationRepository,
        "by_request_id",
        lambda self, request_id: next(calls, None) or real_lookup(self, request_id),
    )
    loser, created = create(db_engine, request_id="req-race", prompt="late")
    assert not created and loser == winner
    with session_scope(db_engine) as session:
        assert LedgerRepository(session).verify().checked == 1
