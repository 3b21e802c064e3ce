"""``kyodaku screen``: one prompt against the registry, or a whole cases file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from kyodaku.cli.common import (
    LangOption,
    check_purpose,
    clear_errors,
    fail,
    gateway,
    language,
    parse_value,
    print_json,
)
from kyodaku.cli.render import print_decision
from kyodaku.decisions import decision_payload, screen_and_decide
from kyodaku.policy import UseRequest
from kyodaku.registry import exchange
from kyodaku.registry.model import PURPOSES
from kyodaku.screen import get_screener


def screen(
    prompt: str = typer.Argument(None, help="The prompt to screen."),
    purpose: str = typer.Option("non-commercial", help="non-commercial or commercial."),
    territory: str = typer.Option(None, help="ISO 3166 country code of the intended use."),
    value: str = typer.Option(None, help="Declared value of the use, for royalties."),
    currency: str = typer.Option(None, help="Currency of --value (ISO 4217)."),
    as_json: bool = typer.Option(False, "--json", help="Print the decision as JSON."),
    explain: bool = typer.Option(False, "--explain", help="Show every piece of evidence."),
    registry_file: Path = typer.Option(
        None, "--registry", help="Screen against this registry file (not the database)."
    ),
    cases: Path = typer.Option(None, help="A cases.jsonl file to screen (needs --registry)."),
    out: Path = typer.Option(None, help="Where to write decisions.jsonl (with --cases)."),
    lang: str = LangOption,
) -> None:
    """Screen a prompt: which protected works it refers to and whether the use is licensed."""
    lang = language(lang)
    if cases is not None:
        if registry_file is None or out is None:
            fail("--cases needs --registry and --out", 2)
        with clear_errors():
            screen_cases(registry_file, cases, out)
        return
    if not prompt:
        fail("give a PROMPT, or --registry/--cases/--out to screen a cases file", 2)
    request = UseRequest(
        purpose=check_purpose(purpose),
        territory=territory,
        declared_value=parse_value(value),
        currency=currency,
    )
    with clear_errors():
        if registry_file is not None:
            registry = exchange.with_version(exchange.load_file(registry_file), 0)
            _, decision = screen_and_decide(registry, get_screener(registry), prompt, request)
            decision_id = None
        else:
            gw = gateway()
            recorded = gw.decide(prompt, request, actor="cli")
            registry, decision, decision_id = gw.current_registry(), recorded.decision, recorded.id
    if as_json:
        print_json({"id": decision_id, **decision_payload(decision, prompt, request)})
    else:
        print_decision(registry, prompt, decision, lang, explain=explain)
    if not decision.allowed:
        raise typer.Exit(1 if decision.error is None else 3)


def screen_cases(registry_file: Path, cases_file: Path, out: Path) -> None:
    """The benchmark format: one decision line per case, in input order, no database."""
    registry = exchange.with_version(exchange.load_file(registry_file), 0)
    screener = get_screener(registry)
    lines: list[str] = []
    with cases_file.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                prompt, case_id = case["prompt"], case["id"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{cases_file}:{number}: not a case line ({exc})") from None
            purpose = case.get("purpose", "non-commercial")
            if purpose not in PURPOSES:
                raise ValueError(f"{cases_file}:{number}: unknown purpose '{purpose}'")
            _, decision = screen_and_decide(registry, screener, prompt, UseRequest(purpose=purpose))
            lines.append(
                json.dumps(
                    {
                        "id": case_id,
                        "decision": decision.decision,
                        "refs": list(decision.asset_ids),
                        "licences": list(decision.licence_ids),
                        "contexts": list(decision.context_names),
                        "reasons": [m.text("en") for m in decision.reasons],
                    },
                    ensure_ascii=False,
                )
            )
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    typer.echo(f"screened {len(lines)} cases → {out}")
