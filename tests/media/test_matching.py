"""Matching a video's frame hashes against index hits: shares, runs, thresholds, assets."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kyodaku.media.fingerprint import FrameHash
from kyodaku.media.fingerprint_index import FingerprintIndex, HashOwner, IndexHit
from kyodaku.media.matching import (
    MatchingError,
    MatchThresholds,
    UncheckableVideoError,
    match,
    reference_entries,
    search_and_match,
)
from kyodaku.messages import CATALOGUE


def frames(count: int, every_s: float = 0.5, quality: int = 100) -> list[FrameHash]:
    rng = np.random.default_rng(count)
    return [
        FrameHash(i * every_s, "original", rng.integers(0, 256, 32, np.uint8).tobytes(), quality)
        for i in range(count)
    ]


def hit(reference_id: str, distance: int, asset_id: str | None = "c-1") -> IndexHit:
    return IndexHit(HashOwner(reference_id, 0.0, "original", asset_id), distance)


def hits_where(count: int, matching: set[int], reference_id: str = "ref-a", distance: int = 10):
    return [[hit(reference_id, distance)] if i in matching else [] for i in range(count)]


def test_full_copy_matches_with_share_run_and_distance() -> None:
    query = frames(10)
    report = match(query, [[hit("ref-a", d)] for d in range(10)])
    [found] = report.references
    assert found.is_match
    assert (found.matched_frames, found.usable_frames, found.share) == (10, 10, 1.0)
    assert found.longest_run_frames == 10
    assert found.longest_run_seconds == pytest.approx(5.0)  # 10 frames sampled every 0.5 s
    assert found.mean_distance == pytest.approx(4.5)
    assert report.usable_frames == report.total_frames == 10


def test_no_hits_means_no_reference_and_no_asset() -> None:
    report = match(frames(8), [[] for _ in range(8)])
    assert report.references == () and report.assets == ()
    assert report.matched_asset_ids == frozenset()


def test_scattered_minority_of_frames_does_not_match() -> None:
    query = frames(20)
    report = match(query, hits_where(20, {0, 5, 10, 15}))  # 20 %, never two in a row
    [found] = report.references
    assert found.share == pytest.approx(0.2)
    assert found.longest_run_frames == 1
    assert not found.is_match
    assert report.assets == ()


def test_spliced_run_matches_even_when_the_share_is_small() -> None:
    query = frames(40)  # 20 s, one 3 s stretch of a reference inside
    report = match(query, hits_where(40, set(range(10, 16))))
    [found] = report.references
    assert found.share == pytest.approx(0.15)
    assert found.longest_run_seconds == pytest.approx(3.0)
    assert found.is_match


def test_hits_beyond_the_distance_limit_are_ignored() -> None:
    query = frames(6)
    report = match(query, [[hit("ref-a", 40)] for _ in range(6)])
    assert report.references == ()
    loose = MatchThresholds(max_distance=44)
    assert match(query, [[hit("ref-a", 40)] for _ in range(6)], loose).references[0].is_match


def test_thresholds_are_configurable() -> None:
    query = frames(10)
    hits = hits_where(10, {0, 1, 2})  # 30 %, a 1.5 s run
    assert not match(query, hits).references[0].is_match
    assert match(query, hits, MatchThresholds(min_share=0.3)).references[0].is_match
    assert match(query, hits, MatchThresholds(min_run_seconds=1.5)).references[0].is_match
    strict = MatchThresholds(min_share=0.3, min_matched_frames=4)
    assert not match(query, hits, strict).references[0].is_match


def test_minimum_frames_is_capped_for_short_queries_such_as_an_image() -> None:
    [image] = frames(1)
    report = match([image], [[hit("ref-a", 12)]])
    assert report.references[0].is_match
    assert report.references[0].longest_run_seconds == 0.0


def test_low_quality_frames_are_left_out_of_the_count() -> None:
    query = frames(10)
    query[5:] = [FrameHash(f.t_seconds, f.variant, f.hash, 20) for f in query[5:]]
    hits = [[hit("ref-a", 5)] for _ in range(10)]  # flat frames hit too; they must not count
    [found] = match(query, hits).references
    assert (found.matched_frames, found.usable_frames) == (5, 5)
    report = match(query, hits_where(10, {5, 6, 7, 8, 9}))
    assert report.references == ()
    assert (report.usable_frames, report.total_frames) == (5, 10)


def test_a_video_with_no_usable_frame_cannot_be_checked() -> None:
    with pytest.raises(UncheckableVideoError, match="quality"):
        match(frames(4, quality=10), [[hit("ref-a", 0)] for _ in range(4)])
    with pytest.raises(UncheckableVideoError, match="no frame hashes"):
        match([], [])
    with pytest.raises(MatchingError, match="hit lists"):
        match(frames(3), [[]])


def test_several_views_of_one_frame_count_once() -> None:
    base = frames(4)
    query = base + [FrameHash(f.t_seconds, "flip_h", f.hash, f.quality) for f in base]
    hits = [[hit("ref-a", 20)] for _ in base] + [[hit("ref-a", 8)] for _ in base]
    [found] = match(query, hits).references
    assert found.matched_frames == 4 and found.usable_frames == 4
    assert found.mean_distance == 8


def test_references_are_grouped_by_asset_with_frames_counted_once() -> None:
    query = frames(10)
    hits = [[] for _ in range(10)]
    for i in range(0, 6):
        hits[i].append(hit("ref-a1", 10, "c-pika"))
    for i in range(3, 10):
        hits[i].append(hit("ref-a2", 20, "c-pika"))
    for i in range(0, 10):
        hits[i].append(hit("ref-b", 5, "w-other"))
    report = match(query, hits)
    assert [found.reference_id for found in report.references] == ["ref-b", "ref-a2", "ref-a1"]
    pika = next(asset for asset in report.assets if asset.asset_id == "c-pika")
    assert pika.reference_ids == ("ref-a1", "ref-a2")
    assert pika.matched_frames == 10 and pika.share == 1.0
    assert pika.mean_distance == pytest.approx((6 * 10 + 4 * 20) / 10)
    assert report.matched_asset_ids == {"c-pika", "w-other"}


def test_matching_references_without_an_asset_are_reported_but_not_grouped() -> None:
    report = match(frames(5), [[hit("gen-01", 3, asset_id=None)] for _ in range(5)])
    assert report.references[0].is_match
    assert report.assets == ()


def test_refusal_carries_the_asset_and_how_much_matched() -> None:
    query = frames(10)
    report = match(query, hits_where(10, set(range(7))))
    [asset] = report.assets
    refusal = asset.refusal()
    assert refusal["code"] == "media.output_matches_reference"
    assert refusal["params"] == {
        "asset_id": "c-1",
        "share_percent": 70,
        "run_seconds": 3.5,
        "reference_ids": ["ref-a"],
    }
    text = CATALOGUE[refusal["code"]]
    assert set(text) == {"en", "ja"}
    assert "70%" in text["en"].format(**refusal["params"])
    assert all(set(texts) == {"en", "ja"} for texts in CATALOGUE.values())


def test_reference_entries_leave_out_flat_frames_and_refuse_an_all_flat_reference() -> None:
    good = frames(3)
    flat = [FrameHash(9.0, "original", b"\x00" * 32, 0)]
    entries = reference_entries("ref-a", "c-1", good + flat)
    assert [owner.t_seconds for _, owner in entries] == [0.0, 0.5, 1.0]
    assert entries[0][1] == HashOwner("ref-a", 0.0, "original", "c-1")
    with pytest.raises(MatchingError, match="too flat"):
        reference_entries("ref-flat", "c-1", flat)


def test_thresholds_validate() -> None:
    with pytest.raises(ValueError):
        MatchThresholds(max_distance=300)
    with pytest.raises(ValueError):
        MatchThresholds(min_share=0.0)
    with pytest.raises(ValueError):
        MatchThresholds(min_matched_frames=0)


def test_search_and_match_through_an_index() -> None:
    reference = frames(20, every_s=0.1)  # densely sampled reference
    index = FingerprintIndex()
    index.add(reference_entries("ref-a", "c-1", reference))
    copied = reference[::5]  # the frames at 0, 0.5, 1 and 1.5 s
    unrelated = [replace(f, t_seconds=2.0 + f.t_seconds) for f in frames(4)]  # 2 .. 3.5 s
    report = search_and_match(index, copied + unrelated)
    [found] = report.references
    assert (found.matched_frames, found.usable_frames) == (4, 8)
    assert found.matched_times == (0.0, 0.5, 1.0, 1.5)
    assert found.is_match  # half the video
    assert report.matched_asset_ids == {"c-1"}
