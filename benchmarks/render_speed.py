"""How fast the built-in storyboard renderer is: frames per second and real-time factor.

Prints, per resolution and style, the speed of drawing frames alone and of
the whole backend (drawing, sound, H.264 + AAC encoding, writing the MP4).
A real-time factor above 1 means a clip renders faster than it plays. Wall
time depends on what else the machine is doing, so the CPU time the whole
backend used per second of video is printed too: below the number of free
cores, the renderer keeps up with real time.

    .venv/bin/python benchmarks/render_speed.py [--duration 4] [--fps 24] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from kyodaku.generate.base import GenerationRequest
from kyodaku.generate.storyboard import StoryboardBackend, StoryboardRenderer, plan_storyboard

PROMPT = (
    "Shot 1: wide shot of a harbour town at dawn. "
    'Shot 2: close-up of a gull on a post, it cries "good morning". '
    "Shot 3: slow pan left along the boats. "
    "ショット4：ドローンで港を空撮。"
)
SIZES = ((640, 360), (1280, 720))
STYLES = ("live-action", "cinematic", "anime")


def best_of(repeat: int, run) -> tuple[float, float]:
    """Best wall time and the CPU time (all threads) of that run."""
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=4.0)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    frames_total = round(args.duration * args.fps)

    print(
        f"storyboard render speed: {args.duration:g} s clips at {args.fps} fps "
        f"({frames_total} frames), best of {args.repeat}, {os.cpu_count()} CPUs"
    )
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(
        f"{'size':>10} {'style':>12} {'draw fps':>9} {'full fps':>9} {'realtime x':>10} "
        f"{'cpu s/video s':>13}"
    )
    with tempfile.TemporaryDirectory(prefix="kyodaku-bench-") as tmp:
        for width, height in SIZES:
            for style in STYLES:
                request = GenerationRequest(
                    prompt=PROMPT,
                    duration_s=args.duration,
                    width=width,
                    height=height,
                    fps=args.fps,
                    seed=1,
                    style=style,
                    request_id=f"bench-{width}-{style}",
                )
                plan = plan_storyboard(request, 1)

                def draw(plan=plan) -> None:
                    for _ in StoryboardRenderer(plan).frames():
                        pass

                def full(request=request) -> None:
                    StoryboardBackend().generate(request, Path(tmp))

                draw_s, _ = best_of(args.repeat, draw)
                full_s, full_cpu = best_of(args.repeat, full)
                print(
                    f"{width}x{height:<5} {style:>12} {frames_total / draw_s:9.1f} "
                    f"{frames_total / full_s:9.1f} {args.duration / full_s:10.2f} "
                    f"{full_cpu / args.duration:13.2f}"
                )


if __name__ == "__main__":
    main()
