"""Invisible watermark: robustness per attack, fidelity, speed and false-positive rate.

Prints, over synthetic clips at 640×360 and 1280×720 (textured 1/f background that pans, a
moving disc and bar, light sensor noise), for each attack:
  * coded-bit accuracy before error correction, per frame and of the votes averaged over frames;
  * payload recovery rate (found with the right payload);
  * the detector's confidence (standard deviations above noise);
then PSNR, embed and detect ms per frame, and the false-positive rate over unmarked clips
(through the same attacks, and many small random and synthetic clips).

    .venv/bin/python benchmarks/watermark_robustness.py            # ~10 minutes on one core
    .venv/bin/python benchmarks/watermark_robustness.py --quick    # one clip per size
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

import av
import numpy as np
from PIL import Image

from kyodaku.media import watermark_ecc as ecc
from kyodaku.media.label import VisibleLabel
from kyodaku.media.watermark import (
    CODED_BITS,
    MIN_CONFIDENCE,
    PAYLOAD_BITS,
    QUANT_STEP,
    WatermarkDetector,
    WatermarkEmbedder,
    detect_frames,
    payload_from_id,
)
from kyodaku.media.watermark_domain import canonical_luma, keyed_layout

FPS = 24
CLIP_SECONDS = 6
Frames = list[np.ndarray]


def textured_clip(height: int, width: int, n_frames: int, seed: int) -> Frames:
    """Panning colour 1/f texture with a moving disc and bar and light noise."""
    rng = np.random.default_rng(seed)
    h, w = height + 64, width + 64
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    falloff = np.hypot(fx, fy)
    falloff[0, 0] = 1.0
    layers = []
    for _ in range(3):
        spectrum = (rng.normal(size=falloff.shape) + 1j * rng.normal(size=falloff.shape)) / falloff
        spectrum[0, 0] = 0
        layer = np.fft.irfft2(spectrum, s=(h, w))
        layers.append(layer / layer.std())
    texture = np.stack([layers[0] + 0.35 * layer for layer in layers], axis=-1)
    yy, xx = np.mgrid[0:h, 0:w]
    scene = 110 + (xx / w * 60 + yy / h * 40)[..., None] + rng.uniform(15, 40) * texture
    pan_x, pan_y = rng.uniform(0.2, 1.0), rng.uniform(0.0, 0.5)
    rows, cols = np.ogrid[0:height, 0:width]
    frames = []
    for t in range(n_frames):
        dx, dy = int(t * pan_x) % 64, int(t * pan_y) % 64
        frame = scene[dy : dy + height, dx : dx + width].copy()
        cx = int(width * (0.15 + 0.7 * t / n_frames))
        cy = int(height * (0.5 + 0.2 * np.sin(t / 10)))
        radius = height // 8
        frame[(cols - cx) ** 2 + (rows - cy) ** 2 < radius * radius] = (200, 60, 40)
        left = (width // 8 + 3 * t) % width
        frame[height // 10 : height // 10 + height // 6, left : left + width // 10] = (30, 120, 220)
        frame += rng.normal(0, 1.0, frame.shape)
        frames.append(np.clip(frame, 0, 255).astype(np.uint8))
    return frames


def h264(frames: Frames, crf: int) -> Frames:
    buffer = io.BytesIO()
    height, width = frames[0].shape[:2]
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height = width - width % 2, height - height % 2
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(crf), "preset": "veryfast"}
        for frame in frames:
            video_frame = av.VideoFrame.from_ndarray(
                np.ascontiguousarray(frame[: stream.height, : stream.width]), format="rgb24"
            )
            for packet in stream.encode(video_frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    buffer.seek(0)
    with av.open(buffer) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def downscale(frames: Frames) -> Frames:
    height, width = frames[0].shape[:2]
    size = (width // 2, height // 2)
    return [np.asarray(Image.fromarray(f).resize(size, Image.Resampling.BILINEAR)) for f in frames]


def jpeg50(frames: Frames) -> Frames:
    out = []
    for frame in frames[:: FPS // 2]:  # stills extracted twice a second
        buffer = io.BytesIO()
        Image.fromarray(frame).save(buffer, "JPEG", quality=50)
        out.append(np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")))
    return out


def middle_excerpt(frames: Frames, seconds: float = 3.0) -> Frames:
    start = (len(frames) - int(seconds * FPS)) // 2
    return frames[start : start + int(seconds * FPS)]


ATTACKS: dict[str, Callable[[Frames], Frames]] = {
    "none": lambda f: f,
    "H.264 CRF 23": lambda f: h264(f, 23),
    "H.264 CRF 28": lambda f: h264(f, 28),
    "downscale 50%": downscale,
    "JPEG q50 (stills)": jpeg50,
    "3-s excerpt": middle_excerpt,
    "CRF 28 + 3-s excerpt": lambda f: middle_excerpt(h264(f, 28)),
    "downscale + CRF 28": lambda f: h264(downscale(f), 28),
}


def bit_accuracy(frames: Frames, payload: int) -> tuple[float, float]:
    """Coded-bit accuracy before error correction: per frame, and of frame-averaged votes."""
    layout = keyed_layout(b"kyodaku", CODED_BITS)
    truth = ecc.encode(payload, PAYLOAD_BITS)
    votes = np.array(
        [
            np.cos(2 * np.pi * (layout.project(canonical_luma(f)) / QUANT_STEP - layout.dither))
            for f in frames
        ]
    )
    per_frame = float(((votes < 0) == truth).mean())
    averaged = float(((votes.mean(axis=0) < 0) == truth).mean())
    return per_frame, averaged


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255**2 / mse))


def run_robustness(sizes: list[tuple[int, int]], clips_per_size: int) -> list[float]:
    null_confidences: list[float] = []
    for height, width in sizes:
        stats: dict[str, list[tuple[float, float, bool, float]]] = {a: [] for a in ATTACKS}
        unmarked_found = 0
        unmarked_trials = 0
        psnrs, embed_ms, detect_ms = [], [], []
        for clip_index in range(clips_per_size):
            payload = payload_from_id(f"gen_bench_{width}_{clip_index}")
            frames = textured_clip(height, width, CLIP_SECONDS * FPS, seed=100 + clip_index)
            embedder = WatermarkEmbedder(payload)
            started = time.perf_counter()
            marked = [embedder.embed(frame, i) for i, frame in enumerate(frames)]
            embed_ms.append((time.perf_counter() - started) * 1e3 / len(frames))
            psnrs.extend(psnr(a, b) for a, b in zip(frames, marked, strict=True))
            for name, attack in ATTACKS.items():
                attacked = attack(marked)
                started = time.perf_counter()
                result = detect_frames(attacked, max_frames=len(attacked))
                if name == "none":
                    detect_ms.append((time.perf_counter() - started) * 1e3 / len(attacked))
                ok = result.found and result.payload == payload
                stats[name].append((*bit_accuracy(attacked, payload), ok, result.confidence))
                clean = detect_frames(attack(frames), max_frames=len(attacked))
                unmarked_found += clean.found
                unmarked_trials += 1
                null_confidences.append(clean.confidence)
        print(f"\n{width}×{height}, {clips_per_size} clip(s) of {CLIP_SECONDS} s at {FPS} fps")
        print(
            f"  {'attack':24} {'bit acc/frame':>13} {'bit acc avg':>11} {'recovered':>9} "
            f"{'confidence':>10}"
        )
        for name, rows in stats.items():
            per_frame, averaged, ok, conf = (np.array([r[i] for r in rows]) for i in range(4))
            print(
                f"  {name:24} {per_frame.mean():13.3f} {averaged.mean():11.3f} "
                f"{ok.mean():9.0%} {conf.mean():10.1f}"
            )
        print(
            f"  PSNR {np.mean(psnrs):.2f} dB (min {np.min(psnrs):.2f}); "
            f"embed {np.mean(embed_ms):.1f} ms/frame; detect {np.mean(detect_ms):.1f} ms/frame"
        )
        print(
            f"  unmarked clips through the same attacks: {unmarked_found}/{unmarked_trials} found"
        )
    return null_confidences


def run_false_positives(trials: int) -> list[float]:
    """Many small unmarked clips of several kinds: how often is a payload reported?"""
    rng = np.random.default_rng(7)
    confidences = []
    found = 0
    crc_passes = 0
    for trial in range(trials):
        kind = trial % 4
        if kind == 0:
            frames = [rng.integers(0, 256, (90, 160, 3), dtype=np.uint8) for _ in range(3)]
        elif kind == 1:
            frames = textured_clip(90, 160, 6, seed=10_000 + trial)
        elif kind == 2:
            grey = np.full((90, 160, 3), rng.integers(0, 256), dtype=np.uint8)
            frames = [grey]
        else:  # a static scene: the same frame many times (votes do not average out)
            frames = textured_clip(90, 160, 1, seed=20_000 + trial) * 12
        detector = WatermarkDetector()
        for frame in frames:
            detector.add(frame)
        result = detector.result()
        found += result.found
        confidences.append(result.confidence)
        votes = detector._vote_sum / max(detector._frames, 1)
        crc_passes += ecc.decode(votes, PAYLOAD_BITS).crc_ok
    print(
        f"\nunmarked small clips: {found}/{trials} reported a payload; "
        f"CRC alone passed {crc_passes}/{trials}"
    )
    return confidences


def run_speed_720p(repeats: int = 20) -> None:
    frames = textured_clip(720, 1280, repeats, seed=3)
    embedder = WatermarkEmbedder(payload_from_id("gen_speed"))
    label = VisibleLabel()
    detector = WatermarkDetector()
    for name, action in (
        ("label", lambda f, i: label.apply(f)),
        ("embed", embedder.embed),
        ("detect", lambda f, i: detector.add(f)),
    ):
        action(frames[0], 0)  # warm caches
        started = time.perf_counter()
        for i, frame in enumerate(frames):
            action(frame, i + 1)
        print(f"  1280×720 {name}: {(time.perf_counter() - started) * 1e3 / repeats:.1f} ms/frame")
    started = time.perf_counter()
    detector.result()
    print(f"  decode + confidence (once per video): {(time.perf_counter() - started) * 1e3:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one clip per size, fewer trials")
    parser.add_argument("--fp-trials", type=int, default=None, help="unmarked small clips")
    args = parser.parse_args()
    clips = 1 if args.quick else 3
    trials = args.fp_trials or (200 if args.quick else 1000)
    print("speed (one core):")
    run_speed_720p()
    null = run_robustness([(360, 640), (720, 1280)], clips)
    null += run_false_positives(trials)
    null_array = np.array(null)
    print(
        f"confidence on unmarked video ({len(null_array)} detections): mean "
        f"{null_array.mean():.2f}, sd {null_array.std():.2f}, max {null_array.max():.2f} "
        f"(threshold {MIN_CONFIDENCE})"
    )


if __name__ == "__main__":
    main()
