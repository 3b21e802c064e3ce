"""Prohibited-context detection on the development set: precision, recall, exact-set accuracy.

usage: python benchmarks/contexts_dev.py [BENCH_DIR] [--quiet]

BENCH_DIR holds ``cases.jsonl`` (prompts) and ``contexts.jsonl`` (the annotated
contexts of every case); it defaults to ``$KYODAKU_BENCH_DIR`` or
``/work/shared/bench/dev``. Prints per-context figures, the share of cases whose
detected context set equals the annotation exactly, every disagreement (unless
``--quiet``), and the time per prompt. Figures are printed, never asserted: the
hidden test set, not this one, judges the project.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from kyodaku.registry.model import CONTEXTS
from kyodaku.screen.contexts import detect_contexts

DEFAULT_DIR = Path(os.environ.get("KYODAKU_BENCH_DIR", "/work/shared/bench/dev"))


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    args = [a for a in argv if a != "--quiet"]
    bench = Path(args[0]) if args else DEFAULT_DIR
    prompts = {c["id"]: c["prompt"] for c in load_jsonl(bench / "cases.jsonl")}
    gold = {r["id"]: set(r["ctx"]) for r in load_jsonl(bench / "contexts.jsonl")}

    counts = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CONTEXTS}
    exact, timings, disagreements = 0, [], []
    for case_id, expected in gold.items():
        prompt = prompts[case_id]
        t0 = time.perf_counter()
        hits = detect_contexts(prompt)
        timings.append(time.perf_counter() - t0)
        found = {h.context for h in hits}
        exact += found == expected
        for c in CONTEXTS:
            if c in found and c in expected:
                counts[c]["tp"] += 1
            elif c in found:
                counts[c]["fp"] += 1
            elif c in expected:
                counts[c]["fn"] += 1
        if found != expected:
            cues = ", ".join(f"{h.context}:{h.cue!r}" for h in hits)
            disagreements.append(
                f"  {case_id} expected {sorted(expected)} found {sorted(found)} [{cues}]\n"
                f"      {prompt[:160]}"
            )

    print(f"context detection on {bench} ({len(gold)} cases)")
    print(
        f"{'context':<10} {'gold':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}"
    )
    for c in CONTEXTS:
        k = counts[c]
        n_gold = k["tp"] + k["fn"]
        precision = k["tp"] / (k["tp"] + k["fp"]) if k["tp"] + k["fp"] else float("nan")
        recall = k["tp"] / n_gold if n_gold else float("nan")
        print(
            f"{c:<10} {n_gold:>5} {k['tp']:>4} {k['fp']:>4} {k['fn']:>4} "
            f"{precision:>10.3f} {recall:>7.3f}"
        )
    print(f"exact-set accuracy: {exact}/{len(gold)} = {exact / len(gold):.4f}")
    if disagreements and not quiet:
        print("disagreements:")
        print("\n".join(disagreements))

    micro = sorted(t * 1e6 for t in timings)
    print(
        f"time per dev prompt: mean {statistics.mean(micro):.0f} µs, "
        f"p50 {micro[len(micro) // 2]:.0f} µs, max {micro[-1]:.0f} µs"
    )
    for label, prompt in (("English", HUNDRED_WORDS_EN), ("Japanese", HUNDRED_WORDS_JA)):
        runs = 200
        t0 = time.perf_counter()
        for _ in range(runs):
            detect_contexts(prompt)
        per = (time.perf_counter() - t0) / runs * 1e6
        print(f"time per 100-word {label} prompt ({len(prompt)} chars): {per:.0f} µs")
    return 0


#: About 100 words of an ordinary storyboard prompt, with nothing prohibited in it.
HUNDRED_WORDS_EN = (
    "Shot 1: a drone glides over a seaside town at dawn, fishing boats rocking in the harbour "
    "and gulls circling the lighthouse. Shot 2: a young baker in a flour-dusted apron unlocks "
    "her shop, switches on the ovens and lays out trays of croissants while the radio plays "
    "soft jazz. Shot 3: children on bicycles race past the window, one of them waving at the "
    "camera. Shot 4: the baker hands a warm loaf to an old fisherman, who tips his cap and "
    "smiles. Shot 5: slow pull back to the whole street waking up in golden light. Warm film "
    "grain, 35mm, gentle piano, 20 seconds."
)
HUNDRED_WORDS_JA = (
    "【カット1】夜明けの港町をドローンで空撮、漁船が揺れ、カモメが灯台の周りを飛ぶ。"
    "【カット2】小麦粉まみれのエプロンを着た若いパン職人が店の鍵を開け、オーブンに火を入れ、"
    "ラジオから流れるジャズを聴きながらクロワッサンを並べる。【カット3】自転車に乗った子どもたちが"
    "窓の前を駆け抜け、一人がカメラに手を振る。【カット4】パン職人が年配の漁師に焼きたてのパンを"
    "手渡し、漁師は帽子を軽く上げて微笑む。【カット5】ゆっくり引いて、金色の光の中で目覚める"
    "通り全体を映す。ﾌｨﾙﾑ風の粒子、３５ｍｍ、やさしいピアノ、２０秒。"
)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
