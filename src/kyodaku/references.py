"""Registering reference media: a rights holder's images and clips, as fingerprints.

kyodaku keeps perceptual fingerprints, never the media itself: a rights holder
can protect a work without handing the platform a copy to keep. References
are hashed densely (every frame, mirrored and cropped views) because the
check samples generated videos sparsely.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy.engine import Engine

from kyodaku.media.fingerprint import (
    REFERENCE_EVERY_S,
    REFERENCE_PLAN,
    FingerprintError,
    FrameHash,
    fingerprint_image,
    fingerprint_video,
)
from kyodaku.media.matching import DEFAULT_THRESHOLDS
from kyodaku.media.seal import file_sha256
from kyodaku.media.video_io import MediaError, probe
from kyodaku.registry.model import Registry
from kyodaku.store.db import session_scope
from kyodaku.store.references_repo import ReferenceMedia, ReferenceRepository


class ReferenceMediaError(ValueError):
    """A reference file cannot be registered (names the file and why)."""


@dataclass(frozen=True)
class Fingerprinted:
    kind: str
    width: int
    height: int
    duration: float | None
    frames: int | None
    hashes: list[FrameHash]


def fingerprint_reference(path: Path) -> Fingerprinted:
    """Hash an image or a video file for the reference index (clear error if neither)."""
    if not path.is_file():
        raise ReferenceMediaError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ReferenceMediaError(f"{path}: the file is empty")
    try:
        with Image.open(path) as image:
            width, height = image.size
            is_image = True
    except (UnidentifiedImageError, OSError):
        is_image = False
    try:
        if is_image:
            hashes = fingerprint_image(path, plan=REFERENCE_PLAN)
            return Fingerprinted("image", width, height, None, 1, hashes)
        info = probe(path)
        hashes = fingerprint_video(path, REFERENCE_EVERY_S, plan=REFERENCE_PLAN)
        return Fingerprinted(
            "video", info.width, info.height, info.duration_s, info.frame_count, hashes
        )
    except (FingerprintError, MediaError) as exc:
        raise ReferenceMediaError(str(exc)) from exc


def add_reference(
    engine: Engine, registry: Registry, asset_id: str, path: Path, *, added_by: str
) -> ReferenceMedia:
    """Fingerprint ``path`` and store it as a reference of ``asset_id`` (one transaction)."""
    if registry.asset_kind(asset_id) is None:
        raise ReferenceMediaError(f"--asset: '{asset_id}' is not a registered work or character")
    result = fingerprint_reference(path)
    usable = [h for h in result.hashes if h.quality >= DEFAULT_THRESHOLDS.min_quality]
    if not usable:
        raise ReferenceMediaError(
            f"{path}: no frame has enough detail to fingerprint (PDQ quality below "
            f"{DEFAULT_THRESHOLDS.min_quality}); a flat image could never be matched"
        )
    with session_scope(engine) as session:
        return ReferenceRepository(session).add_reference(
            asset_id=asset_id,
            added_by=added_by,
            filename=path.name,
            sha256=file_sha256(path),
            media_kind=result.kind,  # type: ignore[arg-type]
            width=result.width,
            height=result.height,
            duration=result.duration,
            frame_count=result.frames,
            hashes=usable,
        )
