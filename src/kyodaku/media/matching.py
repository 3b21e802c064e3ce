"""Decide which references a video matches, and how much of it, from index hits.

Pure: given the query's frame hashes (with timestamps) and, for each, the index hits, it
groups hits by reference, measures the share of usable query frames that matched, the
longest run of consecutive matching frames and the mean distance, and applies thresholds.
Nothing here reads files; ``search_and_match`` only calls an in-memory index.

A frame counts as usable when its PDQ quality reaches ``min_quality``: near-flat frames
(fades, solid colours) hash unreliably and would match anything equally flat (the rule used
by Meta's vPDQ). A reference matches when enough frames matched and either a large share of
the video matched (a copy, a re-encode, an excerpt used whole) or a long enough run did (a
reference clip spliced into a longer video).

Defaults come from benchmarks/matching.py (synthetic moving scenes, 20 references, 10
transforms, unrelated videos): see ``DEFAULT_THRESHOLDS``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from kyodaku.media.fingerprint import FrameHash
from kyodaku.media.fingerprint_index import FingerprintIndex, HashOwner, IndexHit


class MatchingError(Exception):
    """Matching could not be carried out as asked."""


class UncheckableVideoError(MatchingError):
    """No frame of the video has enough detail to be compared with references.

    Raised rather than reporting "no match": a video that cannot be checked is not known
    to be clean.
    """


@dataclass(frozen=True)
class MatchThresholds:
    """When a frame matches, and when a reference matches a video."""

    max_distance: int = 36
    """Largest Hamming distance (of 256 bits) at which two frame hashes match.

    Measured: transformed copies sit at 2-14 bits (p90) except heavy text overlays (p90 40);
    the nearest unrelated frame over 86,000 frame-reference pairs was 76 bits away.
    """
    min_quality: int = 50
    """Frames (query and reference) below this PDQ quality are ignored."""
    min_share: float = 0.5
    """Share of usable query frames that must match ..."""
    min_run_seconds: float = 2.0
    """... or length of the longest run of consecutive matching query frames."""
    min_matched_frames: int = 3
    """Fewest matching frames for any match (capped at the number of usable frames)."""

    def __post_init__(self) -> None:
        if not 0 <= self.max_distance < 256:
            raise ValueError(f"max_distance lies in 0..255, got {self.max_distance}")
        if not 0 <= self.min_quality <= 100:
            raise ValueError(f"min_quality lies in 0..100, got {self.min_quality}")
        if not 0.0 < self.min_share <= 1.0:
            raise ValueError(f"min_share lies in (0, 1], got {self.min_share}")
        if self.min_run_seconds < 0:
            raise ValueError(f"min_run_seconds must be >= 0, got {self.min_run_seconds}")
        if self.min_matched_frames < 1:
            raise ValueError(f"min_matched_frames must be >= 1, got {self.min_matched_frames}")


DEFAULT_THRESHOLDS = MatchThresholds()


@dataclass(frozen=True)
class ReferenceMatch:
    """How one reference relates to the query video.

    ``share`` is matched / usable query frames; ``longest_run_seconds`` spans the longest
    run of consecutive usable query frames that matched, counting one sampling interval
    per frame (six frames sampled every 0.5 s make 3.0 s).
    """

    reference_id: str
    asset_id: str | None
    matched_frames: int
    usable_frames: int
    share: float
    longest_run_frames: int
    longest_run_seconds: float
    mean_distance: float
    matched_times: tuple[float, ...]
    matched_distances: tuple[int, ...]
    is_match: bool


@dataclass(frozen=True)
class AssetMatch:
    """All matching references of one asset, with frames counted once across them."""

    asset_id: str
    reference_ids: tuple[str, ...]
    matched_frames: int
    usable_frames: int
    share: float
    longest_run_seconds: float
    mean_distance: float

    def refusal(self) -> dict[str, object]:
        """Structured refusal (code + parameters) for the message catalogue."""
        return {
            "code": "media.output_matches_reference",
            "params": {
                "asset_id": self.asset_id,
                "share_percent": round(100 * self.share),
                "run_seconds": round(self.longest_run_seconds, 1),
                "reference_ids": list(self.reference_ids),
            },
        }


@dataclass(frozen=True)
class MatchReport:
    """The outcome of matching one video: every reference hit, and the assets matched."""

    usable_frames: int
    total_frames: int
    references: tuple[ReferenceMatch, ...]
    assets: tuple[AssetMatch, ...]

    @property
    def matched_asset_ids(self) -> frozenset[str]:
        return frozenset(asset.asset_id for asset in self.assets)


def reference_entries(
    reference_id: str,
    asset_id: str | None,
    frames: Iterable[FrameHash],
    min_quality: int = DEFAULT_THRESHOLDS.min_quality,
) -> list[tuple[bytes, HashOwner]]:
    """Index entries for a reference's frame hashes, leaving out near-flat frames.

    Raises MatchingError if no frame is detailed enough: such a reference could never be
    matched, and silently registering it would give its owner false confidence.
    """
    entries = [
        (frame.hash, HashOwner(reference_id, frame.t_seconds, frame.variant, asset_id))
        for frame in frames
        if frame.quality >= min_quality
    ]
    if not entries:
        raise MatchingError(
            f"reference {reference_id!r} has no frame with PDQ quality >= {min_quality}; "
            "it is too flat to fingerprint"
        )
    return entries


def search_and_match(
    index: FingerprintIndex,
    query: Sequence[FrameHash],
    thresholds: MatchThresholds = DEFAULT_THRESHOLDS,
) -> MatchReport:
    """Search every query hash in ``index`` and match the hits."""
    hits = index.search([frame.hash for frame in query], thresholds.max_distance)
    return match(query, hits, thresholds)


def match(
    query: Sequence[FrameHash],
    hits: Sequence[Sequence[IndexHit]],
    thresholds: MatchThresholds = DEFAULT_THRESHOLDS,
) -> MatchReport:
    """Match a query video (its frame hashes, and the index hits of each) to references.

    Query hashes sharing a timestamp are one frame (several views of it may have been
    hashed); the frame matches a reference when any of its views does.
    """
    if len(query) != len(hits):
        raise MatchingError(f"{len(query)} query hashes but hit lists for {len(hits)}")
    if not query:
        raise UncheckableVideoError("the query has no frame hashes")
    times = sorted({frame.t_seconds for frame in query})
    usable = _usable_times(query, thresholds.min_quality)
    if not usable:
        raise UncheckableVideoError(
            f"none of the {len(times)} query frames has PDQ quality >= {thresholds.min_quality}"
        )
    best = _best_distances(query, hits, usable, thresholds.max_distance)
    interval = _sampling_interval(usable)
    references = tuple(
        sorted(
            (
                _reference_match(reference, asset, distances, usable, interval, thresholds)
                for (reference, asset), distances in best.items()
            ),
            key=lambda found: (-found.share, found.mean_distance, found.reference_id),
        )
    )
    assets = _asset_matches(references, usable, interval)
    return MatchReport(len(usable), len(times), references, assets)


def _usable_times(query: Sequence[FrameHash], min_quality: int) -> list[float]:
    return sorted({frame.t_seconds for frame in query if frame.quality >= min_quality})


def _best_distances(
    query: Sequence[FrameHash],
    hits: Sequence[Sequence[IndexHit]],
    usable: Sequence[float],
    max_distance: int,
) -> dict[tuple[str, str | None], dict[float, int]]:
    """(reference, asset) -> usable query time -> smallest distance of any hit."""
    usable_set = set(usable)
    best: dict[tuple[str, str | None], dict[float, int]] = defaultdict(dict)
    for frame, frame_hits in zip(query, hits, strict=True):
        if frame.t_seconds not in usable_set:
            continue
        for hit in frame_hits:
            if hit.distance > max_distance:
                continue
            by_time = best[(hit.owner.reference_id, hit.owner.asset_id)]
            previous = by_time.get(frame.t_seconds)
            if previous is None or hit.distance < previous:
                by_time[frame.t_seconds] = hit.distance
    return best


def _sampling_interval(times: Sequence[float]) -> float:
    """Typical gap between sampled frames (0 for a single frame, e.g. an image)."""
    gaps = [later - earlier for earlier, later in pairwise(times)]
    return statistics.median(gaps) if gaps else 0.0


def _longest_run(matched: set[float], usable: Sequence[float]) -> int:
    longest = current = 0
    for t in usable:
        current = current + 1 if t in matched else 0
        longest = max(longest, current)
    return longest


def _reference_match(
    reference_id: str,
    asset_id: str | None,
    distances: dict[float, int],
    usable: Sequence[float],
    interval: float,
    thresholds: MatchThresholds,
) -> ReferenceMatch:
    matched = set(distances)
    times = tuple(sorted(matched))
    run = _longest_run(matched, usable)
    share = len(matched) / len(usable)
    run_seconds = run * interval
    required = min(thresholds.min_matched_frames, len(usable))
    is_match = len(matched) >= required and (
        share >= thresholds.min_share or run_seconds >= thresholds.min_run_seconds
    )
    return ReferenceMatch(
        reference_id=reference_id,
        asset_id=asset_id,
        matched_frames=len(matched),
        usable_frames=len(usable),
        share=share,
        longest_run_frames=run,
        longest_run_seconds=run_seconds,
        mean_distance=statistics.fmean(distances.values()),
        matched_times=times,
        matched_distances=tuple(distances[t] for t in times),
        is_match=is_match,
    )


def _asset_matches(
    references: Sequence[ReferenceMatch], usable: Sequence[float], interval: float
) -> tuple[AssetMatch, ...]:
    """Group matching references by asset; references without an asset are left out."""
    grouped: dict[str, list[ReferenceMatch]] = defaultdict(list)
    for found in references:
        if found.is_match and found.asset_id is not None:
            grouped[found.asset_id].append(found)
    assets = []
    for asset_id, found in grouped.items():
        best: dict[float, int] = {}
        for reference in found:
            for t, distance in zip(
                reference.matched_times, reference.matched_distances, strict=True
            ):
                best[t] = min(distance, best.get(t, distance))
        matched = set(best)
        assets.append(
            AssetMatch(
                asset_id=asset_id,
                reference_ids=tuple(sorted(reference.reference_id for reference in found)),
                matched_frames=len(matched),
                usable_frames=len(usable),
                share=len(matched) / len(usable),
                longest_run_seconds=_longest_run(matched, usable) * interval,
                mean_distance=statistics.fmean(best.values()),
            )
        )
    return tuple(sorted(assets, key=lambda asset: (-asset.share, asset.asset_id)))
