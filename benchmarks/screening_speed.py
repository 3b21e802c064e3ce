"""Screening speed on a large synthetic registry.

usage: python benchmarks/screening_speed.py [--characters N] [--works N] [--prompts N]
                                            [--no-descriptions] [--cache-dir DIR]
                                            [--cold-runs N]

Builds an invented registry (default 100,000 characters in 14,000 works;
names made of Japanese syllables in katakana and Hepburn romaji, some with
kanji, aliases, descriptions, titles and terms), then prints:

* index compile time, pickle size, and the time to load the compiled index
  from the disk cache in a fresh cache object (index only, in this process);
* the cold start of the whole screener in a fresh Python process (what a
  restarted server pays): importing the engine, ``Screener.build`` from the
  disk cache (index, automata, every recogniser, the warm-ups, the context
  lexicon), then the first prompt, the first Chinese prompt (the pinyin
  reader), the first short name before an honorific, the first French
  prompt (the loanword reader loads its model then) and a few more; the
  registry snapshot itself is generated in the child before the clock
  starts (a server reads it from its store);
* memory (RSS growth of the process while compiling; compiled pickle size);
* per-prompt latency p50/p99 of the full screen (names, fuzzy,
  disambiguation, and the description recogniser when installed) on a mix
  of 10–100-word prompts;
* the same latency for a plain exact-name Aho–Corasick scan over the same
  registry, and the ratio between the two.

Figures are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ahocorasick_rs

from kyodaku.registry.model import (
    Character,
    Registry,
    RightsHolder,
    Work,
    make_character,
    make_work,
)
from kyodaku.screen.engine import Screener, default_recognisers
from kyodaku.screen.index_cache import IndexCache

# Japanese morae as (katakana, Hepburn) pairs: invented but realistic names.
_MORAE = [
    ("カ", "ka"), ("キ", "ki"), ("ク", "ku"), ("ケ", "ke"), ("コ", "ko"), ("サ", "sa"),
    ("シ", "shi"), ("ス", "su"), ("セ", "se"), ("ソ", "so"), ("タ", "ta"), ("チ", "chi"),
    ("ツ", "tsu"), ("テ", "te"), ("ト", "to"), ("ナ", "na"), ("ニ", "ni"), ("ヌ", "nu"),
    ("ネ", "ne"), ("ノ", "no"), ("ハ", "ha"), ("ヒ", "hi"), ("フ", "fu"), ("ヘ", "he"),
    ("ホ", "ho"), ("マ", "ma"), ("ミ", "mi"), ("ム", "mu"), ("メ", "me"), ("モ", "mo"),
    ("ヤ", "ya"), ("ユ", "yu"), ("ヨ", "yo"), ("ラ", "ra"), ("リ", "ri"), ("ル", "ru"),
    ("レ", "re"), ("ロ", "ro"), ("ワ", "wa"), ("ガ", "ga"), ("ギ", "gi"), ("ゴ", "go"),
    ("ザ", "za"), ("ジ", "ji"), ("ゼ", "ze"), ("ダ", "da"), ("ド", "do"), ("バ", "ba"),
    ("ビ", "bi"), ("ボ", "bo"), ("パ", "pa"), ("ピ", "pi"), ("ポ", "po"), ("リュ", "ryu"),
    ("キョ", "kyo"), ("ショ", "sho"), ("チャ", "cha"), ("ン", "n"),
]  # fmt: skip
_KANJI = "山川田中村木林森本光月星風雷炎氷剣龍虎鳥花雪海空天地神鬼王姫丸太郎子美"
_ADJECTIVES = ("Crimson", "Silent", "Iron", "Golden", "Shadow", "Storm", "Frost", "Wild",
               "Ancient", "Lucky", "Midnight", "Hidden")  # fmt: skip
_NOUNS = ("Blade", "Fang", "Lotus", "Comet", "Drifter", "Knight", "Fox", "Raven", "Wolf",
          "Star", "Tide", "Lantern")  # fmt: skip
_FEATURES = (
    "spiky silver hair",
    "a red scarf",
    "round glasses",
    "a scar across the cheek",
    "a long blue coat",
    "mechanical wings",
    "a pointed hat",
    "glowing green eyes",
    "a striped tail",
    "twin daggers",
    "a paper fan",
    "golden armor",
    "a wooden staff",
    "tiny horns",
    "a patched cloak",
    "an eyepatch",
    "rabbit ears",
    "a bell collar",
)
_PLAIN_TEXT = (
    "a quiet street at dawn with soft fog and a cyclist passing a bakery window, slow dolly "
    "shot, warm colors, film grain, gentle piano, rain on the glass, children running through "
    "a park, drone shot over a harbor at sunset, close-up of hands kneading bread, a cat "
    "sleeping on a windowsill, neon signs reflected in puddles, a train crossing a bridge"
)
_PLAIN = tuple(_PLAIN_TEXT.split())


def mora_name(rng: random.Random, count: int) -> tuple[str, str]:
    morae = [rng.choice(_MORAE) for _ in range(count)]
    if morae[0][1] == "n":
        morae[0] = ("カ", "ka")
    kana = "".join(m[0] for m in morae)
    roman = "".join(m[1] for m in morae)
    return kana, roman.capitalize()


def synthetic_registry(characters: int, works: int, seed: int = 7) -> Registry:
    rng = random.Random(seed)
    holders = [RightsHolder(f"rh-{i}", f"Studio {i}") for i in range(max(1, works // 20))]
    work_list: list[Work] = []
    for i in range(works):
        kana, roman = mora_name(rng, rng.randint(3, 5))
        titles = {"en": [f"{roman} {rng.choice(_NOUNS)}"], "ja": [kana]}
        terms = [mora_name(rng, rng.randint(3, 4))[1] for _ in range(rng.randint(2, 4))]
        terms.append(f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {roman}")
        work_list.append(make_work(f"w-{i}", holders[i % len(holders)].id, titles, terms))
    char_list: list[Character] = []
    for i in range(characters):
        kana, roman = mora_name(rng, rng.randint(3, 5))
        names: dict[str, list[str]] = {"en": [roman], "ja": [kana]}
        if rng.random() < 0.3:
            family_kana, family = mora_name(rng, 3)
            names["en"].append(f"{roman} {family}")
            names["ja"].append(f"{family_kana}・{kana}")
        if rng.random() < 0.2:
            names["ja"].append("".join(rng.choice(_KANJI) for _ in range(3)))
        aliases = [f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"] if rng.random() < 0.4 else []
        description = "A character with " + ", ".join(rng.sample(_FEATURES, 4)) + "."
        char_list.append(make_character(f"c-{i}", f"w-{i % works}", names, aliases, description))
    return Registry(rights_holders=tuple(holders), works=tuple(work_list),
                    characters=tuple(char_list), version=1,
                    digest=f"synthetic-{characters}-{works}-{seed}")  # fmt: skip


def prompts(registry: Registry, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        words = [rng.choice(_PLAIN) for _ in range(rng.randint(10, 100))]
        kind = i % 5
        if kind:
            character = rng.choice(registry.characters)
            name = character.names["en"][0]
            if kind == 2:
                name = name[:-1] + ("x" if name[-1] != "x" else "y")  # misspelt
            elif kind == 3:
                name = character.names["ja"][0]
            elif kind == 4:
                name = " ".join(name)  # spaced out
            words.insert(rng.randrange(len(words)), name)
        out.append(" ".join(words))
    return out


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


#: Run in a fresh interpreter: everything a restarted server pays before it screens.
_COLD_START = """
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from kyodaku.screen.engine import Screener
from kyodaku.screen.index_cache import IndexCache
imported = time.perf_counter() - t0
sys.path.insert(0, sys.argv[1])
from screening_speed import prompts, synthetic_registry
registry = synthetic_registry(int(sys.argv[3]), int(sys.argv[4]))
batch = prompts(registry, 8, seed=23)
cache = IndexCache(Path(sys.argv[2]))
files = set(Path(sys.argv[2]).iterdir())
c1 = time.process_time()
t1 = time.perf_counter()
if sys.argv[5] == "full":
    screener = Screener.build(registry, cache=cache)
else:
    screener = Screener(registry, cache.get(registry))
ready = time.perf_counter() - t1
cpu = time.process_time() - c1
missed = len(set(Path(sys.argv[2]).iterdir()) - files)  # written: compiled, not loaded
t2 = time.perf_counter()
screener.screen(batch[1])
first = time.perf_counter() - t2
t3 = time.perf_counter()
screener.screen("\u5e93\u5df4\u548c\u9a6c\u91cc\u5965\u5728\u57ce\u5821\u91cc")
chinese = time.perf_counter() - t3
character = registry.characters[len(registry.characters) // 2]
kana, roman = character.names["ja"][0], character.names["en"][0]
t4 = time.perf_counter()
screener.screen(f"{kana[:2]}\u3061\u3083\u3093 and {roman[:4]}-chan at the beach")
honorific = time.perf_counter() - t4
t5 = time.perf_counter()
screener.screen(f"Lantern et {roman} dans une ruelle pendant la nuit")
european = time.perf_counter() - t5
later = []
for prompt in batch[2:]:
    t = time.perf_counter()
    screener.screen(prompt)
    later.append(time.perf_counter() - t)
print(json.dumps({"imports": imported, "build": ready, "build_cpu": cpu, "first": first,
                  "chinese": chinese, "honorific": honorific, "european": european,
                  "later_max": max(later),
                  "missed": missed}))
"""


def cold_start(cache_dir: Path, characters: int, works: int, full: bool) -> dict[str, float]:
    """One cold start in a fresh interpreter (see :data:`_COLD_START`)."""
    here = str(Path(__file__).resolve().parent)
    args = [sys.executable, "-c", _COLD_START, here, str(cache_dir), str(characters), str(works),
            "full" if full else "names"]  # fmt: skip
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the cold start failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--characters", type=int, default=100_000)
    parser.add_argument("--works", type=int, default=14_000)
    parser.add_argument("--prompts", type=int, default=500)
    parser.add_argument("--no-descriptions", action="store_true")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh-process cold starts")
    args = parser.parse_args()

    t0 = time.perf_counter()
    registry = synthetic_registry(args.characters, args.works)
    print(f"registry: {len(registry.characters):,} characters, {len(registry.works):,} works "
          f"(generated in {time.perf_counter() - t0:.1f} s)")  # fmt: skip

    cache_dir = args.cache_dir or Path(tempfile.mkdtemp(prefix="kyodaku-bench-"))
    gc.collect()
    rss0 = rss_mb()
    t0 = time.perf_counter()
    index = IndexCache(cache_dir).get(registry)
    compile_s = time.perf_counter() - t0
    rss1 = rss_mb()
    t0 = time.perf_counter()
    screener = Screener(registry, index)
    screener_s = time.perf_counter() - t0
    pickle_path = IndexCache(cache_dir).path_for(index.digest)
    print(
        f"index: {index.size:,} entries, {len(index.latin_keys):,} Latin + "
        f"{len(index.cjk_keys):,} CJK keys, {len(index.fuzzy.hashes):,} fuzzy deletions"
    )
    print(f"compile {compile_s:.1f} s (+ screener {screener_s:.2f} s); RSS +{rss1 - rss0:.0f} MB "
          f"while compiling; pickle {pickle_path.stat().st_size / 2**20:.0f} MB")  # fmt: skip

    fresh = IndexCache(cache_dir)
    t0 = time.perf_counter()
    loaded = fresh.get(registry)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    screener = Screener(registry, loaded)
    ready_s = time.perf_counter() - t0
    print(f"cached load in this process: index (with its automata) {load_s:.2f} s + names "
          f"screener {ready_s:.2f} s = {load_s + ready_s:.2f} s")  # fmt: skip

    descriptions = []
    if not args.no_descriptions:
        t0 = time.perf_counter()
        descriptions = [fresh.recogniser(registry, f) for f in default_recognisers()]
        if descriptions:
            print(f"other recognisers built in {time.perf_counter() - t0:.1f} s (first start)")
    if args.cold_runs > 0:
        full_start = not args.no_descriptions
        runs = [cold_start(cache_dir, args.characters, args.works, full_start)
                for _ in range(args.cold_runs)]  # fmt: skip
        what = "full screener" if full_start else "names screener (no other recognisers)"
        print(f"cold start of the {what} in a fresh process, {len(runs)} runs "
              "(median, [each run]):")  # fmt: skip
        labels = (
            ("imports", "import the engine"),
            ("build", "Screener.build from the disk cache"),
            ("build_cpu", "  its CPU time (steadier on a busy machine)"),
            ("ready", "ready to screen (imports + build)"),
            ("first", "then the first prompt"),
            ("to_first", "process start to first screened prompt"),
            ("chinese", "then the first Chinese prompt"),
            ("honorific", "then the first short form + honorific"),
            ("european", "then the first French prompt (loanword model)"),
            ("later_max", "then the slowest of 6 more prompts"),
        )
        if any(run["missed"] for run in runs):
            print("  WARNING: a cold start compiled instead of loading (the code changed "
                  "during the run?): its figures are not a cached load")  # fmt: skip
        for run in runs:
            run["ready"] = run["imports"] + run["build"]
            run["to_first"] = run["ready"] + run["first"]
        for key, label in labels:
            values = [run[key] for run in runs]
            each = ", ".join(f"{v:.3f}" for v in values)
            print(f"  {label:42} {statistics.median(values):6.3f} s   [{each}]")
    full = Screener(registry, loaded, descriptions)

    batch = prompts(registry, args.prompts)
    for prompt in batch[:5]:
        full.screen(prompt)  # warm-up: lazy tables
    core_times, full_times, plain_times = [], [], []
    for prompt in batch:
        t0 = time.perf_counter()
        screener.screen(prompt)
        core_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        full.screen(prompt)
        full_times.append(time.perf_counter() - t0)

    names = sorted({n.casefold() for c in registry.characters for n in c.all_names}
                   | {t.casefold() for w in registry.works for t in w.all_titles})  # fmt: skip
    t0 = time.perf_counter()
    plain = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.Standard)
    plain_build = time.perf_counter() - t0
    for prompt in batch:
        t0 = time.perf_counter()
        plain.find_matches_as_indexes(prompt.casefold(), overlapping=True)
        plain_times.append(time.perf_counter() - t0)

    def row(label: str, times: list[float]) -> tuple[float, float]:
        p50, p99 = percentile(times, 0.5) * 1000, percentile(times, 0.99) * 1000
        print(f"{label:44} p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   "
              f"mean {statistics.mean(times) * 1000:7.3f} ms")  # fmt: skip
        return p50, p99

    print(f"latency over {len(batch)} prompts of 10–100 words:")
    core = row("names + fuzzy + disambiguation", core_times)
    if descriptions:
        row("full screen (with descriptions)", full_times)
    base = row(f"plain exact AC scan ({len(names):,} names)", plain_times)
    print(f"plain scan automaton build {plain_build:.2f} s")
    print(
        f"ratio full/plain: p50 {core[0] / base[0]:.0f}x, p99 {core[1] / base[1]:.0f}x "
        "(names + fuzzy + disambiguation)"
    )
    if descriptions:
        full_p50 = percentile(full_times, 0.5) * 1000
        full_p99 = percentile(full_times, 0.99) * 1000
        print(
            f"ratio with descriptions: p50 {full_p50 / base[0]:.0f}x, p99 {full_p99 / base[1]:.0f}x"
        )


if __name__ == "__main__":
    main()
