"""Invisible watermark carrying a generation's 64-bit key in every frame of a video.

How it works (the "Seal" of issue 4):

* The payload is the first 64 bits of SHA-256 of the generation id (``payload_from_id``); the
  ledger is searched by that key. It is protected by a CRC-16 and a rate-1/2 convolutional code
  (``watermark_ecc``): 172 coded bits.
* Each frame's luma is resampled to a fixed 128×128 canonical image (``watermark_domain``). Each
  coded bit owns one or two of its lowest DCT coefficients, chosen and signed by the key.
* Embedding is quantisation index modulation (dither modulation, spread over the bit's
  coefficients; Chen & Wornell 2001): each bit's projection is moved to the nearest point of
  the lattice that stands for its value (step ``QUANT_STEP``, keyed offset). Because the
  embedder *reads the picture first* and only nudges it to the nearest valid point, the picture
  itself does not interfere with the mark — which matters in the low frequencies, where picture
  energy dwarfs any invisible signal and a plain additive spread-spectrum mark is drowned.
* The change is weighted by a perceptual mask (strong in texture, weak on flat areas and near
  black or white), solved so the projections still land on the lattice, upscaled to the frame's
  size and added to R, G and B alike (so chroma is untouched).
* Between consecutive frames the embedder keeps each bit on the same lattice point while the
  picture drifts less than ``HYSTERESIS`` steps from it, so a slowly changing picture does not
  make the mark jump between lattice points (flicker).
* Every frame carries the whole codeword, so any excerpt can be read. The detector averages, per
  coded bit, a soft vote (the cosine of the distance to the two lattices) over all frames it is
  given, decodes with soft-decision Viterbi, and reports a payload only when the CRC matches and
  the votes agree with the decoded codeword strongly enough (``MIN_CONFIDENCE``).

Pure numpy and Pillow; no file I/O. Not robust to cropping, rotation, mirroring or heavy colour
grading: those move or rescale the canonical image.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from kyodaku.media import watermark_ecc as ecc
from kyodaku.media.watermark_domain import (
    CANONICAL_SIZE,
    KeyedLayout,
    canonical_from_work,
    canonical_luma,
    check_frame,
    keyed_layout,
    perceptual_mask,
    work_luma,
)

PAYLOAD_BITS = 64
CODED_BITS = ecc.coded_length(PAYLOAD_BITS)
QUANT_STEP = 80.0
"""Lattice step of the quantiser, in orthonormal-DCT units of the 0–255 canonical luma.

A protocol constant: the detector must use the step the embedder used. 80 keeps the PSNR near
40 dB on textured video while surviving H.264 at CRF 28 (see benchmarks/watermark_robustness.py).
"""
PEAK_CHANGE = 12.0
"""Largest change of the canonical luma, in grey levels (the upscaled change can only be less)."""
HYSTERESIS = 0.6
"""A bit stays on its previous lattice point while the picture is within this many steps of it."""
DEFAULT_STRENGTH = 1.0
MIN_STRENGTH = 0.5
MIN_CONFIDENCE = 5.0
"""Standard deviations above noise the decoded codeword's agreement must reach to be reported.

A rate-1/2 code has so many codewords that Viterbi finds one agreeing with about 80% of the
weight of pure noise, and how much exactly depends on how the votes are spread. So each result
is compared with the same decoder run on shuffled copies of its own votes (which carry no
codeword): ``confidence`` is (agreement − their mean) / their standard deviation. A false report
needs this and the CRC-16 (2**-16) to pass by chance; the benchmark measures both on unmarked
clips.
"""
_NULL_SHUFFLES = 64
_MIN_NULL_SPREAD = 0.01  # floor for the shuffled agreements' standard deviation
DEFAULT_KEY = b"kyodaku"
DEFAULT_MAX_FRAMES = 240
MIN_EMBED_SIZE = (90, 160)  # (height, width)
MIN_DETECT_SIZE = (36, 64)
_JACOBI_ITERATIONS = 4


def payload_from_id(generation_id: str) -> int:
    """The watermark payload for a generation: the first 64 bits of SHA-256 of its UTF-8 id.

    Stable forever (the ledger is searched by this key); 64 bits keep accidental collisions
    negligible (about one pair in 2**32 generations).
    """
    if not generation_id:
        raise ValueError("generation id must not be empty")
    digest = hashlib.sha256(generation_id.encode("utf-8")).digest()
    return int.from_bytes(digest[: PAYLOAD_BITS // 8], "big")


def _lattice_point(projection: np.ndarray, bits: np.ndarray, dither: np.ndarray) -> np.ndarray:
    """Nearest point of each bit's lattice: multiples of the step, offset by dither and bit."""
    offset = (dither + 0.5 * bits) * QUANT_STEP
    return np.round((projection - offset) / QUANT_STEP) * QUANT_STEP + offset


def _soft_votes(projection: np.ndarray, layout: KeyedLayout) -> np.ndarray:
    """Per coded bit: +1 on the lattice of 0, -1 on the lattice of 1, in between elsewhere."""
    return np.cos(2.0 * np.pi * (projection / QUANT_STEP - layout.dither))


def _masked_residual(layout: KeyedLayout, change: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Canonical residual, shaped by ``mask``, whose projections equal ``change``.

    Masking mixes the coefficients a little, so the amplitudes are corrected by a few Jacobi
    iterations (the mask has mean 1, so the system is close to the identity). The change is also
    capped at ``PEAK_CHANGE`` grey levels: low-frequency cosines all peak at the image's edges
    and corners, where they would otherwise add up to a visible spot; the iterations move the
    lost energy elsewhere.
    """
    amplitudes = change.copy()
    residual = np.clip(mask * layout.pattern(amplitudes), -PEAK_CHANGE, PEAK_CHANGE)
    for _ in range(_JACOBI_ITERATIONS):
        amplitudes += change - layout.project(residual)
        residual = np.clip(mask * layout.pattern(amplitudes), -PEAK_CHANGE, PEAK_CHANGE)
    return residual


def _add_to_frame(frame: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """Upscale a canonical luma residual to the frame and add it to R, G and B, saturating."""
    height, width = frame.shape[:2]
    image = Image.fromarray(residual.astype(np.float32), mode="F")
    upscaled = np.asarray(image.resize((width, height), Image.Resampling.BILINEAR))
    marked = frame.astype(np.int16)
    marked += np.rint(upscaled).astype(np.int16)[:, :, None]
    np.clip(marked, 0, 255, out=marked)
    return marked.astype(np.uint8)


def _agreement(votes: np.ndarray, codeword: np.ndarray) -> float:
    """Share of the votes' weight that agrees with a codeword, in [-1, 1]."""
    total = float(np.abs(votes).sum())
    return float((1.0 - 2.0 * codeword) @ votes) / total if total > 0 else 0.0


def _confidence(votes: np.ndarray, codeword: np.ndarray) -> float:
    """Standard deviations by which the agreement beats that of the same votes shuffled."""
    if not np.any(votes):
        return 0.0
    shuffler = np.random.default_rng(0)  # fixed: the same votes always give the same answer
    shuffled = np.stack([shuffler.permutation(votes) for _ in range(_NULL_SHUFFLES)])
    messages = ecc.decode_messages(shuffled)
    null = [
        _agreement(vector, ecc.encode_message(message))
        for vector, message in zip(shuffled, messages, strict=True)
    ]
    spread = max(float(np.std(null)), _MIN_NULL_SPREAD)
    return (_agreement(votes, codeword) - float(np.mean(null))) / spread


class WatermarkEmbedder:
    """Writes one payload into frames. Use one embedder per video, frames in order.

    ``index`` is the frame's position in the video: when it follows the previous call's index
    the lattice points chosen for the previous frame are kept where still close (no flicker);
    any other index starts afresh, so frames may also be embedded out of order or alone.
    ``strength`` in [0.5, 1] is the fraction of the way each projection is moved to its lattice
    point (distortion compensation): 1 is the most robust, lower values trade robustness for
    fidelity.
    """

    def __init__(
        self, payload: int, strength: float = DEFAULT_STRENGTH, key: bytes = DEFAULT_KEY
    ) -> None:
        if not isinstance(payload, int) or not 0 <= payload < 1 << PAYLOAD_BITS:
            raise ValueError(f"payload must be an int in [0, 2**{PAYLOAD_BITS}), got {payload!r}")
        if not MIN_STRENGTH <= strength <= 1.0:
            raise ValueError(f"strength must be in [{MIN_STRENGTH}, 1.0], got {strength}")
        self.payload = payload
        self.strength = float(strength)
        self._layout = keyed_layout(bytes(key), CODED_BITS)
        self._bits = ecc.encode(payload, PAYLOAD_BITS)
        self._lattice: np.ndarray | None = None
        self._last_index: int | None = None

    def embed(self, frame: np.ndarray, index: int) -> np.ndarray:
        """Return a marked copy of ``frame`` (H, W, 3) uint8 RGB; the input is not modified."""
        check_frame(frame, *MIN_EMBED_SIZE)
        work = work_luma(frame)
        projection = self._layout.project(canonical_from_work(work))
        nearest = _lattice_point(projection, self._bits, self._layout.dither)
        if (
            self._lattice is not None
            and self._last_index is not None
            and index == (self._last_index + 1)
        ):
            still_close = np.abs(projection - self._lattice) <= HYSTERESIS * QUANT_STEP
            target = np.where(still_close, self._lattice, nearest)
        else:
            target = nearest
        self._lattice, self._last_index = target, index
        change = self.strength * (target - projection)
        residual = _masked_residual(self._layout, change, perceptual_mask(work))
        return _add_to_frame(frame, residual)


@dataclass(frozen=True)
class DetectionResult:
    """What the detector concluded from the frames it was given.

    ``confidence`` is how many standard deviations the agreement between the averaged votes and
    the decoded codeword stands above what the same votes shuffled reach (around 0 for noise,
    10 or more for a clear mark; reported from ``MIN_CONFIDENCE``). ``bit_errors_corrected``
    counts coded bits whose averaged vote disagreed with the decoded codeword (None when nothing
    was found).
    """

    found: bool
    payload: int | None
    confidence: float
    frames_used: int
    bit_errors_corrected: int | None


class WatermarkDetector:
    """Accumulates soft evidence over frames of one video, in any order, at any size."""

    def __init__(self, key: bytes = DEFAULT_KEY) -> None:
        self._layout = keyed_layout(bytes(key), CODED_BITS)
        self._vote_sum = np.zeros(CODED_BITS)
        self._frames = 0

    def add(self, frame: np.ndarray) -> None:
        """Read one frame's votes and add them to the evidence."""
        check_frame(frame, *MIN_DETECT_SIZE)
        projection = self._layout.project(canonical_luma(frame))
        self._vote_sum += _soft_votes(projection, self._layout)
        self._frames += 1

    def result(self) -> DetectionResult:
        """Decode the evidence so far. No frames, a CRC mismatch or weak agreement: not found."""
        if self._frames == 0:
            return DetectionResult(False, None, 0.0, 0, None)
        votes = self._vote_sum / self._frames
        decoded = ecc.decode(votes, PAYLOAD_BITS)
        confidence = _confidence(votes, decoded.codeword)
        found = decoded.crc_ok and confidence >= MIN_CONFIDENCE
        return DetectionResult(
            found=found,
            payload=decoded.payload if found else None,
            confidence=confidence,
            frames_used=self._frames,
            bit_errors_corrected=decoded.hard_errors if found else None,
        )


def detect_frames(
    frames: Iterable[np.ndarray],
    max_frames: int = DEFAULT_MAX_FRAMES,
    key: bytes = DEFAULT_KEY,
) -> DetectionResult:
    """Read the watermark from up to ``max_frames`` frames (the first ones the iterable yields)."""
    if max_frames < 1:
        raise ValueError(f"max_frames must be at least 1, got {max_frames}")
    detector = WatermarkDetector(key)
    for count, frame in enumerate(frames, start=1):
        detector.add(frame)
        if count >= max_frames:
            break
    return detector.result()


__all__ = [
    "CANONICAL_SIZE",
    "CODED_BITS",
    "PAYLOAD_BITS",
    "QUANT_STEP",
    "DetectionResult",
    "WatermarkDetector",
    "WatermarkEmbedder",
    "detect_frames",
    "payload_from_id",
]
