"""Helpers shared by gateway and CLI tests: an invented registry, small media."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from kyodaku.media.video_io import write_mp4

#: Invented rights holders, works and characters (no real works needed here).
REGISTRY = {
    "rights_holders": [
        {"id": "rh-lumen", "name": "Lumen Studio"},
        {"id": "rh-tidal", "name": "Tidal Press"},
    ],
    "works": [
        {
            "id": "w-star-gear",
            "rights_holder": "rh-lumen",
            "titles": {"en": ["Star Gear Saga"], "ja": ["スターギアサーガ"]},
            "terms": ["Gearblade", "Orbit Academy"],
        },
        {
            "id": "w-deep-tide",
            "rights_holder": "rh-tidal",
            "titles": {"en": ["Deep Tide Chronicles"], "ja": ["ディープタイド"]},
            "terms": ["Brine Compass"],
        },
    ],
    "characters": [
        {
            "id": "c-zorblax",
            "work": "w-star-gear",
            "names": {"en": ["Zorblax"], "ja": ["ゾルブラックス"]},
            "aliases": [],
            "description": "A violet clockwork knight with a cracked brass visor and a glowing "
            "gear-shaped heart.",
        },
        {
            "id": "c-marisol",
            "work": "w-deep-tide",
            "names": {"en": ["Marisol Keel"], "ja": ["マリソル"]},
            "aliases": ["the Brine Queen"],
            "description": "A silver-haired sea captain with a coral crown and an eel-skin coat.",
        },
    ],
    "licences": [
        {
            "id": "lic-zorblax-fan",
            "assets": ["c-zorblax"],
            "purposes": ["non-commercial"],
            "prohibited_contexts": ["alcohol", "gambling"],
            "royalty_rate": 0.1,
            "currency": "JPY",
        }
    ],
}


def write_registry(directory: Path, doc: dict | None = None, name: str = "registry.json") -> Path:
    path = directory / name
    path.write_text(json.dumps(doc or REGISTRY, ensure_ascii=False), encoding="utf-8")
    return path


def textured_frames(count: int, width: int = 320, height: int = 180, seed: int = 1):
    """Detailed, moving frames (PDQ needs texture): a drifting noise field with a shape."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, size=(height * 2, width * 2, 3), dtype=np.uint8)
    smooth = base.astype(np.float32)
    for axis in (0, 1):
        smooth = (smooth + np.roll(smooth, 1, axis=axis) + np.roll(smooth, -1, axis=axis)) / 3
    field = smooth.astype(np.uint8)
    for i in range(count):
        y, x = (i * 3) % height, (i * 5) % width
        frame = field[y : y + height, x : x + width].copy()
        cx = 40 + (i * 4) % (width - 80)
        frame[60:120, cx : cx + 40] = (230, 40, 60)
        yield frame


def write_textured_video(path: Path, seconds: float = 3.0, fps: int = 12, seed: int = 1) -> Path:
    count = int(seconds * fps)
    tone = (0.1 * np.sin(np.arange(int(seconds * 48000)) * 2 * np.pi * 440 / 48000)).astype(
        np.float32
    )
    write_mp4(path, textured_frames(count, seed=seed), fps, audio=tone)
    return path


def reencode_scaled(src: Path, dst: Path, scale: float = 0.5, crf: int = 28) -> Path:
    """What a platform does to an upload: decode, downscale, re-encode, drop metadata."""
    from PIL import Image

    from kyodaku.media.video_io import iter_frames, probe

    info = probe(src)
    width = int(info.width * scale) // 2 * 2
    height = int(info.height * scale) // 2 * 2

    def frames():
        for _t, frame in iter_frames(src):
            yield np.asarray(Image.fromarray(frame).resize((width, height), Image.BILINEAR))

    write_mp4(dst, frames(), round(info.fps), crf=crf)
    return dst
