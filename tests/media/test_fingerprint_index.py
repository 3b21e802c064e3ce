"""The fingerprint index: owners per hash, search by distance, persistence, incremental adds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kyodaku.media.fingerprint_index import (
    INDEX_KINDS,
    FingerprintIndex,
    HashOwner,
    IndexFileError,
)


def random_hashes(count: int, seed: int) -> list[bytes]:
    rng = np.random.default_rng(seed)
    return [row.tobytes() for row in rng.integers(0, 256, (count, 32), dtype=np.uint8)]


def flip_bits(hash_bytes: bytes, count: int, seed: int = 0) -> bytes:
    """The hash with ``count`` distinct bits flipped: exactly ``count`` away."""
    bits = np.unpackbits(np.frombuffer(hash_bytes, np.uint8))
    positions = np.random.default_rng(seed).choice(256, count, replace=False)
    bits[positions] ^= 1
    return np.packbits(bits).tobytes()


def reference(reference_id: str, hashes: list[bytes], asset_id: str | None = "c-1") -> list:
    return [
        (hash_bytes, HashOwner(reference_id, i / 10, "original", asset_id))
        for i, hash_bytes in enumerate(hashes)
    ]


@pytest.fixture(params=INDEX_KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


def test_search_finds_owners_within_the_distance_and_nothing_beyond(kind: str) -> None:
    index = FingerprintIndex(kind)
    stored = random_hashes(50, seed=1)
    index.add(reference("ref-a", stored))
    near, far = flip_bits(stored[7], 10), flip_bits(stored[7], 40)
    near_hits, far_hits, exact_hits = index.search([near, far, stored[3]], max_distance=31)
    assert [(hit.owner.reference_id, hit.owner.t_seconds, hit.distance) for hit in near_hits] == [
        ("ref-a", 0.7, 10)
    ]
    assert far_hits == []
    assert exact_hits[0].distance == 0
    assert exact_hits[0].owner == HashOwner("ref-a", 0.3, "original", "c-1")


def test_distance_limit_is_inclusive() -> None:
    index = FingerprintIndex()
    [stored] = random_hashes(1, seed=2)
    index.add(reference("ref-a", [stored]))
    at_limit = flip_bits(stored, 31)
    assert len(index.search([at_limit], max_distance=31)[0]) == 1
    assert index.search([at_limit], max_distance=30)[0] == []


def test_hits_come_closest_first() -> None:
    index = FingerprintIndex()
    [base] = random_hashes(1, seed=3)
    variants = [flip_bits(base, d, seed=d) for d in (20, 4, 12)]
    index.add(reference("ref-a", variants))
    [hits] = index.search([base], max_distance=31)
    assert [hit.distance for hit in hits] == [4, 12, 20]


def test_a_hash_shared_by_references_is_stored_once_with_every_owner(kind: str) -> None:
    index = FingerprintIndex(kind)
    shared, own_a, own_b = random_hashes(3, seed=4)
    assert index.add(reference("ref-a", [shared, own_a], asset_id="c-1")) == 2
    assert index.add(reference("ref-b", [own_b, shared], asset_id="w-2")) == 1
    assert index.stored_hashes == 3
    assert len(index) == 4
    [hits] = index.search([shared], max_distance=0)
    assert {(hit.owner.reference_id, hit.owner.asset_id) for hit in hits} == {
        ("ref-a", "c-1"),
        ("ref-b", "w-2"),
    }


def test_empty_index_and_empty_query() -> None:
    index = FingerprintIndex()
    assert index.search(random_hashes(2, seed=5), max_distance=31) == [[], []]
    assert index.search([], max_distance=31) == []
    assert len(index) == 0


def test_malformed_input_is_refused() -> None:
    index = FingerprintIndex()
    with pytest.raises(ValueError, match="32 bytes"):
        index.add([(b"\x00" * 8, HashOwner("ref-a", 0.0, "original"))])
    with pytest.raises(ValueError, match="32 bytes"):
        index.search([b"\x00" * 31], max_distance=10)
    with pytest.raises(ValueError, match="max_distance"):
        index.search(random_hashes(1, seed=6), max_distance=256)
    with pytest.raises(ValueError, match="unknown index kind"):
        FingerprintIndex("hnsw")  # type: ignore[arg-type]


def test_save_and_load_round_trip(tmp_path: Path, kind: str) -> None:
    index = FingerprintIndex(kind)
    hashes = random_hashes(40, seed=7)
    index.add(reference("ref-a", hashes[:20], asset_id="c-1"))
    index.add(reference("ref-b", hashes[20:], asset_id=None))
    path = tmp_path / "nested" / "references.npz"
    index.save(path)
    loaded = FingerprintIndex.load(path)
    assert loaded.kind == kind
    assert len(loaded) == 40 and loaded.stored_hashes == 40
    assert loaded.reference_ids() == {"ref-a", "ref-b"}
    queries = [flip_bits(hashes[5], 6), hashes[33]]
    assert loaded.search(queries, 31) == index.search(queries, 31)
    assert loaded.search([hashes[33]], 0)[0][0].owner.asset_id is None
    assert [p.name for p in path.parent.iterdir()] == ["references.npz"]  # no temp left


def test_adding_after_load_extends_the_index_and_still_deduplicates(tmp_path: Path) -> None:
    index = FingerprintIndex()
    first, second = random_hashes(30, seed=8), random_hashes(30, seed=9)
    index.add(reference("ref-a", first))
    index.save(tmp_path / "index.npz")
    loaded = FingerprintIndex.load(tmp_path / "index.npz")
    assert loaded.add(reference("ref-b", second + first[:5])) == 30  # 5 already stored
    assert loaded.stored_hashes == 60 and len(loaded) == 65
    [hits] = loaded.search([first[2]], 0)
    assert {hit.owner.reference_id for hit in hits} == {"ref-a", "ref-b"}
    loaded.save(tmp_path / "index.npz")  # overwrite in place
    again = FingerprintIndex.load(tmp_path / "index.npz")
    assert again.search([second[29]], 0)[0][0].owner.reference_id == "ref-b"


def test_removed_reference_is_no_longer_reported(tmp_path: Path) -> None:
    index = FingerprintIndex()
    shared, own = random_hashes(2, seed=10)
    index.add(reference("ref-a", [shared, own]))
    index.add(reference("ref-b", [shared]))
    assert index.remove_reference("ref-a") == 2
    assert index.remove_reference("ref-unknown") == 0
    assert index.search([own], 0) == [[]]
    assert [hit.owner.reference_id for hit in index.search([shared], 0)[0]] == ["ref-b"]
    assert index.reference_ids() == {"ref-b"}
    compact = index.compacted()
    assert compact.stored_hashes == 1 and len(compact) == 1
    index.save(tmp_path / "index.npz")
    assert FingerprintIndex.load(tmp_path / "index.npz").search([own], 0) == [[]]


def test_unreadable_index_files_raise(tmp_path: Path) -> None:
    with pytest.raises(IndexFileError, match="no such index file"):
        FingerprintIndex.load(tmp_path / "absent.npz")
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not an index at all")
    with pytest.raises(IndexFileError, match="not a readable fingerprint index"):
        FingerprintIndex.load(garbage)
    other = tmp_path / "other.npz"
    np.savez(other, something=np.arange(3))
    with pytest.raises(IndexFileError):
        FingerprintIndex.load(other)


def test_multihash_finds_what_flat_finds_up_to_twenty_bits() -> None:
    stored = random_hashes(2000, seed=11)
    flat, multi = FingerprintIndex("flat"), FingerprintIndex("multihash")
    for index in (flat, multi):
        index.add(reference("ref-a", stored))
    queries = [flip_bits(h, 20, seed=i) for i, h in enumerate(stored[:100])]
    found = multi.search(queries, 20)
    assert found == flat.search(queries, 20)
    assert all(len(hits) == 1 for hits in found)
