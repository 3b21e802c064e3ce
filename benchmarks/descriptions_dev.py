"""Benchmark: the description recogniser alone over the development cases.

Prints recall on the categories it exists for (indirect_description,
alias_unlisted), the false-positive rate on the negative categories, the
build time and the per-prompt latency; with ``--scale N`` also the latency over
a registry padded to N characters with synthetic ones (the engine's budget is 10 ms
p99 per prompt at 100,000 characters).

    .venv/bin/python benchmarks/descriptions_dev.py
    .venv/bin/python benchmarks/descriptions_dev.py --misses      # list what went wrong
    .venv/bin/python benchmarks/descriptions_dev.py --scale 100000
    .venv/bin/python benchmarks/descriptions_dev.py --semantic    # the optional recogniser

A positive case counts as found when every expected character (or, for an
expected work, one of its characters) has description/epithet evidence with
score >= 0.5. A negative case is a false positive when any such evidence
fires. Figures are printed, never asserted: the hidden judging set has other
characters, so these numbers guide tuning, they are not a target to fit.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

from kyodaku.registry.exchange import load_file
from kyodaku.registry.model import Registry, make_character, make_work
from kyodaku.screen.types import Evidence, Recogniser

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "dev"
POSITIVE = ("indirect_description", "alias_unlisted")
NEGATIVE = ("negative_plain", "negative_hard")
STRONG_KINDS = frozenset({"description", "epithet"})


def strong_ids(evidence: list[Evidence]) -> set[str]:
    return {e.asset_id for e in evidence if e.kind in STRONG_KINDS and e.score >= 0.5}


def load_cases(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(recogniser: Recogniser, registry: Registry, cases: list[dict], misses: bool) -> None:
    per_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    latencies: list[float] = []
    cpu: list[float] = []
    for case in cases:
        category = case["category"]
        if category not in POSITIVE + NEGATIVE:
            continue
        started, started_cpu = time.perf_counter(), time.thread_time()
        evidence = recogniser.find(case["prompt"])
        latencies.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
        found = strong_ids(evidence)
        covered = found | {registry.character(f).work for f in found if registry.character(f)}
        expected = set(case["expect"]["refs"])
        counts = per_category[category]
        counts[0] += 1
        if category in POSITIVE:
            ok = expected <= covered
            counts[1] += ok
            wrong = not ok
        else:
            counts[1] += bool(found)
            wrong = bool(found)
        if misses and (wrong or (category in POSITIVE and found - expected)):
            best = sorted(evidence, key=lambda e: -e.score)[:3]
            shown = ", ".join(f"{e.asset_id}:{e.kind}:{e.score:.2f}" for e in best)
            label = "MISS" if wrong else "extra"
            print(f"  {label} {category[:12]:12} {sorted(expected)} -> [{shown}]")
            print(f"        {case['prompt'][:110]}")
    for category in POSITIVE + NEGATIVE:
        n, k = per_category[category]
        if not n:
            continue
        metric = "recall" if category in POSITIVE else "FPR"
        print(f"{category:22} n={n:3}  {metric:6} {k / n:.3f}  ({k}/{n})")
    print_latency(f"wall per prompt ({len(registry.characters)} characters)", latencies)
    print_latency(f"CPU per prompt ({len(registry.characters)} characters)", cpu)


def print_latency(label: str, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    print(
        f"{label}: mean {statistics.mean(ordered) * 1e3:.2f} ms, "
        f"p50 {statistics.median(ordered) * 1e3:.2f} ms, p99 {p99 * 1e3:.2f} ms"
    )


def padded_registry(base: Registry, extra: int, seed: int = 7) -> Registry:
    """``base`` plus ``extra`` synthetic characters described in common English.

    Descriptions are drawn from wordfreq's most frequent English words with
    the dev registry's own description words mixed in, so postings of
    everyday words ("hair", "red") grow as they would in a large registry.
    """
    from wordfreq import top_n_list

    rng = random.Random(seed)
    words = [w for w in top_n_list("en", 20_000) if w.isalpha() and len(w) > 2]
    registry_words = [w for c in base.characters for w in c.description.lower().split()]
    works = list(base.works)
    characters = list(base.characters)
    for w in range(max(1, extra // 50)):
        works.append(make_work(f"w-synth-{w}", "rh-synth", {"en": [f"Synthetic Work {w}"]}))
    for i in range(extra):
        size = rng.randint(12, 30)
        picked = [
            rng.choice(registry_words) if rng.random() < 0.3 else rng.choice(words)
            for _ in range(size)
        ]
        characters.append(
            make_character(
                f"c-synth-{i}",
                f"w-synth-{i // 50}",
                {"en": [f"Synth {i}"]},
                description=" ".join(picked),
            )
        )
    return Registry(
        rights_holders=base.rights_holders, works=tuple(works), characters=tuple(characters)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--misses", action="store_true", help="print misses and false positives")
    parser.add_argument("--scale", type=int, default=0, help="pad the registry to N characters")
    parser.add_argument("--semantic", action="store_true", help="run the semantic recogniser")
    args = parser.parse_args()

    registry = load_file(args.dev / "registry.json")
    cases = load_cases(args.dev / "cases.jsonl")

    if args.semantic:
        from kyodaku.screen import semantic

        if not semantic.available():
            print(f"semantic recogniser unavailable: {semantic.unavailable_reason()}")
            return
        started = time.perf_counter()
        recogniser: Recogniser = semantic.SemanticRecogniser(registry)
        print(f"semantic: built in {time.perf_counter() - started:.2f} s")
    else:
        from kyodaku.screen.descriptions import DescriptionRecogniser

        started = time.perf_counter()
        recogniser = DescriptionRecogniser(registry)
        print(
            f"description: built over {len(registry.characters)} characters "
            f"in {(time.perf_counter() - started) * 1e3:.0f} ms"
        )
    evaluate(recogniser, registry, cases, args.misses)

    if args.scale and not args.semantic:
        from kyodaku.screen.descriptions import DescriptionRecogniser

        big = padded_registry(registry, args.scale - len(registry.characters))
        started = time.perf_counter()
        large = DescriptionRecogniser(big)
        print(
            f"\nscale: built over {len(big.characters)} characters "
            f"in {time.perf_counter() - started:.1f} s"
        )
        prompts = [c["prompt"] for c in cases]
        latencies, cpu = [], []
        for prompt in prompts:
            started, started_cpu = time.perf_counter(), time.thread_time()
            large.find(prompt)
            latencies.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - started_cpu)
        label = f"({len(big.characters)} characters, all {len(prompts)} dev prompts)"
        print_latency(f"wall per prompt {label}", latencies)
        print_latency(f"CPU per prompt {label}", cpu)
        print(
            "(stress only: the padding mixes the dev descriptions' own words into random text, "
            "so synthetic characters collide with dev prompts far more than real ones would)"
        )
        evaluate(large, big, cases, misses=args.misses)


if __name__ == "__main__":
    main()
