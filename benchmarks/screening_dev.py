"""Screen a labelled cases file and write decisions.jsonl for the bench scorer.

usage: python benchmarks/screening_dev.py REGISTRY CASES OUT [--score] [--explain ID ...]

REGISTRY is a registry exchange file (JSON/YAML), CASES a cases.jsonl, OUT
the decisions.jsonl to write (format: shared/bench/README.md). Decisions use
``kyodaku.policy.decide``; where the policy module is missing a local opt-in
rule stands in. With --score, the shared scorer is run on the result.
With --explain, the evidence (kept and discarded) of the named cases is printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kyodaku.registry.model import Registry
from kyodaku.screen import ScreeningError, ScreenResult, get_screener


def load_registry(path: Path) -> Registry:
    from kyodaku.registry import exchange

    registry = exchange.load_file(path)
    return exchange.with_version(registry, 0)


def decide_case(registry: Registry, result: ScreenResult, purpose: str) -> dict[str, Any]:
    """Decision, licences and reasons for one screened case."""
    try:
        from kyodaku.policy import UseRequest, decide
    except ImportError:
        return _local_rule(registry, result, purpose)
    decision = decide(registry, result, UseRequest(purpose=purpose))
    return {
        "decision": decision.decision,
        "licences": list(decision.licence_ids),
        "reasons": [m.text("en") for m in decision.reasons],
    }


def _local_rule(registry: Registry, result: ScreenResult, purpose: str) -> dict[str, Any]:
    """Opt-in: every reference needs a licence for the purpose outside its prohibited contexts."""
    contexts = set(result.context_names)
    character_works = {
        c.work for r in result.references if (c := registry.character(r.asset_id)) is not None
    }
    licences: list[str] = []
    reasons: list[str] = []
    allowed = True
    for ref in result.references:
        if ref.asset_kind == "work" and ref.asset_id in character_works:
            continue
        fitting = [
            lic
            for lic in registry.licences_covering(ref.asset_id)
            if purpose in lic.purposes and not contexts & set(lic.prohibited_contexts)
        ]
        if fitting:
            licences.append(fitting[0].id)
        else:
            allowed = False
            reasons.append(f"{ref.asset_id}: no licence for {purpose} here")
    return {"decision": "allow" if allowed else "block", "licences": licences, "reasons": reasons}


def run(registry_path: Path, cases_path: Path, out_path: Path, explain: set[str]) -> None:
    registry = load_registry(registry_path)
    started = time.perf_counter()
    screener = get_screener(registry)
    build = time.perf_counter() - started
    text = cases_path.read_text("utf-8")
    cases = [json.loads(line) for line in text.splitlines() if line.strip()]
    lines = []
    timings = []
    for case in cases:
        t0 = time.perf_counter()
        try:
            result = screener.screen(case["prompt"])
        except ScreeningError as exc:
            lines.append({"id": case["id"], "decision": "block", "refs": [], "licences": [],
                          "contexts": [], "reasons": [f"screening failed: {exc}"]})  # fmt: skip
            continue
        timings.append(time.perf_counter() - t0)
        decided = decide_case(registry, result, case.get("purpose", "non-commercial"))
        lines.append(
            {
                "id": case["id"],
                "decision": decided["decision"],
                "refs": list(result.asset_ids),
                "licences": decided["licences"],
                "contexts": list(result.context_names),
                "reasons": decided["reasons"],
            }
        )
        if case["id"] in explain:
            _explain(case, result)
    out_path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    timings.sort()
    p50 = timings[len(timings) // 2] * 1000 if timings else 0.0
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000 if timings else 0.0
    print(f"screener ready in {build:.2f} s; {len(lines)} cases; "
          f"latency p50 {p50:.2f} ms, p99 {p99:.2f} ms → {out_path}")  # fmt: skip


def _explain(case: dict[str, Any], result: ScreenResult) -> None:
    expected = case.get("expect", {}).get("refs")
    print(f"--- {case['id']} [{case.get('category')}] expect {expected}: {case['prompt']}")
    for ref in result.references:
        print(f"  REF {ref.asset_id} {ref.score:.2f}")
        for e in ref.evidence:
            print(f"      {e.recogniser}/{e.kind} {e.span and e.span.text(result.prompt)!r} "
                  f"{e.score:.2f} {e.detail}")  # fmt: skip
    for e in result.discarded:
        print(f"  discarded {e.asset_id} {e.recogniser}/{e.kind} "
              f"{e.span and e.span.text(result.prompt)!r} {e.score:.2f} {e.detail}")  # fmt: skip
    if result.contexts:
        print(f"  contexts {list(result.context_names)}")


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    explain = set()
    if "--explain" in argv:
        explain = set(argv[argv.index("--explain") + 1 :])
        args = args[: len(args) - len(explain)]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    registry_path, cases_path, out_path = (Path(a) for a in args)
    run(registry_path, cases_path, out_path, explain)
    if "--score" in argv:
        scorer = Path(__file__).resolve().parents[2] / "shared" / "bench" / "score.py"
        subprocess.run([sys.executable, str(scorer), str(registry_path), str(cases_path),
                        str(out_path)], check=False)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
