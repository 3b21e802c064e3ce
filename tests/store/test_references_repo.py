"""Reference media and fingerprints: stored together, streamed back in batches."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import Engine

from kyodaku.store.db import session_scope
from kyodaku.store.errors import DuplicateRecord, NotFound
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.references_repo import FrameHash, ReferenceRepository


def frame_hashes(seed: str, count: int) -> list[FrameHash]:
    return [
        FrameHash(
            t_seconds=i * 0.5,
            variant="flip" if i % 2 else "orig",
            hash=hashlib.sha256(f"{seed}-{i}".encode()).digest(),
            quality=80 + i % 20,
        )
        for i in range(count)
    ]


def add(engine: Engine, asset_id: str = "c-luna", sha: str = "ef" * 32, count: int = 6):
    with session_scope(engine) as session:
        return ReferenceRepository(session).add_reference(
            asset_id=asset_id,
            added_by="rh-kaiju",
            filename="luna_turnaround.mp4",
            sha256=sha,
            media_kind="video",
            width=640,
            height=360,
            duration=3.0,
            frame_count=90,
            hashes=frame_hashes(asset_id + sha, count),
        )


def test_reference_and_hashes_are_stored_together(db_engine: Engine) -> None:
    reference = add(db_engine)
    with session_scope(db_engine, read_only=True) as session:
        repo = ReferenceRepository(session)
        assert repo.get(reference.id) == reference
        assert repo.references_of("c-luna") == [reference]
        stored = repo.hashes_of("reference", reference.id)
    assert [s.hash for s in stored] == [h.hash for h in frame_hashes("c-luna" + "ef" * 32, 6)]
    assert all(isinstance(s.hash, bytes) and len(s.hash) == 32 for s in stored)
    assert stored[1].variant == "flip" and stored[1].t_seconds == 0.5
    with session_scope(db_engine) as session:
        (entry,) = LedgerRepository(session).entries(kind="reference.added")
        assert entry.payload["hash_count"] == 6


def test_a_bad_hash_stores_nothing(db_engine: Engine) -> None:
    hashes = [*frame_hashes("x", 2), FrameHash(1.0, "orig", b"\x01" * 31, 90)]
    with (
        pytest.raises(ValueError, match=r"hash #2 .* is not 32 bytes"),
        session_scope(db_engine) as session,
    ):
        ReferenceRepository(session).add_reference(
            asset_id="c-luna",
            added_by="rh",
            filename="f.png",
            sha256="00" * 32,
            media_kind="image",
            width=1,
            height=1,
            hashes=hashes,
        )
    with session_scope(db_engine, read_only=True) as session:
        assert ReferenceRepository(session).references_of("c-luna") == []
        assert list(ReferenceRepository(session).iter_hashes()) == []


def test_the_same_file_twice_for_an_asset_is_refused(db_engine: Engine) -> None:
    add(db_engine)
    with pytest.raises(DuplicateRecord, match="already a reference of c-luna"):
        add(db_engine)
    add(db_engine, asset_id="c-sol")  # the same file may illustrate another asset


def test_a_reference_without_hashes_is_refused(db_engine: Engine) -> None:
    with pytest.raises(ValueError, match="no fingerprints"):
        add(db_engine, count=0)


def test_iter_hashes_streams_every_hash_in_batches(db_engine: Engine) -> None:
    first = add(db_engine, sha="01" * 32, count=5)
    second = add(db_engine, sha="02" * 32, count=4)
    with session_scope(db_engine) as session:
        ReferenceRepository(session).add_generation_hashes("gen-1", frame_hashes("g", 3))
    with session_scope(db_engine, read_only=True) as session:
        repo = ReferenceRepository(session)
        batches = list(repo.iter_hashes(batch_size=4))
        everything = list(repo.iter_hashes(owner_kind=None, batch_size=100))
        generated = repo.hashes_of("generation", "gen-1")
    assert [len(b) for b in batches] == [4, 4, 1]
    owners = [h.owner_id for batch in batches for h in batch]
    assert owners.count(first.id) == 5 and owners.count(second.id) == 4
    ids = [h.id for batch in batches for h in batch]
    assert ids == sorted(ids)
    assert sum(len(b) for b in everything) == 12
    assert len(generated) == 3


def test_removing_a_reference_removes_its_hashes(db_engine: Engine) -> None:
    reference = add(db_engine)
    with session_scope(db_engine) as session:
        ReferenceRepository(session).remove_reference(reference.id, actor="rh-kaiju")
    with session_scope(db_engine, read_only=True) as session:
        repo = ReferenceRepository(session)
        assert repo.hashes_of("reference", reference.id) == []
        with pytest.raises(NotFound):
            repo.get(reference.id)
