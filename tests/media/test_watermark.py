"""The invisible watermark: round trip, fidelity, robustness to real attacks, no false reports.

Clips are synthetic: a textured 1/f background (like natural images) that pans, a moving disc
and a moving bar, plus a little sensor noise. Attacks are real: H.264 through PyAV, Pillow
resizing and JPEG.
"""

from __future__ import annotations

import io

import av
import numpy as np
import pytest
from PIL import Image

from kyodaku.media.watermark import (
    CODED_BITS,
    PAYLOAD_BITS,
    DetectionResult,
    WatermarkDetector,
    WatermarkEmbedder,
    detect_frames,
    payload_from_id,
)
from kyodaku.media.watermark_domain import WatermarkInputError

FPS = 24
PAYLOAD = payload_from_id("gen_01JTESTWATERMARK")


def _textured_background(height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """Colour 1/f noise: the power spectrum of natural images, without any real image."""
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    falloff = np.hypot(fx, fy)
    falloff[0, 0] = 1.0
    channels = []
    for _ in range(3):
        spectrum = (rng.normal(size=falloff.shape) + 1j * rng.normal(size=falloff.shape)) / falloff
        spectrum[0, 0] = 0
        layer = np.fft.irfft2(spectrum, s=(height, width))
        channels.append(layer / layer.std())
    shared = channels[0]
    colour = np.stack([shared + 0.35 * c for c in channels], axis=-1)
    yy, xx = np.mgrid[0:height, 0:width]
    gradient = (xx / width * 60 + yy / height * 40)[..., None]
    return 110 + gradient + 30 * colour


def make_clip(height: int, width: int, n_frames: int, seed: int = 0) -> list[np.ndarray]:
    """A panning textured scene with a moving disc and bar, as uint8 RGB frames."""
    rng = np.random.default_rng(seed)
    scene = _textured_background(height + 48, width + 48, rng)
    rows, cols = np.ogrid[0:height, 0:width]
    frames = []
    for t in range(n_frames):
        dx, dy = int(t * 0.5) % 48, int(t * 0.25) % 48
        frame = scene[dy : dy + height, dx : dx + width].copy()
        cx = int(width * (0.2 + 0.6 * (t / max(n_frames, 1))))
        cy = int(height * (0.5 + 0.2 * np.sin(t / 10)))
        radius = max(6, height // 8)
        frame[(cols - cx) ** 2 + (rows - cy) ** 2 < radius * radius] = (200, 60, 40)
        bar_left = (width // 8 + 2 * t) % width
        frame[height // 10 : height // 10 + height // 6, bar_left : bar_left + width // 10] = (
            30,
            120,
            220,
        )
        frame += rng.normal(0, 0.5, frame.shape)
        frames.append(np.clip(frame, 0, 255).astype(np.uint8))
    return frames


def embed_clip(frames: list[np.ndarray], payload: int = PAYLOAD, **kwargs) -> list[np.ndarray]:
    embedder = WatermarkEmbedder(payload, **kwargs)
    return [embedder.embed(frame, index) for index, frame in enumerate(frames)]


def h264_round_trip(frames: list[np.ndarray], crf: int) -> list[np.ndarray]:
    """Encode to an in-memory H.264 MP4 with PyAV at ``crf`` and decode it again."""
    buffer = io.BytesIO()
    height, width = frames[0].shape[:2]
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(crf), "preset": "veryfast"}
        for frame in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    buffer.seek(0)
    with av.open(buffer) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def downscale(frames: list[np.ndarray], factor: float = 0.5) -> list[np.ndarray]:
    height, width = frames[0].shape[:2]
    size = (round(width * factor), round(height * factor))
    return [np.asarray(Image.fromarray(f).resize(size, Image.Resampling.BILINEAR)) for f in frames]


def jpeg(frames: list[np.ndarray], quality: int) -> list[np.ndarray]:
    out = []
    for frame in frames:
        buffer = io.BytesIO()
        Image.fromarray(frame).save(buffer, "JPEG", quality=quality)
        out.append(np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")))
    return out


def psnr(original: np.ndarray, marked: np.ndarray) -> float:
    mse = np.mean((original.astype(np.float64) - marked.astype(np.float64)) ** 2)
    return float(10 * np.log10(255**2 / mse))


def assert_recovered(result: DetectionResult, payload: int = PAYLOAD) -> None:
    assert result.found, result
    assert result.payload == payload
    assert result.bit_errors_corrected is not None


@pytest.fixture(scope="module")
def clip() -> list[np.ndarray]:
    return make_clip(180, 320, 3 * FPS, seed=1)


@pytest.fixture(scope="module")
def marked(clip: list[np.ndarray]) -> list[np.ndarray]:
    return embed_clip(clip)


# --- payload key ----------------------------------------------------------------------------


def test_payload_is_first_64_bits_of_sha256_of_the_id() -> None:
    # Fixed value: the ledger is searched by this key, so the mapping must never change.
    assert payload_from_id("gen_01JEXAMPLE") == 0x027319769DDE8C8B
    assert PAYLOAD_BITS == 64
    assert 0 <= PAYLOAD < 2**64


def test_payload_differs_between_ids_and_refuses_empty() -> None:
    assert payload_from_id("gen_a") != payload_from_id("gen_b")
    with pytest.raises(ValueError, match="empty"):
        payload_from_id("")


# --- round trip and fidelity ----------------------------------------------------------------


def test_round_trip_on_moving_textured_frames(marked: list[np.ndarray]) -> None:
    result = detect_frames(marked)
    assert_recovered(result)
    assert result.bit_errors_corrected == 0
    assert result.frames_used == len(marked)
    assert result.confidence > 8.0


def test_a_single_frame_carries_the_whole_payload(marked: list[np.ndarray]) -> None:
    assert_recovered(detect_frames(marked[17:18]))


def test_mark_is_faint(clip: list[np.ndarray], marked: list[np.ndarray]) -> None:
    values = [psnr(a, b) for a, b in zip(clip, marked, strict=True)]
    assert min(values) >= 38.0
    largest_change = max(
        int(np.abs(a.astype(int) - b).max()) for a, b in zip(clip, marked, strict=True)
    )
    assert largest_change <= 12


def test_mark_is_weaker_on_flat_areas_than_in_texture() -> None:
    frame = make_clip(180, 320, 1, seed=4)[0]
    frame[:, :160] = 128  # left half flat grey, right half textured
    marked = WatermarkEmbedder(PAYLOAD).embed(frame, 0)
    change = np.abs(marked.astype(int) - frame.astype(int))[..., 0]
    assert change[:, 16:144].mean() < 0.5 * change[:, 176:304].mean()


def test_embed_does_not_modify_its_input(clip: list[np.ndarray]) -> None:
    frame = clip[0].copy()
    WatermarkEmbedder(PAYLOAD).embed(frame, 0)
    assert np.array_equal(frame, clip[0])


def test_embedding_is_deterministic(clip: list[np.ndarray], marked: list[np.ndarray]) -> None:
    again = embed_clip(clip[:3])
    assert all(np.array_equal(a, b) for a, b in zip(again, marked[:3], strict=True))


def test_chroma_is_left_alone(clip: list[np.ndarray], marked: list[np.ndarray]) -> None:
    # The same change goes to R, G and B wherever no channel saturates.
    delta = marked[5].astype(int) - clip[5].astype(int)
    unsaturated = (clip[5] > 30).all(axis=2) & (clip[5] < 225).all(axis=2)
    assert np.array_equal(delta[unsaturated, 0], delta[unsaturated, 1])
    assert np.array_equal(delta[unsaturated, 0], delta[unsaturated, 2])


@pytest.mark.parametrize("size", [(180, 320), (360, 640), (270, 480), (320, 240)])
def test_round_trip_at_other_sizes_and_aspects(size: tuple[int, int]) -> None:
    frames = make_clip(*size, 3, seed=2)
    assert_recovered(detect_frames(embed_clip(frames)))


def test_lower_strength_is_fainter_and_still_readable(clip: list[np.ndarray]) -> None:
    strong = embed_clip(clip[:6])
    gentle = embed_clip(clip[:6], strength=0.7)
    assert psnr(clip[0], gentle[0]) > psnr(clip[0], strong[0])
    assert_recovered(detect_frames(gentle))


def test_frames_embedded_out_of_order_still_read(clip: list[np.ndarray]) -> None:
    embedder = WatermarkEmbedder(PAYLOAD)
    marked = [embedder.embed(clip[i], i) for i in (5, 2, 9, 0)]
    assert_recovered(detect_frames(marked))


# --- robustness -----------------------------------------------------------------------------


def test_survives_h264_crf28(marked: list[np.ndarray]) -> None:
    decoded = h264_round_trip(marked, crf=28)
    assert_recovered(detect_frames(decoded[12:]))  # P/B frames only: no key frame


def test_survives_downscale_to_half(marked: list[np.ndarray]) -> None:
    small = downscale(marked, 0.5)
    assert small[0].shape[:2] == (90, 160)
    assert_recovered(detect_frames(small))


def test_survives_jpeg_quality_50_on_extracted_frames(marked: list[np.ndarray]) -> None:
    assert_recovered(detect_frames(jpeg(marked[::8], quality=50)))


@pytest.mark.slow
def test_survives_h264_crf28_after_downscale() -> None:
    frames = embed_clip(make_clip(360, 640, 48, seed=5))
    decoded = h264_round_trip(downscale(frames, 0.5), crf=28)
    assert_recovered(detect_frames(decoded[12:]))


@pytest.mark.slow
def test_three_second_excerpt_from_middle_of_eight_second_encoded_clip() -> None:
    frames = embed_clip(make_clip(180, 320, 8 * FPS, seed=6))
    decoded = h264_round_trip(frames, crf=28)
    start = int(2.5 * FPS)
    excerpt = decoded[start : start + 3 * FPS]
    result = detect_frames(excerpt)
    assert_recovered(result)
    assert result.frames_used == 3 * FPS


def test_three_second_excerpt_of_marked_frames() -> None:
    frames = embed_clip(make_clip(180, 320, 8 * FPS, seed=7)[80 : 80 + 3 * FPS])
    assert_recovered(detect_frames(frames))


# --- no false reports -----------------------------------------------------------------------


def test_unmarked_clip_is_not_found(clip: list[np.ndarray]) -> None:
    result = detect_frames(clip)
    assert not result.found
    assert result.payload is None and result.bit_errors_corrected is None
    assert result.confidence < 5.0


def test_unmarked_clip_after_h264_is_not_found(clip: list[np.ndarray]) -> None:
    assert not detect_frames(h264_round_trip(clip, crf=28)).found


def test_no_false_reports_over_many_unmarked_clips() -> None:
    rng = np.random.default_rng(99)
    reports = 0
    for seed in range(30):
        if seed % 3 == 0:  # pure noise
            frames = [rng.integers(0, 256, (90, 160, 3), dtype=np.uint8) for _ in range(2)]
        elif seed % 3 == 1:  # flat colour with a gradient
            base = np.linspace(0, 255, 160)[None, :, None] * np.ones((90, 1, 3))
            frames = [np.clip(base + rng.normal(0, 3, base.shape), 0, 255).astype(np.uint8)]
        else:  # textured moving scene
            frames = make_clip(90, 160, 3, seed=seed)
        reports += detect_frames(frames).found
    assert reports == 0


def test_another_key_reads_nothing(marked: list[np.ndarray]) -> None:
    assert not detect_frames(marked[:8], key=b"someone-else").found


def test_another_payload_is_told_apart(clip: list[np.ndarray]) -> None:
    other = payload_from_id("gen_other")
    assert_recovered(detect_frames(embed_clip(clip[:4], payload=other)), payload=other)


# --- detector bookkeeping and input checks --------------------------------------------------


def test_detector_with_no_frames_reports_nothing() -> None:
    result = WatermarkDetector().result()
    assert result == DetectionResult(False, None, 0.0, 0, None)


def test_detect_frames_stops_at_max_frames(marked: list[np.ndarray]) -> None:
    assert detect_frames(iter(marked), max_frames=5).frames_used == 5
    with pytest.raises(ValueError, match="max_frames"):
        detect_frames(marked, max_frames=0)


def test_detector_accumulates_across_calls(marked: list[np.ndarray]) -> None:
    detector = WatermarkDetector()
    for frame in marked[:4]:
        detector.add(frame)
    assert detector.result().frames_used == 4
    assert_recovered(detector.result())


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (np.zeros((180, 320, 3), dtype=np.float32), "uint8"),
        (np.zeros((180, 320), dtype=np.uint8), "shape"),
        (np.zeros((180, 320, 4), dtype=np.uint8), "shape"),
        (np.zeros((60, 100, 3), dtype=np.uint8), "smaller than the minimum"),
    ],
)
def test_embedder_refuses_unusable_frames(frame: np.ndarray, message: str) -> None:
    with pytest.raises(WatermarkInputError, match=message):
        WatermarkEmbedder(PAYLOAD).embed(frame, 0)


def test_detector_refuses_tiny_frames() -> None:
    with pytest.raises(WatermarkInputError, match="smaller than the minimum"):
        WatermarkDetector().add(np.zeros((20, 30, 3), dtype=np.uint8))


@pytest.mark.parametrize("payload", [-1, 2**64, 1.5])
def test_embedder_refuses_bad_payload(payload: object) -> None:
    with pytest.raises(ValueError, match="payload"):
        WatermarkEmbedder(payload)  # type: ignore[arg-type]


@pytest.mark.parametrize("strength", [0.0, 0.3, 1.5])
def test_embedder_refuses_bad_strength(strength: float) -> None:
    with pytest.raises(ValueError, match="strength"):
        WatermarkEmbedder(PAYLOAD, strength=strength)


def test_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="key"):
        WatermarkDetector(key=b"")


def test_coded_bits_fit_the_band() -> None:
    assert CODED_BITS == 172
