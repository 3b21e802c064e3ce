"""``kyodaku generate``: screen, decide, generate, check, seal and record one video."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from kyodaku.cli.common import (
    LangOption,
    check_purpose,
    clear_errors,
    command_name,
    fail,
    gateway,
    language,
    parse_value,
    print_json,
)
from kyodaku.cli.render import print_decision
from kyodaku.decisions import offer_messages
from kyodaku.gateway import GenerationOutcome
from kyodaku.generate.base import GenerationRequest
from kyodaku.messages import format_money
from kyodaku.policy import UseRequest


def parse_resolution(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        fail(f"--resolution: '{text}' is not WIDTHxHEIGHT (e.g. 1280x720)", 2)
    return width, height


def generate(
    prompt: str = typer.Argument(..., help="What to generate."),
    backend: str = typer.Option(None, help="Video backend (default: storyboard)."),
    duration: float = typer.Option(4.0, help="Length in seconds."),
    resolution: str = typer.Option("1280x720", help="WIDTHxHEIGHT."),
    fps: int = typer.Option(24, help="Frames per second."),
    style: str = typer.Option(None, help="live-action, cinematic or anime."),
    seed: int = typer.Option(None, help="Seed, for backends that are deterministic."),
    no_audio: bool = typer.Option(False, "--no-audio", help="Generate without sound."),
    purpose: str = typer.Option("non-commercial", help="non-commercial or commercial."),
    territory: str = typer.Option(None, help="ISO 3166 country code of the intended use."),
    value: str = typer.Option(None, help="Declared value of the use, for royalties."),
    currency: str = typer.Option(None, help="Currency of --value (ISO 4217)."),
    request_id: str = typer.Option(None, help="Idempotency key: a retry returns the same video."),
    creator: str = typer.Option(None, help="Who asks (default: current user)."),
    out: Path = typer.Option(None, help="Also copy the sealed video here."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
    lang: str = LangOption,
) -> None:
    """Generate a video if, and only if, every step of the gate permits it."""
    lang = language(lang)
    width, height = parse_resolution(resolution)
    use = UseRequest(
        purpose=check_purpose(purpose),
        territory=territory,
        declared_value=parse_value(value),
        currency=currency,
    )
    params = GenerationRequest(
        prompt=prompt,
        duration_s=duration,
        width=width,
        height=height,
        fps=fps,
        seed=seed,
        style=style,  # type: ignore[arg-type]
        audio=not no_audio,
    )

    def progress(fraction: float, message: str) -> None:
        if not as_json:
            typer.echo(f"  [{fraction:4.0%}] {message}", err=True)

    with clear_errors():
        gw = gateway()
        outcome = gw.generate(
            prompt,
            use,
            params,
            backend=backend,
            request_id=request_id,
            creator=creator or getpass.getuser(),
            out=out,
            progress=progress,
        )
        registry = gw.current_registry()
    if as_json:
        print_json(outcome_json(outcome, lang))
    else:
        print_outcome(registry, outcome, lang)
    if not outcome.released:
        raise typer.Exit(1)


def outcome_json(outcome: GenerationOutcome, lang: str) -> dict:
    generation = outcome.generation
    return {
        "status": outcome.status,
        "request_id": outcome.request_id,
        "decision_id": outcome.decision.id if outcome.decision else None,
        "generation_id": generation.id if generation else None,
        "path": str(outcome.path) if outcome.path else None,
        "reasons": [m.as_dict() for m in outcome.reasons],
        "royalties": [
            {
                "licence_id": r.licence_id,
                "asset_id": r.asset_id,
                "rights_holder_id": r.rights_holder_id,
                "rate": str(r.rate),
                "amount": str(r.amount),
                "currency": r.currency,
            }
            for r in outcome.royalties
        ],
        "output_check": outcome.output_check.as_dict() if outcome.output_check else None,
        **outcome.details,
    }


def print_outcome(registry, outcome: GenerationOutcome, lang: str) -> None:
    if outcome.decision is not None and not outcome.decision.decision.allowed:
        print_decision(registry, outcome.decision.prompt, outcome.decision.decision, lang)
        return
    if not outcome.released:
        typer.secho(f"[{outcome.status.upper()}] nothing was released", fg=typer.colors.RED)
        for reason in outcome.reasons:
            typer.echo(f"    - {reason.text(lang)}")
        if outcome.decision is not None:
            for offer in offer_messages(registry, outcome.decision.decision):
                typer.echo(f"    → {offer.text(lang)}")
        return
    generation = outcome.generation
    assert generation is not None
    label = "released" if outcome.status == "released" else "already generated (same request id)"
    typer.secho(f"[{label}] {outcome.path}", fg=typer.colors.GREEN, bold=True)
    typer.echo(f"    generation {generation.id} (request {outcome.request_id})")
    if outcome.decision is not None:
        for reason in outcome.decision.decision.reasons[1:]:
            typer.echo(f"    - {reason.text(lang)}")
    for r in outcome.royalties:
        amount = format_money(r.amount, r.currency)
        typer.echo(f"    royalty {amount} {r.currency} → {r.rights_holder_id} ({r.licence_id})")
    if outcome.details.get("development_identity"):
        typer.secho(
            "    signed with the local development identity (not trusted by others)",
            fg=typer.colors.YELLOW,
        )
    typer.echo(f"    verify it: {command_name()} verify {outcome.path}")
