"""Where the invisible watermark lives: a scale-free view of a frame's luma, and a keyed layout.

Why this domain: re-encoding, downscaling and JPEG keep a frame's coarse structure and destroy
its fine detail, so the watermark is written into the lowest spatial frequencies of the luma of
the frame resampled to a fixed *canonical* size (128×128, whatever the frame's size or aspect).
A detector resamples whatever it is given to the same size, so a 50% downscale changes nothing it
measures. Each coded bit owns one or two DCT coefficients of that canonical image; the key decides
which, with which sign, and with which quantiser offset (dither), so without the key the mark can
be neither read nor forged.

The layout is derived from SHAKE-256 rather than ``numpy.random``: numpy does not promise that a
seeded Generator yields the same stream in later versions, and a watermark written today must
still be readable after any upgrade.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image

CANONICAL_SIZE = 128
"""Side of the square canonical luma image in which the mark is embedded and read."""

_WORK_SIZE = 2 * CANONICAL_SIZE  # finer view used to measure texture for perceptual masking
BAND_RADIUS = 16
"""Coefficients (u, v) with 1 ≤ √(u²+v²) < BAND_RADIUS carry the mark (DC excluded)."""

_DOMAIN_LABEL = b"kyodaku-watermark-v1"


class WatermarkInputError(ValueError):
    """A frame handed to the watermark is not an RGB uint8 image of a usable size."""


def check_frame(frame: np.ndarray, min_height: int, min_width: int) -> None:
    """Fail with a specific message unless ``frame`` is an (H, W, 3) uint8 array large enough."""
    if not isinstance(frame, np.ndarray):
        raise WatermarkInputError(f"frame must be a numpy array, got {type(frame).__name__}")
    if frame.dtype != np.uint8:
        raise WatermarkInputError(f"frame must be uint8, got {frame.dtype}")
    if frame.ndim != 3 or frame.shape[2] != 3:
        raise WatermarkInputError(f"frame must have shape (H, W, 3), got {frame.shape}")
    height, width = frame.shape[:2]
    if height < min_height or width < min_width:
        raise WatermarkInputError(
            f"frame {width}×{height} is smaller than the minimum {min_width}×{min_height}"
        )


def _dct_matrix(n: int) -> np.ndarray:
    """Orthonormal DCT-II matrix: row k is the k-th cosine basis vector."""
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    matrix = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2.0 / n)
    matrix[0] /= np.sqrt(2.0)
    return matrix


_DCT_LOW = _dct_matrix(CANONICAL_SIZE)[:BAND_RADIUS]  # only the low rows are ever needed


def work_luma(frame: np.ndarray) -> np.ndarray:
    """Luma (ITU-R 601) of ``frame`` area-averaged to the 256×256 working size, as float64."""
    image = Image.fromarray(frame).convert("L").convert("F")
    return np.asarray(image.resize((_WORK_SIZE, _WORK_SIZE), Image.Resampling.BOX), np.float64)


def canonical_from_work(work: np.ndarray) -> np.ndarray:
    """The 128×128 canonical luma: each pixel the mean of a 2×2 block of the working image."""
    return work.reshape(CANONICAL_SIZE, 2, CANONICAL_SIZE, 2).mean(axis=(1, 3))


def canonical_luma(frame: np.ndarray) -> np.ndarray:
    """Canonical luma of a frame, computed the same way by the embedder and the detector."""
    return canonical_from_work(work_luma(frame))


def perceptual_mask(work: np.ndarray, floor: float = 0.25, ceiling: float = 2.5) -> np.ndarray:
    """Where the mark may be strong, at canonical size, with mean 1.

    The eye misses small changes in busy texture and sees them on flat areas (sky, walls) and in
    near-black or near-white regions, so the mark's amplitude follows the local standard
    deviation of the luma (3×3 neighbourhoods of the finer working image), relative to the
    frame's median, clipped to [floor, ceiling] and damped near the ends of the luma range.
    """
    padded = np.pad(work, 1, mode="edge")
    size = work.shape[0]
    windows = [padded[i : i + size, j : j + size] for i in range(3) for j in range(3)]
    mean = sum(windows) / 9.0
    mean_square = sum(w * w for w in windows) / 9.0
    local_std = canonical_from_work(np.sqrt(np.maximum(mean_square - mean * mean, 0.0)))
    reference = float(np.median(local_std)) + 1e-3
    mask = np.clip(local_std / reference, floor, ceiling)
    luma = canonical_from_work(work)
    mask *= np.clip(np.minimum(luma, 255.0 - luma) / 24.0, 0.3, 1.0)
    return mask / mask.mean()


@dataclass(frozen=True)
class KeyedLayout:
    """Which band coefficients carry which coded bit, with chip signs and quantiser dithers."""

    coded_bits: int
    rows: np.ndarray  # DCT row index (vertical frequency) of each carrying coefficient
    cols: np.ndarray  # DCT column index (horizontal frequency)
    bit_of: np.ndarray  # coded bit carried by each coefficient
    weights: np.ndarray  # chip sign / sqrt(coefficients of that bit): unit-norm spreading
    dither: np.ndarray  # per coded bit, in [0, 1): offset of its quantisation lattice

    def project(self, canonical: np.ndarray) -> np.ndarray:
        """Per coded bit, the projection of a canonical luma image onto that bit's direction."""
        coefficients = _DCT_LOW @ canonical @ _DCT_LOW.T
        values = coefficients[self.rows, self.cols] * self.weights
        return np.bincount(self.bit_of, weights=values, minlength=self.coded_bits)

    def pattern(self, amplitudes: np.ndarray) -> np.ndarray:
        """Canonical image whose projection on each bit's direction is that bit's amplitude."""
        coefficients = np.zeros((BAND_RADIUS, BAND_RADIUS))
        np.add.at(coefficients, (self.rows, self.cols), amplitudes[self.bit_of] * self.weights)
        return _DCT_LOW.T @ coefficients @ _DCT_LOW


def _key_stream(key: bytes, purpose: bytes, n_bytes: int) -> bytes:
    return hashlib.shake_256(_DOMAIN_LABEL + b"|" + purpose + b"|" + key).digest(n_bytes)


def _key_uint64(key: bytes, purpose: bytes, count: int) -> np.ndarray:
    return np.frombuffer(_key_stream(key, purpose, 8 * count), dtype=">u8").astype(np.uint64)


@lru_cache(maxsize=16)
def keyed_layout(key: bytes, coded_bits: int) -> KeyedLayout:
    """The layout for ``key``: band coefficients shuffled and dealt round-robin to coded bits."""
    if not key:
        raise ValueError("watermark key must not be empty")
    rows, cols = np.mgrid[0:BAND_RADIUS, 0:BAND_RADIUS]
    radius = np.hypot(rows, cols)
    in_band = (radius >= 1) & (radius < BAND_RADIUS)
    rows, cols = rows[in_band], cols[in_band]
    if len(rows) < coded_bits:
        raise ValueError(f"band holds {len(rows)} coefficients, fewer than {coded_bits} bits")
    order = np.argsort(_key_uint64(key, b"order", len(rows)), kind="stable")
    rows, cols = rows[order], cols[order]
    bit_of = np.arange(len(rows)) % coded_bits
    chips = np.where(_key_uint64(key, b"chips", len(rows)) & np.uint64(1), 1.0, -1.0)
    per_bit = np.bincount(bit_of, minlength=coded_bits).astype(np.float64)
    dither = _key_uint64(key, b"dither", coded_bits).astype(np.float64) / 2.0**64
    return KeyedLayout(
        coded_bits=coded_bits,
        rows=rows,
        cols=cols,
        bit_of=bit_of,
        weights=chips / np.sqrt(per_bit[bit_of]),
        dither=dither,
    )
