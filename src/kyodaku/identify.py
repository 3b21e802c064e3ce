"""What is this video? Trace a file back to its generation record.

Three independent traces, strongest first: the signed C2PA manifest (names
the generation id, but is lost on re-encode), the invisible watermark
(survives re-encoding, downscaling and excerpts), and the perceptual
fingerprints of every released video (survive even a watermark-destroying
edit). ``kyodaku verify`` and claims both use this; neither trusts one trace
alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from kyodaku.fingerprints import FingerprintIndexCache
from kyodaku.media.c2pa_read import ProvenanceReport, read_manifest
from kyodaku.media.fingerprint import FingerprintError, fingerprint_video
from kyodaku.media.matching import (
    MatchThresholds,
    UncheckableVideoError,
    search_and_match,
)
from kyodaku.media.seal import file_sha256
from kyodaku.media.video_io import MediaError, iter_frames
from kyodaku.media.watermark import DEFAULT_KEY, PAYLOAD_BITS, DetectionResult, detect_frames
from kyodaku.store.db import session_scope
from kyodaku.store.errors import NotFound
from kyodaku.store.generations_repo import Generation, GenerationRepository

#: How many frames the watermark reader looks at (spread over the video).
WATERMARK_FRAMES = 96


@dataclass(frozen=True)
class Identification:
    path: Path
    sha256: str
    manifest: ProvenanceReport | None
    manifest_error: str | None
    watermark: DetectionResult | None
    watermark_error: str | None
    watermark_key: str | None
    #: Released generations whose fingerprints match, best first: (id, share).
    fingerprint_matches: tuple[tuple[str, float], ...]
    generation: Generation | None
    #: Which traces led to ``generation`` ("manifest", "watermark", "fingerprint", "sha256").
    found_by: tuple[str, ...] = ()
    #: Traces that disagree with each other (a forged or spliced file).
    conflicts: tuple[str, ...] = ()
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.generation is not None


def identify(
    path: Path,
    engine: Engine,
    released_index: FingerprintIndexCache | None,
    *,
    trust_anchors_pem: str | None = None,
    thresholds: MatchThresholds | None = None,
    watermark_key: bytes = DEFAULT_KEY,
) -> Identification:
    """Read every trace in ``path`` and look the generation up in the store."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    digest = file_sha256(path)
    manifest, manifest_error = _manifest(path, trust_anchors_pem)
    watermark, watermark_error = _watermark(path, watermark_key)
    key = None
    if watermark is not None and watermark.found and watermark.payload is not None:
        key = format(watermark.payload, f"0{PAYLOAD_BITS // 4}x")
    matches = _fingerprint_matches(path, released_index, thresholds) if released_index else ()

    candidates: dict[str, list[str]] = {}
    with session_scope(engine, read_only=True) as session:
        repo = GenerationRepository(session)
        if manifest is not None and manifest.present and manifest.valid and manifest.generation_id:
            candidates.setdefault(manifest.generation_id, []).append("manifest")
        if key is not None:
            for generation in repo.by_watermark_key(key):
                candidates.setdefault(generation.id, []).append("watermark")
        for generation in repo.by_output_sha256(digest):
            candidates.setdefault(generation.id, []).append("sha256")
        for generation_id, _share in matches[:1]:
            candidates.setdefault(generation_id, []).append("fingerprint")
        generation = None
        found_by: tuple[str, ...] = ()
        conflicts: list[str] = []
        # The candidate with the most independent traces wins; others are conflicts.
        ranked = sorted(candidates.items(), key=lambda item: -len(item[1]))
        for generation_id, traces in ranked:
            try:
                record = repo.get(generation_id)
            except NotFound:
                conflicts.append(f"{'+'.join(traces)} names {generation_id}, which is not ours")
                continue
            if generation is None:
                generation, found_by = record, tuple(traces)
            else:
                conflicts.append(f"{'+'.join(traces)} points to another generation {generation_id}")
    return Identification(
        path=path,
        sha256=digest,
        manifest=manifest,
        manifest_error=manifest_error,
        watermark=watermark,
        watermark_error=watermark_error,
        watermark_key=key,
        fingerprint_matches=matches,
        generation=generation,
        found_by=found_by,
        conflicts=tuple(conflicts),
    )


def _manifest(path: Path, anchors: str | None) -> tuple[ProvenanceReport | None, str | None]:
    try:
        return read_manifest(path, trust_anchors_pem=anchors), None
    except Exception as exc:  # a broken manifest is a finding, not a crash
        return None, f"{type(exc).__name__}: {exc}"


def _watermark(path: Path, key: bytes) -> tuple[DetectionResult | None, str | None]:
    try:
        frames = (frame for _t, frame in iter_frames(path, max_frames=WATERMARK_FRAMES))
        return detect_frames(frames, max_frames=WATERMARK_FRAMES, key=key), None
    except MediaError as exc:
        return None, str(exc)


def _fingerprint_matches(
    path: Path, released: FingerprintIndexCache, thresholds: MatchThresholds | None
) -> tuple[tuple[str, float], ...]:
    try:
        hashes = fingerprint_video(path, 0.5)
        index = released.index()
        if len(index) == 0:
            return ()
        report = search_and_match(index, hashes, thresholds or MatchThresholds())
    except (UncheckableVideoError, MediaError, FingerprintError):
        return ()
    found = [(m.reference_id, m.share) for m in report.references if m.is_match]
    return tuple(sorted(found, key=lambda item: -item[1]))
