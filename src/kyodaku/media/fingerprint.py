"""Perceptual fingerprints (PDQ) of images and sampled video frames.

kyodaku keeps fingerprints of reference media, never the media itself. A fingerprint is a
256-bit PDQ hash per image or sampled frame; a video is a sequence of frame hashes with
timestamps. Matching compares hashes by Hamming distance (see ``fingerprint_index`` and
``matching``).

PDQ survives re-encoding, downscaling, brightness changes and small overlays, but not
geometric changes: measured here, a horizontal flip, added letterbox bars or a crop of a few
percent move a hash as far as unrelated content. So the hashing pipeline:

* removes uniform bars (letterbox/pillarbox) before hashing, on references and queries alike,
  so that adding or removing bars changes nothing;
* hashes references mirrored too (and, on request, rotated), so that a flipped copy matches.
  Each variant is hashed from the transformed pixels: pdqhash's ``compute_dihedral``
  derives them from the DCT instead, and on detailed frames that lands 22-36 bits away from
  the hash of the actually flipped frame (measured), too far to match reliably;
* hashes each reference frame again at several centred crops, so that a cropped copy matches
  one of them (PDQ tolerates about 1 % of scale difference, hence a 2 % grid);
* reduces every view to PDQ's own 64x64 working size first with an antialiasing resize:
  hashing then costs ~0.2 ms per view instead of 4-67 ms on a full frame, robustness is
  unchanged (measured), and applying the same steps to both sides keeps hashes comparable.

Decoding is capped before pixels are allocated (decompression bombs) and every failure
raises ``FingerprintError`` naming the file and what is wrong.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pdqhash
from PIL import Image, ImageOps, UnidentifiedImageError

from kyodaku.media.video_io import MAX_PIXELS, MediaError, iter_frames

HASH_BITS = 256
HASH_BYTES = HASH_BITS // 8

ORIGINAL = "original"
#: The eight dihedral variants: the transform applied to the frame before hashing
#: (rotations counter-clockwise, as numpy.rot90).
_DIHEDRAL: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    ORIGINAL: lambda view: view,
    "rot90": lambda view: np.rot90(view, 1),
    "rot180": lambda view: view[::-1, ::-1],
    "rot270": lambda view: np.rot90(view, 3),
    "flip_v": lambda view: view[::-1],
    "flip_h": lambda view: view[:, ::-1],
    "transpose": lambda view: view.transpose(1, 0, 2),
    "transverse": lambda view: view[::-1, ::-1].transpose(1, 0, 2),
}
DIHEDRAL_VARIANTS: tuple[str, ...] = tuple(_DIHEDRAL)

#: Frames are reduced to fit this box before bars are detected and crops are cut.
ANALYSIS_MAX_SIDE = 320
#: Every hashed view (full frame or crop) is resized to PDQ's working size before hashing.
HASH_VIEW_SIZE = (64, 64)

#: Sampling intervals chosen from measurements (benchmarks/matching.py): a frame one frame
#: interval (40 ms) away from another is already 8-26 bits apart on moving scenes, so
#: references are hashed at every frame and queries sparsely.
REFERENCE_EVERY_S: float | None = None  # every frame
QUERY_EVERY_S = 0.5


class FingerprintError(Exception):
    """An image or video could not be fingerprinted (not media, damaged, too big, empty)."""


@dataclass(frozen=True)
class FrameHash:
    """PDQ hash of one view of one frame.

    ``variant`` names the view: ``original`` for the frame itself, a dihedral name
    (``flip_h``, ``rot90``, ...), a crop (``crop90``) or both (``crop90+flip_h``).
    ``quality`` is PDQ's own 0-100 measure of detail; hashes of near-flat frames
    (quality below ~50) are unreliable and matching ignores them.
    """

    t_seconds: float
    variant: str
    hash: bytes
    quality: int

    def __post_init__(self) -> None:
        if len(self.hash) != HASH_BYTES:
            raise ValueError(f"a PDQ hash has {HASH_BYTES} bytes, got {len(self.hash)}")
        if not 0 <= self.quality <= 100:
            raise ValueError(f"PDQ quality lies in 0..100, got {self.quality}")


@dataclass(frozen=True)
class CropSpec:
    """A crop of a frame: fractions of its width and height, placed by its anchor.

    Anchors run from 0 (left/top) to 1 (right/bottom); 0.5 centres the crop.
    """

    width_fraction: float
    height_fraction: float
    anchor_x: float = 0.5
    anchor_y: float = 0.5

    def __post_init__(self) -> None:
        for value in (self.width_fraction, self.height_fraction):
            if not 0.0 < value <= 1.0:
                raise ValueError(f"crop fractions lie in (0, 1], got {value}")
        for value in (self.anchor_x, self.anchor_y):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"crop anchors lie in [0, 1], got {value}")

    @property
    def name(self) -> str:
        """Short stable name used as the hash variant, e.g. ``crop90`` or ``crop90x80@0,50``."""
        w, h = round(self.width_fraction * 100), round(self.height_fraction * 100)
        size = f"crop{w}" if w == h else f"crop{w}x{h}"
        if (self.anchor_x, self.anchor_y) == (0.5, 0.5):
            return size
        return f"{size}@{round(self.anchor_x * 100)},{round(self.anchor_y * 100)}"

    def box(self, width: float, height: float) -> tuple[float, float, float, float]:
        """Crop box (left, top, right, bottom) in a frame of the given size."""
        crop_w, crop_h = width * self.width_fraction, height * self.height_fraction
        left = (width - crop_w) * self.anchor_x
        top = (height - crop_h) * self.anchor_y
        return (left, top, left + crop_w, top + crop_h)


def centred_crops(smallest: float = 0.80, step: float = 0.02) -> tuple[CropSpec, ...]:
    """Centred crops from ``1 - step`` down to ``smallest``.

    PDQ tolerates roughly one percent of scale difference (measured: 12-16 bits at 1 %,
    23-36 bits at 2 %), so a 2 % grid puts every centred crop within 1 % of a grid point.
    """
    if not 0.0 < smallest < 1.0 or not 0.0 < step < 1.0:
        raise ValueError("smallest and step must lie in (0, 1)")
    count = math.floor(round((1.0 - smallest) / step, 6))
    fractions = [round(1.0 - step * i, 4) for i in range(1, count + 1)]
    return tuple(CropSpec(f, f) for f in fractions)


@dataclass(frozen=True)
class HashPlan:
    """Which views of each frame to hash.

    Queries (generated videos, suspected copies) hash the frame as it is; references add
    dihedral variants and crops so that a transformed copy still lands near one of them.
    """

    dihedral: tuple[str, ...] = (ORIGINAL,)
    crops: tuple[CropSpec, ...] = ()
    crop_dihedral: tuple[str, ...] = (ORIGINAL,)
    remove_bars: bool = True

    def __post_init__(self) -> None:
        for name in (*self.dihedral, *self.crop_dihedral):
            if name not in DIHEDRAL_VARIANTS:
                raise ValueError(f"unknown dihedral variant {name!r}; known: {DIHEDRAL_VARIANTS}")
        if not self.dihedral:
            raise ValueError("a hash plan must keep at least one variant of the full frame")


QUERY_PLAN = HashPlan()
REFERENCE_PLAN = HashPlan(
    dihedral=(ORIGINAL, "flip_h"),
    crops=centred_crops(),
    crop_dihedral=(ORIGINAL, "flip_h"),
)


@dataclass(frozen=True)
class DecodeLimits:
    """Caps checked before decoding, so hostile files fail fast instead of exhausting memory."""

    max_pixels: int = MAX_PIXELS  # per image or frame: 8K UHD
    max_hashed_frames: int = 200_000  # sampled frames per video (about 2 h at every frame)


DEFAULT_LIMITS = DecodeLimits()


def hamming_distance(a: bytes, b: bytes) -> int:
    """Number of differing bits between two hashes of equal length."""
    if len(a) != len(b):
        raise ValueError(f"hashes differ in length: {len(a)} and {len(b)} bytes")
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).bit_count()


def content_box(
    rgb: np.ndarray, tolerance: float = 10.0, min_keep: float = 0.4
) -> tuple[int, int, int, int]:
    """Box (left, top, right, bottom) of a frame without uniform bars along its edges.

    A bar is a run of edge rows (or columns) whose luma stays within ``tolerance`` of the
    outermost row's mean colour: black letterbox bars, white pillarbox bars, any flat colour.
    Compression noise stays well inside the tolerance; content rarely does. If removing bars
    would leave less than ``min_keep`` of a side, that side is kept whole: the frame is
    probably flat (a fade to black), not letterboxed.
    """
    luma = _luma(rgb)
    height, width = luma.shape
    top, bottom = _bar_extent(luma, tolerance)
    left, right = _bar_extent(luma.T, tolerance)
    if height - top - bottom < min_keep * height:
        top, bottom = 0, 0
    if width - left - right < min_keep * width:
        left, right = 0, 0
    return (left, top, width - right, height - bottom)


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)


def _bar_extent(luma: np.ndarray, tolerance: float) -> tuple[int, int]:
    """Rows of uniform bar at the start and at the end of the first axis."""

    def leading(rows: np.ndarray) -> int:
        deviation = np.abs(rows - rows[0].mean()).mean(axis=1)
        spread = rows.max(axis=1) - rows.min(axis=1)
        is_bar = (deviation <= tolerance / 2) & (spread <= 2 * tolerance)
        non_bar = np.flatnonzero(~is_bar)
        return int(non_bar[0]) if non_bar.size else rows.shape[0]

    return leading(luma), leading(luma[::-1])


def hash_frame(
    rgb: np.ndarray, t_seconds: float = 0.0, plan: HashPlan = QUERY_PLAN
) -> list[FrameHash]:
    """Hash the views of one RGB frame (H x W x 3, uint8) that ``plan`` asks for."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise FingerprintError(
            f"a frame must be an H x W x 3 uint8 array, got shape {rgb.shape} {rgb.dtype}"
        )
    image = Image.fromarray(_fit(rgb, ANALYSIS_MAX_SIDE))
    box = content_box(np.asarray(image)) if plan.remove_bars else (0, 0, *image.size)
    content_w, content_h = box[2] - box[0], box[3] - box[1]
    hashes = _hash_view(image, box, plan.dihedral, t_seconds, prefix="")
    for crop in plan.crops:
        left, top, right, bottom = crop.box(content_w, content_h)
        crop_box = (box[0] + left, box[1] + top, box[0] + right, box[1] + bottom)
        hashes += _hash_view(image, crop_box, plan.crop_dihedral, t_seconds, prefix=crop.name)
    return hashes


def _fit(rgb: np.ndarray, max_side: int) -> np.ndarray:
    height, width = rgb.shape[:2]
    if max(height, width) <= max_side:
        return np.ascontiguousarray(rgb)
    size = _fitted_size(width, height, max_side)
    # area averaging: a wider filter would smear letterbox bar edges into the picture rows
    # and move the detected content box by a row (measured: ~8 bits on letterboxed copies)
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BOX))


def _fitted_size(width: float, height: float, max_side: int) -> tuple[int, int]:
    scale = max_side / max(width, height)
    return (max(1, round(width * scale)), max(1, round(height * scale)))


def _hash_view(
    image: Image.Image,
    box: tuple[float, float, float, float],
    variants: Sequence[str],
    t_seconds: float,
    prefix: str,
) -> list[FrameHash]:
    view = np.asarray(image.resize(HASH_VIEW_SIZE, Image.Resampling.BILINEAR, box=box))
    hashes = []
    for name in variants:
        bits, quality = pdqhash.compute(np.ascontiguousarray(_DIHEDRAL[name](view)))
        hashes.append(
            FrameHash(
                t_seconds=t_seconds,
                variant=_variant_name(prefix, name),
                hash=np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes(),
                quality=int(quality),
            )
        )
    return hashes


def _variant_name(prefix: str, dihedral: str) -> str:
    if not prefix:
        return dihedral
    return prefix if dihedral == ORIGINAL else f"{prefix}+{dihedral}"


def fingerprint_image(
    source: str | os.PathLike[str] | np.ndarray,
    *,
    plan: HashPlan = QUERY_PLAN,
    limits: DecodeLimits = DEFAULT_LIMITS,
) -> list[FrameHash]:
    """Fingerprint one image (a file or an array), at ``t_seconds`` 0.

    Arrays may be H x W (grey), H x W x 3 (RGB) or H x W x 4 (RGBA) uint8. Files are read
    with Pillow after checking their declared size against ``limits.max_pixels``; EXIF
    orientation is applied so a rotated phone photo hashes like its upright copy.
    """
    rgb = _array_to_rgb(source) if isinstance(source, np.ndarray) else _read_image(source, limits)
    if rgb.shape[0] * rgb.shape[1] > limits.max_pixels:
        raise FingerprintError(
            f"image of {rgb.shape[1]}x{rgb.shape[0]} pixels exceeds the limit of "
            f"{limits.max_pixels} pixels"
        )
    return hash_frame(rgb, 0.0, plan)


def _array_to_rgb(array: np.ndarray) -> np.ndarray:
    if array.dtype != np.uint8:
        raise FingerprintError(f"image arrays must be uint8, got {array.dtype}")
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    elif array.ndim == 3 and array.shape[2] == 4:
        array = array[:, :, :3]
    if array.ndim != 3 or array.shape[2] != 3:
        raise FingerprintError(
            f"image arrays must be H x W, H x W x 3 or H x W x 4, got shape {array.shape}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise FingerprintError(f"image array is empty (shape {array.shape})")
    return np.ascontiguousarray(array)


def _read_image(path: str | os.PathLike[str], limits: DecodeLimits) -> np.ndarray:
    name = str(path)
    try:
        with Image.open(path) as image:
            width, height = image.size  # read from the header; no pixels decoded yet
            if width * height > limits.max_pixels:
                raise FingerprintError(
                    f"{name}: image of {width}x{height} pixels exceeds the limit of "
                    f"{limits.max_pixels} pixels"
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = np.asarray(upright.convert("RGB"))
    except FingerprintError:
        raise
    except FileNotFoundError as exc:
        raise FingerprintError(f"{name}: no such file") from exc
    except Image.DecompressionBombError as exc:  # Pillow's own, larger cap hit while opening
        raise FingerprintError(f"{name}: image size exceeds the limit ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise FingerprintError(f"{name}: not an image Pillow can read") from exc
    except (OSError, ValueError) as exc:
        raise FingerprintError(f"{name}: damaged or truncated image ({exc})") from exc
    return _array_to_rgb(rgb)


def fingerprint_video(
    path: str | os.PathLike[str],
    every_s: float | None = QUERY_EVERY_S,
    *,
    plan: HashPlan = QUERY_PLAN,
    limits: DecodeLimits = DEFAULT_LIMITS,
) -> list[FrameHash]:
    """Fingerprint the frames of a video sampled every ``every_s`` seconds (None: every frame).

    Register references with ``every_s=REFERENCE_EVERY_S, plan=REFERENCE_PLAN``; check
    generated videos and suspected copies with the defaults. Decoding goes through
    ``video_io.iter_frames``, which rejects oversized, truncated and frameless files.
    """
    hashes: list[FrameHash] = []
    frames = iter_frames(
        path,
        every_s=every_s,
        max_frames=limits.max_hashed_frames + 1,
        max_pixels=limits.max_pixels,
    )
    try:
        for count, (t_seconds, rgb) in enumerate(frames, start=1):
            if count > limits.max_hashed_frames:
                raise FingerprintError(
                    f"{path}: more than {limits.max_hashed_frames} sampled frames; "
                    "sample less often or raise DecodeLimits.max_hashed_frames"
                )
            hashes += hash_frame(rgb, t_seconds, plan)
    except MediaError as exc:
        raise FingerprintError(str(exc)) from exc
    return hashes
