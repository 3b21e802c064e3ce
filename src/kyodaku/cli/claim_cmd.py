"""``kyodaku claim``: file and handle a rights holder's infringement claim.

Thin over :class:`kyodaku.claims.Claims`: each command is one step of the
claim, printed in the user's language; every refusal exits 2 with one line
that says what is wrong.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import typer

from kyodaku.claim_rules import ClaimRuleError, OverdueStep, state_name
from kyodaku.claims import NOT_OURS, Claims
from kyodaku.cli.common import (
    LangOption,
    clear_errors,
    fail,
    gateway,
    language,
    parse_value,
    print_json,
)
from kyodaku.messages import Message, format_money, render
from kyodaku.store.claims_repo import Claim, ClaimEvent
from kyodaku.store.errors import ConcurrentUpdate, NotFound

app = typer.Typer(help="Infringement claims, from filing to resolution.", no_args_is_help=True)

T = TypeVar("T")


def _claims() -> Claims:
    return Claims(gateway())


def _run(action: Callable[[], T], lang: str) -> T:
    """Run one claim step; a refusal becomes one line in ``lang`` and exit code 2."""
    with clear_errors():  # file and media errors; claim refusals are caught first, below
        try:
            return action()
        except ClaimRuleError as exc:
            fail(f"error: {exc.message.text(lang)}", 2)
        except (NotFound, ConcurrentUpdate) as exc:
            fail(f"error: {exc}", 2)


def claim_as_dict(claim: Claim) -> dict[str, Any]:
    return asdict(claim)


def _when(moment: Any) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def show_claim(
    claim: Claim, lang: str, *, full: bool = False, history: list[ClaimEvent] | None = None
) -> None:
    colour = {
        "rejected": typer.colors.RED,
        "upheld": typer.colors.GREEN,
        "settled": typer.colors.GREEN,
    }.get(claim.state, typer.colors.YELLOW)
    typer.secho(f"claim {claim.id} [{state_name(claim.state).text(lang)}]", fg=colour, bold=True)

    def say(code: str, **params: Any) -> None:
        typer.echo("  " + render(code, lang, **params))

    say(
        "claim.summary",
        rights_holder=claim.rights_holder_id,
        asset=claim.asset_id,
        reason=claim.reason,
    )
    say("claim.generation", generation=claim.generation_id or "-", filed=_when(claim.created_at))
    if claim.ack_due:
        say("claim.acknowledge_by", due=_when(claim.ack_due))
    if claim.decision_due:
        say("claim.decide_by", due=_when(claim.decision_due))
    if claim.creator_response:
        say("claim.creator_response", text=claim.creator_response)
    _show_resolution(claim, lang)
    if history:
        say("claim.history")
        for event in history:
            before = state_name(event.from_state).text(lang) if event.from_state else "-"
            note = f"  ({event.note})" if event.note else ""
            typer.echo(
                f"    {_when(event.at)}  {before} → {state_name(event.to_state).text(lang)}"
                f"  {event.actor}{note}"
            )
    if full:
        say("claim.evidence")
        typer.echo(json.dumps(claim.evidence or {}, ensure_ascii=False, indent=2, default=str))


def _show_resolution(claim: Claim, lang: str) -> None:
    resolution = claim.resolution or {}
    outcome = resolution.get("outcome")
    if (claim.evidence or {}).get("finding") == NOT_OURS:
        text = Message(resolution.get("code", "claim.not_ours"), resolution.get("params", {}))
        typer.secho("  " + text.text(lang), fg=typer.colors.RED)
    elif outcome == "upheld":
        typer.echo("  " + render("claim.withdrawn", lang, generation=resolution.get("withdrawn")))
    elif outcome == "settled":
        royalty = resolution.get("royalty", {})
        typer.echo(
            "  "
            + render(
                "claim.settled",
                lang,
                licence=resolution.get("licence_id"),
                amount=format_money(Decimal(royalty["amount"]), royalty["currency"]),
                currency=royalty["currency"],
            )
        )
    elif outcome == "rejected":
        typer.echo("  " + render("claim.rejected", lang, reasons=resolution.get("reasons", "-")))


@app.command("file")
def file(
    rights_holder: str = typer.Option(..., "--rights-holder", help="Who claims."),
    asset: str = typer.Option(..., "--asset", help="The claimed work or character."),
    reason: str = typer.Option(..., "--reason", help="Why the video infringes."),
    video: Path = typer.Option(None, "--video", help="The video file found."),
    generation: str = typer.Option(None, "--generation", help="Or the generation id."),
    as_json: bool = typer.Option(False, "--json", help="Print the claim as JSON."),
    lang: str = LangOption,
) -> None:
    """File a claim: the video is identified and the evidence attached."""
    lang = language(lang)
    claim = _run(
        lambda: _claims().file(
            rights_holder_id=rights_holder,
            asset_id=asset,
            reason=reason,
            video=video,
            generation_id=generation,
        ),
        lang,
    )
    if as_json:
        print_json(claim_as_dict(claim))
    else:
        show_claim(claim, lang)


@app.command("show")
def show(
    claim_id: str,
    as_json: bool = typer.Option(False, "--json", help="Print the claim as JSON."),
    lang: str = LangOption,
) -> None:
    """Show one claim with its history and evidence."""
    lang = language(lang)
    claims = _claims()
    claim = _run(lambda: claims.get(claim_id), lang)
    history = claims.history(claim_id)
    if as_json:
        print_json({**claim_as_dict(claim), "history": [asdict(e) for e in history]})
    else:
        show_claim(claim, lang, full=True, history=history)


@app.command("list")
def list_(
    overdue: bool = typer.Option(False, "--overdue", help="Only claims past a deadline."),
    state: str = typer.Option(None, help="Only claims in this state."),
    rights_holder: str = typer.Option(None, "--rights-holder", help="Only this holder's claims."),
    lang: str = LangOption,
) -> None:
    """List claims (oldest first)."""
    lang = language(lang)
    claims = _claims()
    if overdue:
        late = _run(claims.overdue, lang)
        for item in late:
            code = (
                "claim.late_acknowledge"
                if item.step == OverdueStep.ACKNOWLEDGE
                else "claim.late_decide"
            )
            typer.secho(render(code, lang, due=_when(item.due)), fg=typer.colors.RED, bold=True)
            show_claim(item.claim, lang)
        if not late:
            typer.echo(render("claim.none_overdue", lang))
        return
    found = _run(lambda: claims.list(state=state, rights_holder_id=rights_holder), lang)
    for claim in found:
        show_claim(claim, lang)
    if not found:
        typer.echo(render("claim.none", lang))


@app.command("acknowledge")
def acknowledge(
    claim_id: str,
    actor: str = typer.Option("platform", help="Who acknowledges, for the record."),
    lang: str = LangOption,
) -> None:
    """The platform acknowledges receipt (deadline: 24 h by default)."""
    lang = language(lang)
    show_claim(_run(lambda: _claims().acknowledge(claim_id, actor=actor), lang), lang)


@app.command("respond")
def respond(
    claim_id: str,
    text: str = typer.Option(..., "--text", help="The creator's answer."),
    creator: str = typer.Option(None, help="The video's creator (default: current user)."),
    lang: str = LangOption,
) -> None:
    """The creator answers the claim, once."""
    lang = language(lang)
    who = creator or getpass.getuser()
    show_claim(_run(lambda: _claims().respond(claim_id, text, creator=who), lang), lang)


@app.command("uphold")
def uphold(
    claim_id: str,
    rights_holder: str = typer.Option(..., "--rights-holder", help="The claiming holder."),
    note: str = typer.Option(None, help="A note for the record."),
    lang: str = LangOption,
) -> None:
    """Uphold: the video is withdrawn; missed phrases are proposed for the registry."""
    lang = language(lang)
    claim = _run(lambda: _claims().uphold(claim_id, actor=rights_holder, note=note), lang)
    show_claim(claim, lang)
    proposals = (claim.resolution or {}).get("proposed_phrases", [])
    if proposals:
        typer.echo("  " + render("claim.proposals", lang))
        for p in proposals:
            typer.echo(f"    '{p['phrase']}'  ({p['why']}, {p['score']})")


@app.command("settle")
def settle(
    claim_id: str,
    rights_holder: str = typer.Option(..., "--rights-holder", help="The claiming holder."),
    royalty_rate: float = typer.Option(..., "--royalty-rate", help="Share of the value, 0–1."),
    value: str = typer.Option(None, help="Declared value (default: the original request's)."),
    currency: str = typer.Option(None, help="Currency of the value (ISO 4217)."),
    note: str = typer.Option(None, help="A note for the record."),
    lang: str = LangOption,
) -> None:
    """Settle: grant a licence retroactively; the royalty accrues."""
    lang = language(lang)
    amount = parse_value(value)
    claim = _run(
        lambda: _claims().settle(
            claim_id,
            actor=rights_holder,
            royalty_rate=royalty_rate,
            declared_value=amount,
            currency=currency,
            note=note,
        ),
        lang,
    )
    show_claim(claim, lang)


@app.command("reject")
def reject(
    claim_id: str,
    rights_holder: str = typer.Option(..., "--rights-holder", help="The claiming holder."),
    reasons: str = typer.Option(..., "--reasons", help="Why the claim is withdrawn."),
    lang: str = LangOption,
) -> None:
    """Reject the claim (the rights holder withdraws it), with reasons."""
    lang = language(lang)
    show_claim(
        _run(lambda: _claims().reject(claim_id, actor=rights_holder, reasons=reasons), lang), lang
    )


@app.command("accept-phrases")
def accept_phrases(
    claim_id: str,
    phrases: list[str] = typer.Argument(..., help="Proposed phrases to add."),
    rights_holder: str = typer.Option(..., "--rights-holder", help="The claiming holder."),
    lang: str = LangOption,
) -> None:
    """Add accepted phrases to the asset (aliases or terms): a new registry version."""
    lang = language(lang)
    claims = _claims()
    version = _run(lambda: claims.accept_phrases(claim_id, phrases, actor=rights_holder), lang)
    if version is None:
        typer.echo(render("claim.phrases_unchanged", lang))
    else:
        asset = claims.get(claim_id).asset_id
        added = ", ".join(f"'{p}'" for p in phrases)
        typer.echo(
            render("claim.phrases_added", lang, version=version.number, phrases=added, asset=asset)
        )
