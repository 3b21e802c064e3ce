"""Human-readable rendering of decisions for the terminal."""

from __future__ import annotations

import typer

from kyodaku.decisions import offer_messages
from kyodaku.policy import Decision
from kyodaku.registry.model import Registry


def print_decision(
    registry: Registry, prompt: str, decision: Decision, lang: str, *, explain: bool = False
) -> None:
    colour = typer.colors.GREEN if decision.allowed else typer.colors.RED
    label = {"allow": {"en": "ALLOW", "ja": "許可"}, "block": {"en": "BLOCK", "ja": "拒否"}}
    shown = prompt if len(prompt) <= 200 else f"{prompt[:197]}... ({len(prompt)} characters)"
    typer.secho(f"[{label[decision.decision][lang]}] {shown}", fg=colour, bold=True)
    for reason in decision.reasons[1:]:
        typer.echo(f"    - {reason.text(lang)}")
    for offer in offer_messages(registry, decision):
        typer.echo(f"    → {offer.text(lang)}")
    if explain:
        for ref in decision.references:
            typer.echo(f"    [{ref.asset_id}] score {ref.score:.2f}")
            for ev in ref.evidence:
                span = f"{ev.span.start}:{ev.span.end} '{ev.span.text(prompt)}'" if ev.span else "-"
                typer.echo(
                    f"        {ev.recogniser}/{ev.kind} {span} ~ '{ev.matched}' "
                    f"({ev.score:.2f}) {ev.detail}"
                )
        for hit in decision.contexts:
            typer.echo(f"    [context {hit.context}] '{hit.cue}' ({hit.score:.2f})")
