"""The seal: visible label, invisible watermark, signed C2PA manifest.

Every released video carries its generation id twice, inside the invisible
watermark and inside the signed manifest, so that either one finds the
record again: the manifest is lost whenever a platform re-encodes, the
watermark survives that. Order matters: label first (part of the picture),
then the watermark over the final pixels, then the signature over the final
bytes. Any failure raises: the gateway releases nothing unsealed.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kyodaku.media.c2pa_identity import SigningIdentity
from kyodaku.media.c2pa_sign import sign_mp4
from kyodaku.media.label import VisibleLabel
from kyodaku.media.video_io import transcode
from kyodaku.media.watermark import PAYLOAD_BITS, WatermarkEmbedder, payload_from_id

#: The soft-binding algorithm name written into manifests.
WATERMARK_ALG = "org.kyodaku.watermark.v1"


@dataclass(frozen=True)
class SealResult:
    path: Path
    sha256: str
    size_bytes: int
    watermark_payload_hex: str
    manifest_label: str


def watermark_key_hex(generation_id: str) -> str:
    """The watermark payload of a generation id, as the hex the ledger indexes."""
    return format(payload_from_id(generation_id), f"0{PAYLOAD_BITS // 4}x")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mark_frames(src: Path, dst: Path, generation_id: str, label: VisibleLabel, key: bytes) -> None:
    """Re-encode ``src`` into ``dst`` with the label and the watermark on every frame."""
    embedder = WatermarkEmbedder(payload_from_id(generation_id), key=key)

    def transform(frame: np.ndarray, index: int) -> np.ndarray:
        return embedder.embed(label.apply(frame), index)

    transcode(src, dst, transform)


def seal_video(
    src: Path,
    dst: Path,
    *,
    generation_id: str,
    manifest: dict,
    identity: SigningIdentity,
    label: VisibleLabel,
    watermark_key: bytes,
) -> SealResult:
    """Label, watermark and sign ``src`` into ``dst`` (an MP4)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kyodaku-seal-", dir=dst.parent) as tmp:
        marked = Path(tmp) / "marked.mp4"
        mark_frames(src, marked, generation_id, label, watermark_key)
        signed = sign_mp4(marked, dst, manifest, identity)
    return SealResult(
        path=dst,
        sha256=file_sha256(dst),
        size_bytes=dst.stat().st_size,
        watermark_payload_hex=watermark_key_hex(generation_id),
        manifest_label=signed.manifest_label,
    )
