"""Benchmark: does a transformed copy of a reference video match it, and how fast?

Makes its own media: textured, moving synthetic scenes (1/f "pink" noise textures like
natural images, a camera pan, moving shapes, one cut), 640x360 at 25 fps. Each reference is
transformed (re-encodes, downscale, crops, flip, brightness, text overlay, speed, excerpt,
letterbox), encoded with H.264 and fingerprinted like a query; unrelated videos and every
query paired with the other references give the non-matching pairs.

Prints
  * per-frame Hamming distances per transform, and the closest unrelated frames;
  * recall per transform and the false-match rate for several per-frame distance limits,
    using kyodaku.media.matching with the default rule (share / run / frames);
  * the share threshold calibrated on the non-matching pairs for a false-match rate <= 0.1 %;
  * end to end at the defaults: recall and false matches via an index of 1,000,000 hashes;
  * timings: reference registration, query fingerprinting, and matching a 10-second query
    against 1,000,000 hashes with both FAISS index kinds.

Run:  .venv/bin/python benchmarks/matching.py            (about 5 minutes on 2 busy cores)
      .venv/bin/python benchmarks/matching.py --quick    (a smoke run, under a minute)
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import av
import faiss
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kyodaku.media.fingerprint import (
    QUERY_EVERY_S,
    REFERENCE_EVERY_S,
    REFERENCE_PLAN,
    FrameHash,
    fingerprint_video,
)
from kyodaku.media.fingerprint_index import FingerprintIndex, HashOwner, IndexHit, IndexKind
from kyodaku.media.matching import (
    DEFAULT_THRESHOLDS,
    MatchThresholds,
    match,
    reference_entries,
    search_and_match,
)

WIDTH, HEIGHT, FPS = 640, 360, 25
TARGETED = (
    "crf23",
    "crf32",
    "downscale50",
    "crop10",
    "flip",
    "bright+20",
    "bright-20",
    "text",
    "speed2x",
    "excerpt3s",
    "letterbox",
)
INFORMATIONAL = ("crop7", "crop10_corner")  # crops off the reference crop grid: no target
TRANSFORMS = TARGETED + INFORMATIONAL
TARGET_RECALL = {name: 0.8 if name in ("flip", "speed2x") else 0.95 for name in TARGETED}
DISTANCE_GRID = (24, 28, 31, 36, 40, 44)
MAX_FALSE_MATCH_RATE = 0.001


# -- synthetic scenes --------------------------------------------------------------------


def pink_texture(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Colour noise with a 1/f amplitude spectrum, the statistics of natural images."""
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    radius = np.hypot(fx, fy)
    radius[0, 0] = 1.0
    planes = []
    for _ in range(3):
        spectrum = (rng.normal(size=radius.shape) + 1j * rng.normal(size=radius.shape)) / radius
        spectrum[0, 0] = 0
        planes.append(np.fft.irfft2(spectrum, s=(height, width)))
    mixed = np.stack(planes, -1) @ rng.normal(0, 1, (3, 3))
    mixed = (mixed - mixed.mean()) / mixed.std()
    return np.clip(128 + 50 * mixed, 0, 255).astype(np.uint8)


@dataclasses.dataclass
class Shot:
    texture: np.ndarray
    start: np.ndarray
    velocity: np.ndarray
    shapes: list[tuple[np.ndarray, np.ndarray, float, tuple[int, int, int], bool]]

    @classmethod
    def random(cls, rng: np.random.Generator) -> Shot:
        texture = pink_texture(rng, WIDTH * 2, HEIGHT * 2)
        angle = rng.uniform(0, 2 * math.pi)
        velocity = np.array([math.cos(angle), math.sin(angle)]) * rng.uniform(15, 60)
        shapes = [
            (
                rng.uniform([0, 0], [WIDTH, HEIGHT]),
                rng.uniform(-100, 100, 2),
                float(rng.uniform(20, 70)),
                tuple(int(c) for c in rng.integers(0, 256, 3)),
                bool(rng.integers(0, 2)),
            )
            for _ in range(int(rng.integers(2, 6)))
        ]
        return cls(texture, rng.uniform([0, 0], [WIDTH, HEIGHT]), velocity, shapes)

    def frame(self, t: float) -> np.ndarray:
        # the camera bounces back and forth across the texture
        x, y = self.start + self.velocity * t
        x = int(abs(x % (2 * WIDTH) - WIDTH))
        y = int(abs(y % (2 * HEIGHT) - HEIGHT))
        image = Image.fromarray(self.texture[y : y + HEIGHT, x : x + WIDTH])
        draw = ImageDraw.Draw(image)
        for centre, velocity, radius, colour, round_shape in self.shapes:
            cx, cy = centre + velocity * t
            cx = cx % (WIDTH + 2 * radius) - radius
            cy = cy % (HEIGHT + 2 * radius) - radius
            box = [cx - radius, cy - radius, cx + radius, cy + radius]
            (draw.ellipse if round_shape else draw.rectangle)(box, fill=colour)
        return np.asarray(image)


def scene_frames(seed: int, seconds: float) -> list[np.ndarray]:
    """Two shots with a cut somewhere in the middle."""
    rng = np.random.default_rng(seed)
    shots = (Shot.random(rng), Shot.random(rng))
    cut = rng.uniform(0.3, 0.7) * seconds
    count = round(seconds * FPS)
    return [shots[i / FPS >= cut].frame(i / FPS) for i in range(count)]


# -- transforms --------------------------------------------------------------------------


def _resize(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(Image.fromarray(frame).resize(size, Image.Resampling.BILINEAR))


def _crop(frame: np.ndarray, keep: float, anchor: float) -> np.ndarray:
    height, width = frame.shape[:2]
    crop_w, crop_h = round(width * keep), round(height * keep)
    left, top = round((width - crop_w) * anchor), round((height - crop_h) * anchor)
    return _resize(frame[top : top + crop_h, left : left + crop_w], (width, height))


def _caption_layer() -> tuple[np.ndarray, np.ndarray]:
    """A subtitle-style caption and a channel handle, drawn once: (RGB, alpha in 0..1)."""
    layer = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    font, small = ImageFont.load_default(size=26), ImageFont.load_default(size=18)
    style = {"fill": (255, 255, 255, 255), "stroke_width": 2, "stroke_fill": (0, 0, 0, 255)}
    draw.text((40, 290), "Look at this amazing clip I found!", font=font, **style)
    draw.text((40, 322), "like and subscribe for more", font=font, **style)
    draw.text((WIDTH - 150, 12), "@channel", font=small, **style)
    rgba = np.asarray(layer).astype(np.float32)
    return rgba[..., :3], rgba[..., 3:] / 255.0


_CAPTION = _caption_layer()


def _caption(frame: np.ndarray) -> np.ndarray:
    colour, alpha = _CAPTION
    return (frame * (1 - alpha) + colour * alpha).astype(np.uint8)


def _letterbox(frame: np.ndarray) -> np.ndarray:
    canvas = np.zeros((480, WIDTH, 3), np.uint8)  # 16:9 content in a 4:3 frame
    canvas[60 : 60 + HEIGHT] = frame
    return canvas


def _scale_brightness(frame: np.ndarray, factor: float) -> np.ndarray:
    return np.clip(frame.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def transformed(
    name: str, frames: list[np.ndarray], rng: np.random.Generator
) -> tuple[list[np.ndarray], int, str]:
    """Frames of a transformed copy, and the CRF and x264 preset to encode them with.

    The re-encode transforms use a realistic preset (veryfast: ~0.8 and ~0.25 Mbit/s here);
    the others the fastest, since they test the transform rather than the codec.
    """
    per_frame: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "crf23": lambda f: f,
        "crf32": lambda f: f,
        "downscale50": lambda f: _resize(f, (WIDTH // 2, HEIGHT // 2)),
        "crop10": lambda f: _crop(f, 0.90, 0.5),
        "crop7": lambda f: _crop(f, 0.93, 0.5),
        "crop10_corner": lambda f: _crop(f, 0.90, 0.0),
        "flip": lambda f: np.ascontiguousarray(f[:, ::-1]),
        "bright+20": lambda f: _scale_brightness(f, 1.2),
        "bright-20": lambda f: _scale_brightness(f, 0.8),
        "text": _caption,
        "letterbox": _letterbox,
    }
    crf = 32 if name == "crf32" else 23
    preset = "veryfast" if name in ("crf23", "crf32") else "ultrafast"
    if name == "speed2x":
        return frames[::2], crf, preset
    if name == "excerpt3s":
        start = int(rng.integers(0, len(frames) - 3 * FPS))
        return frames[start : start + 3 * FPS], crf, preset
    return [per_frame[name](frame) for frame in frames], crf, preset


def encode(path: Path, frames: Sequence[np.ndarray], crf: int, preset: str) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(crf), "preset": preset}
        for frame in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())


# -- workers (run in a process pool) -----------------------------------------------------


@dataclasses.dataclass
class ReferenceResult:
    reference_id: str
    hashes: list[FrameHash]
    register_s: float
    queries: dict[str, list[FrameHash]]
    query_fingerprint_s: dict[str, float]


def make_reference(seed: int, seconds: float, workdir: Path) -> ReferenceResult:
    reference_id = f"ref-{seed:03d}"
    frames = scene_frames(seed, seconds)
    master = workdir / f"{reference_id}.mp4"
    encode(master, frames, crf=18, preset="ultrafast")
    started = time.perf_counter()
    hashes = fingerprint_video(master, REFERENCE_EVERY_S, plan=REFERENCE_PLAN)
    register_s = time.perf_counter() - started
    rng = np.random.default_rng(seed + 10_000)
    queries, timings = {}, {}
    for name in TRANSFORMS:
        path = workdir / f"{reference_id}-{name}.mp4"
        copy, crf, preset = transformed(name, frames, rng)
        encode(path, copy, crf, preset)
        started = time.perf_counter()
        queries[name] = fingerprint_video(path, QUERY_EVERY_S)
        timings[name] = time.perf_counter() - started
        path.unlink()
    master.unlink()
    return ReferenceResult(reference_id, hashes, register_s, queries, timings)


def make_unrelated(seed: int, seconds: float, workdir: Path) -> list[FrameHash]:
    path = workdir / f"unrelated-{seed}.mp4"
    encode(path, scene_frames(seed, seconds), crf=23, preset="ultrafast")
    hashes = fingerprint_video(path, QUERY_EVERY_S)
    path.unlink()
    return hashes


# -- evaluation --------------------------------------------------------------------------


@dataclasses.dataclass
class Query:
    name: str  # transform, or "unrelated"
    source: str | None  # the reference it was made from
    hashes: list[FrameHash]


def nearest_distances(
    queries: Sequence[Query], references: dict[str, list[FrameHash]]
) -> dict[str, np.ndarray]:
    """reference -> (all query hashes,) distance to the reference's nearest usable hash."""
    stacked = np.frombuffer(
        b"".join(frame.hash for query in queries for frame in query.hashes), np.uint8
    ).reshape(-1, 32)
    nearest = {}
    for reference_id, hashes in references.items():
        index = faiss.IndexBinaryFlat(256)
        entries = reference_entries(reference_id, reference_id, hashes)
        index.add(np.frombuffer(b"".join(h for h, _ in entries), np.uint8).reshape(-1, 32))
        distances, _ = index.search(stacked, 1)
        nearest[reference_id] = distances[:, 0]
    return nearest


def decide_all(
    queries: Sequence[Query],
    nearest: dict[str, np.ndarray],
    thresholds: MatchThresholds,
) -> tuple[dict[str, list[bool]], list[bool], list[float]]:
    """Run kyodaku's matcher on every (query, reference) pair.

    Returns the source reference's verdict per query by transform, the verdict of every
    non-matching pair, and the share score of every non-matching pair.
    """
    hits_by_query: list[list[list[IndexHit]]] = []
    offset = 0
    for query in queries:
        frame_hits: list[list[IndexHit]] = []
        for position in range(offset, offset + len(query.hashes)):
            frame_hits.append(
                [
                    IndexHit(HashOwner(reference_id, 0.0, "nearest", reference_id), int(d))
                    for reference_id, distances in nearest.items()
                    if (d := distances[position]) <= thresholds.max_distance
                ]
            )
        hits_by_query.append(frame_hits)
        offset += len(query.hashes)
    recall: dict[str, list[bool]] = defaultdict(list)
    negatives: list[bool] = []
    negative_shares: list[float] = []
    for query, frame_hits in zip(queries, hits_by_query, strict=True):
        report = match(query.hashes, frame_hits, thresholds)
        found = {reference.reference_id: reference for reference in report.references}
        for reference_id in nearest:
            verdict = found.get(reference_id)
            if reference_id == query.source:
                recall[query.name].append(bool(verdict and verdict.is_match))
            else:
                negatives.append(bool(verdict and verdict.is_match))
                negative_shares.append(verdict.share if verdict else 0.0)
    return recall, negatives, negative_shares


def print_distance_summary(queries: Sequence[Query], nearest: dict[str, np.ndarray]) -> None:
    print("\nPer-frame distance to the source reference (usable frames), by transform")
    print(f"  {'transform':<14} {'median':>6} {'p90':>5} {'max':>5}")
    offset = 0
    by_name: dict[str, list[int]] = defaultdict(list)
    closest_unrelated = []
    for query in queries:
        span = slice(offset, offset + len(query.hashes))
        usable = np.array(
            [frame.quality >= DEFAULT_THRESHOLDS.min_quality for frame in query.hashes]
        )
        for reference_id, distances in nearest.items():
            values = distances[span][usable]
            if reference_id == query.source:
                by_name[query.name].extend(values.tolist())
            else:
                closest_unrelated.extend(values.tolist())
        offset += len(query.hashes)
    for name in TRANSFORMS:
        values = by_name[name]
        print(
            f"  {name:<14} {statistics.median(values):>6.0f} "
            f"{np.percentile(values, 90):>5.0f} {max(values):>5}"
        )
    print(
        f"  non-matching pairs: nearest frame min {min(closest_unrelated)}, "
        f"0.1th percentile {np.percentile(closest_unrelated, 0.1):.0f}, "
        f"median {statistics.median(closest_unrelated):.0f} "
        f"(over {len(closest_unrelated)} frame-reference pairs)"
    )


def recall_row(recall: dict[str, list[bool]]) -> str:
    return " ".join(f"{sum(recall[name]) / len(recall[name]):>5.2f}" for name in TRANSFORMS)


def print_calibration(queries: Sequence[Query], nearest: dict[str, np.ndarray]) -> None:
    header = " ".join(f"{name[:5]:>5}" for name in TRANSFORMS)
    print("\nRecall per transform and false-match rate by per-frame distance limit")
    print(
        f"(rule: share >= {DEFAULT_THRESHOLDS.min_share} or run >= "
        f"{DEFAULT_THRESHOLDS.min_run_seconds} s, >= {DEFAULT_THRESHOLDS.min_matched_frames} "
        "frames; the last two transforms have no target)"
    )
    print(f"  {'dist':>4} {'FMR':>8} {'false/pairs':>11}  {header}")
    for max_distance in DISTANCE_GRID:
        thresholds = dataclasses.replace(DEFAULT_THRESHOLDS, max_distance=max_distance)
        recall, negatives, shares = decide_all(queries, nearest, thresholds)
        rate = sum(negatives) / len(negatives)
        print(
            f"  {max_distance:>4} {rate:>8.4%} {sum(negatives):>5}/{len(negatives):<5}  "
            f"{recall_row(recall)}"
        )
    # calibrate the share threshold at the default distance on the non-matching pairs
    _, negatives, shares = decide_all(queries, nearest, DEFAULT_THRESHOLDS)
    allowed = math.floor(MAX_FALSE_MATCH_RATE * len(shares))
    calibrated = sorted(shares, reverse=True)[allowed]  # a share above this is a match
    share_alone = dataclasses.replace(
        DEFAULT_THRESHOLDS, min_share=min(1.0, calibrated + 1e-9), min_run_seconds=math.inf
    )
    recall, negatives, _ = decide_all(queries, nearest, share_alone)
    print(
        f"\nCalibration at distance {DEFAULT_THRESHOLDS.max_distance} on {len(shares)} "
        f"non-matching pairs: largest share {max(shares):.3f}; for FMR <= "
        f"{MAX_FALSE_MATCH_RATE:.1%} a match needs share > {calibrated:.3f}. Measured FMR "
        f"{sum(negatives)}/{len(negatives)} (95 % upper bound {3 / len(negatives):.3%})."
    )
    print(f"  recall with that share threshold alone:  {recall_row(recall)}")


def fill_index(
    kind: IndexKind, references: dict[str, list[FrameHash]], total: int, seed: int
) -> tuple[FingerprintIndex, float]:
    started = time.perf_counter()
    index = FingerprintIndex(kind)
    for reference_id, hashes in references.items():
        index.add(reference_entries(reference_id, reference_id, hashes))
    rng = np.random.default_rng(seed)
    missing = total - index.stored_hashes
    batch = 200_000
    while missing > 0:
        count = min(batch, missing)
        noise = rng.integers(0, 256, (count, 32), dtype=np.uint8)
        owners = (HashOwner(f"noise-{i // 250}", (i % 250) / FPS, "original") for i in range(count))
        index.add(zip((row.tobytes() for row in noise), owners, strict=False))
        missing = total - index.stored_hashes
    return index, time.perf_counter() - started


def time_matching(
    index: FingerprintIndex, queries: Sequence[Query], repeats: int = 3
) -> list[float]:
    timings = []
    for query in queries:
        best = math.inf
        for _ in range(repeats):
            started = time.perf_counter()
            search_and_match(index, query.hashes)
            best = min(best, time.perf_counter() - started)
        timings.append(best * 1000)
    return timings


def end_to_end(index: FingerprintIndex, queries: Sequence[Query], reference_ids: set[str]) -> None:
    recall: dict[str, list[bool]] = defaultdict(list)
    false_matches = pairs = 0
    for query in queries:
        report = search_and_match(index, query.hashes)
        matched = {
            found.reference_id
            for found in report.references
            if found.is_match and found.reference_id in reference_ids
        }
        if query.source is not None:
            recall[query.name].append(query.source in matched)
        matched.discard(query.source or "")
        false_matches += len(matched)
        pairs += len(reference_ids) - (query.source is not None)
    header = " ".join(f"{name[:5]:>5}" for name in TRANSFORMS)
    print(
        f"\nEnd to end at the defaults ({DEFAULT_THRESHOLDS}) via the {index.kind} index of "
        f"{index.stored_hashes:,} hashes"
    )
    print(f"  {header}")
    print(f"  {recall_row(recall)}")
    print(f"  false matches: {false_matches} of {pairs} non-matching pairs (noise owners excluded)")
    failing = [
        name
        for name, target in TARGET_RECALL.items()
        if sum(recall[name]) / len(recall[name]) < target
    ]
    print(f"  transforms below target: {', '.join(failing) or 'none'}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--references", type=int, default=20)
    parser.add_argument("--unrelated", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--index-size", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="4 references, 100k hashes")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    if args.quick:
        args.references, args.unrelated, args.index_size = 4, 6, 100_000

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="kyodaku-bench-") as tmp,
        ProcessPoolExecutor(args.jobs) as pool,
    ):
        workdir = Path(tmp)
        ref_jobs = [
            pool.submit(make_reference, seed, args.seconds, workdir)
            for seed in range(args.references)
        ]
        unrelated_jobs = [
            pool.submit(make_unrelated, 1000 + seed, args.seconds, workdir)
            for seed in range(args.unrelated)
        ]
        results = [job.result() for job in ref_jobs]
        unrelated = [job.result() for job in unrelated_jobs]
    print(
        f"Made and fingerprinted {args.references} references x {len(TRANSFORMS)} transforms "
        f"+ {args.unrelated} unrelated videos ({args.seconds:.0f} s, {WIDTH}x{HEIGHT}, {FPS} fps) "
        f"in {time.perf_counter() - started:.0f} s with {args.jobs} processes"
    )
    references = {result.reference_id: result.hashes for result in results}
    queries = [
        Query(name, result.reference_id, result.queries[name])
        for result in results
        for name in TRANSFORMS
    ] + [Query("unrelated", None, hashes) for hashes in unrelated]

    register = [result.register_s for result in results]
    per_reference = statistics.mean(len(hashes) for hashes in references.values())
    fingerprint_ms = [result.query_fingerprint_s["crf23"] * 1000 for result in results]
    print(
        f"Reference registration (decode every frame, {len(REFERENCE_PLAN.dihedral)} dihedral "
        f"+ {len(REFERENCE_PLAN.crops)} crops x {len(REFERENCE_PLAN.crop_dihedral)}): "
        f"{statistics.median(register):.2f} s per {args.seconds:.0f}-s reference, "
        f"{per_reference:.0f} hashes each"
    )
    print(
        f"Query fingerprint (decode, 1 hash every {QUERY_EVERY_S} s): median "
        f"{statistics.median(fingerprint_ms):.0f} ms per {args.seconds:.0f}-s video"
    )

    nearest = nearest_distances(queries, references)
    print_distance_summary([q for q in queries if q.source], nearest)
    print_calibration(queries, nearest)

    ten_second = [query for query in queries if query.name == "crf23"]
    for kind in ("multihash", "flat"):
        index, build_s = fill_index(kind, references, args.index_size, seed=7)
        with tempfile.TemporaryDirectory(prefix="kyodaku-index-") as tmp:
            path = Path(tmp) / "index.npz"
            save_started = time.perf_counter()
            index.save(path)
            save_s = time.perf_counter() - save_started
            load_started = time.perf_counter()
            index = FingerprintIndex.load(path)
            load_s = time.perf_counter() - load_started
            size_mb = path.stat().st_size / 1e6
        timings = time_matching(index, ten_second)
        hashes_per_query = statistics.mean(len(query.hashes) for query in ten_second)
        print(
            f"\n{kind} index of {index.stored_hashes:,} hashes: built in {build_s:.1f} s, "
            f"saved in {save_s:.2f} s ({size_mb:.0f} MB), loaded in {load_s:.2f} s"
        )
        print(
            f"  match a {args.seconds:.0f}-s query ({hashes_per_query:.0f} hashes, search + "
            f"match): median {statistics.median(timings):.1f} ms, "
            f"max {max(timings):.1f} ms over {len(timings)} queries"
        )
        end_to_end(index, queries, set(references))
        del index
    print(f"\nTotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
