"""The output check: does the generated video reproduce protected reference media?

Prompt screening cannot see what a model remembers: a paraphrase, or the
model's own memory, can still reproduce a protected work. So every generated
video is sampled and matched against the rights holders' reference media
before release. A match on an asset the request is licensed to use is fine
(Pikachu licensed, Pikachu seen); a match on any other asset holds the video
back, and the refusal says which asset and how much of the video matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kyodaku.media.fingerprint import FrameHash, fingerprint_video
from kyodaku.media.fingerprint_index import FingerprintIndex
from kyodaku.media.matching import AssetMatch, MatchReport, MatchThresholds, search_and_match
from kyodaku.policy import Decision
from kyodaku.registry.model import Registry


@dataclass(frozen=True)
class OutputCheck:
    passed: bool
    #: Assets whose references the video matched without a licence for them.
    unlicensed: tuple[AssetMatch, ...]
    #: Assets whose references matched and that the request is licensed to use.
    licensed: tuple[AssetMatch, ...]
    report: MatchReport | None
    #: The sampled frame hashes (kept so a released video can be traced later).
    hashes: tuple[FrameHash, ...]
    frames_checked: int

    def as_dict(self) -> dict[str, object]:
        def asset(match: AssetMatch) -> dict[str, object]:
            # Fixed-point text: this goes into the ledger, which hashes no floats.
            return {
                "asset_id": match.asset_id,
                "share": f"{match.share:.4f}",
                "longest_run_seconds": f"{match.longest_run_seconds:.2f}",
                "mean_distance": f"{match.mean_distance:.2f}",
                "reference_ids": list(match.reference_ids),
            }

        return {
            "passed": self.passed,
            "frames_checked": self.frames_checked,
            "unlicensed": [asset(m) for m in self.unlicensed],
            "licensed": [asset(m) for m in self.licensed],
        }


def permitted_assets(registry: Registry, decision: Decision) -> frozenset[str]:
    """Assets the decision allows this video to show (a character's world included)."""
    allowed: set[str] = set()
    for verdict in decision.verdicts:
        if not verdict.permitted:
            continue
        allowed.add(verdict.asset_id)
        work = registry.work_of(verdict.asset_id)
        if work is not None:
            allowed.add(work.id)
    return frozenset(allowed)


def check_output(
    video: Path,
    index: FingerprintIndex,
    allowed: frozenset[str],
    thresholds: MatchThresholds,
    every_s: float = 0.5,
) -> OutputCheck:
    """Fingerprint ``video`` and match it against ``index`` (raises on unreadable media)."""
    hashes = tuple(fingerprint_video(video, every_s))
    frames = len({h.t_seconds for h in hashes})
    if len(index) == 0:
        # No reference media registered at all: nothing to compare with.
        return OutputCheck(True, (), (), None, hashes, frames)
    report = search_and_match(index, hashes, thresholds)
    unlicensed = tuple(m for m in report.assets if m.asset_id not in allowed)
    licensed = tuple(m for m in report.assets if m.asset_id in allowed)
    return OutputCheck(not unlicensed, unlicensed, licensed, report, hashes, frames)
