"""Benchmark: C2PA sign and read time against MP4 size.

Signing hashes the whole file (the BMFF hard binding), so its cost grows with
size; reading re-hashes it to validate. This prints both, per size, so the
gateway's budget for sealing a long video can be planned.

    .venv/bin/python benchmarks/c2pa_sign.py                 # 1, 10 and 100 MB
    .venv/bin/python benchmarks/c2pa_sign.py --sizes 1,50,500 --repeats 5

Test videos are made here: one second of H.264 noise (incompressible, so the
file is large for little encoding work), repeated by re-muxing its packets with
shifted timestamps until the target size is reached.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import av
import numpy as np

from kyodaku.media.c2pa_identity import SigningIdentity, ensure_development_identity
from kyodaku.media.c2pa_manifest import WATERMARK_ALG, build_manifest
from kyodaku.media.c2pa_read import read_manifest
from kyodaku.media.c2pa_sign import sign_mp4

FPS = 25


def encode_noise_clip(path: Path, seconds: int = 1, width: int = 160, height: int = 120) -> None:
    rng = np.random.default_rng(0)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "8"}
        for _ in range(seconds * FPS):
            pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode())


def repeat_to_size(clip: Path, target: Path, size_bytes: int) -> None:
    """Concatenate copies of ``clip``'s packets until the output reaches ``size_bytes``."""
    with av.open(str(clip)) as probe:
        clip_bytes = clip.stat().st_size
        stream = probe.streams.video[0]
        duration = int(stream.duration or 1 / stream.time_base)
    copies = max(1, round(size_bytes / clip_bytes))
    with av.open(str(target), "w") as output:
        with av.open(str(clip)) as template_source:
            out_stream = output.add_stream_from_template(template_source.streams.video[0])
        for copy in range(copies):
            with av.open(str(clip)) as source:
                for packet in source.demux(source.streams.video[0]):
                    if packet.dts is None:
                        continue
                    packet.pts += copy * duration
                    packet.dts += copy * duration
                    packet.stream = out_stream
                    output.mux(packet)


def median_ms(action, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bench_size(
    clip: Path,
    work: Path,
    size_mb: float,
    manifest: dict,
    identity: SigningIdentity,
    repeats: int,
) -> str:
    """Sign and read one file of about ``size_mb``; return the table row."""
    source, signed = work / "source.mp4", work / "signed.mp4"
    repeat_to_size(clip, source, int(size_mb * 1_000_000))
    actual_mb = source.stat().st_size / 1_000_000
    sign = median_ms(lambda: sign_mp4(source, signed, manifest, identity), repeats)
    report = read_manifest(signed)
    if not report.valid:
        raise SystemExit(f"{signed} does not validate: {report.validation_errors}")
    read = median_ms(lambda: read_manifest(signed), repeats)
    source.unlink()
    signed.unlink()
    return (
        f"{actual_mb:9.1f} {sign:9.1f} {actual_mb / sign * 1000:10.0f} "
        f"{read:9.1f} {actual_mb / read * 1000:10.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="target sizes in MB, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size (median reported)")
    args = parser.parse_args()
    sizes_mb = [float(size) for size in args.sizes.split(",")]

    manifest = build_manifest(
        generation_id="gen_bench",
        decision_id="dec_bench",
        registry_version=1,
        licences=[{"licence_id": "lic_1", "asset_id": "chr_1", "rights_holder_id": "rh_1"}],
        backend="storyboard",
        model="storyboard-v1",
        title="benchmark",
        watermark={"alg": WATERMARK_ALG, "payload_hex": "00112233"},
        created_at=datetime.now(UTC),
    )
    with tempfile.TemporaryDirectory(prefix="kyodaku-c2pa-bench-") as scratch:
        work = Path(scratch)
        identity = ensure_development_identity(work / "identity")
        clip = work / "clip.mp4"
        encode_noise_clip(clip)
        print(f"c2pa sign/read, dev identity {identity.alg}, median of {args.repeats} runs")
        print(f"{'size MB':>9} {'sign ms':>9} {'sign MB/s':>10} {'read ms':>9} {'read MB/s':>10}")
        for size_mb in sizes_mb:
            print(bench_size(clip, work, size_mb, manifest, identity, args.repeats))


if __name__ == "__main__":
    main()
