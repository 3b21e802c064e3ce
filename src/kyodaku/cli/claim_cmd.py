"""``kyodaku claim``: file and handle a rights holder's infringement claim."""

from __future__ import annotations

import getpass
import json
from decimal import Decimal
from pathlib import Path

import typer

from kyodaku.claim_rules import ClaimRuleError
from kyodaku.claims import NOT_OURS, Claims
from kyodaku.cli.common import clear_errors, fail, gateway, print_json
from kyodaku.store.claims_repo import Claim
from kyodaku.store.errors import ConcurrentUpdate, NotFound

app = typer.Typer(help="Infringement claims, from filing to resolution.", no_args_is_help=True)


def _claims() -> Claims:
    return Claims(gateway())


def _run(action):  # type: ignore[no-untyped-def]
    try:
        with clear_errors():
            return action()
    except (ClaimRuleError, NotFound, ConcurrentUpdate) as exc:
        fail(f"error: {exc}", 2)


def show_claim(claim: Claim, *, full: bool = False) -> None:
    colour = {
        "rejected": typer.colors.RED,
        "upheld": typer.colors.GREEN,
        "settled": typer.colors.GREEN,
    }.get(claim.state, typer.colors.YELLOW)
    typer.secho(f"claim {claim.id} [{claim.state}]", fg=colour, bold=True)
    typer.echo(f"  {claim.rights_holder_id} on {claim.asset_id}: {claim.reason}")
    typer.echo(
        f"  generation: {claim.generation_id or '-'}   filed {claim.created_at:%Y-%m-%d %H:%M}"
    )
    if claim.ack_due:
        typer.echo(f"  acknowledge by {claim.ack_due:%Y-%m-%d %H:%M} UTC")
    if claim.decision_due:
        typer.echo(f"  decide by {claim.decision_due:%Y-%m-%d %H:%M} UTC")
    evidence = claim.evidence or {}
    if evidence.get("finding") == NOT_OURS:
        typer.secho(
            "  not ours: no watermark, manifest or fingerprint ties this video to a generation "
            "made through this gateway",
            fg=typer.colors.RED,
        )
    if claim.creator_response:
        typer.echo(f"  creator's response: {claim.creator_response}")
    if claim.resolution:
        typer.echo(f"  resolution: {json.dumps(claim.resolution, ensure_ascii=False)}")
    if full:
        typer.echo("  evidence:")
        typer.echo(json.dumps(evidence, ensure_ascii=False, indent=2, default=str))


@app.command("file")
def file(
    rights_holder: str = typer.Option(..., "--rights-holder"),
    asset: str = typer.Option(..., "--asset"),
    reason: str = typer.Option(..., "--reason"),
    video: Path = typer.Option(None, "--video", help="The video file found."),
    generation: str = typer.Option(None, "--generation", help="Or the generation id."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """File a claim: the video is identified and the evidence attached."""
    claim = _run(
        lambda: _claims().file(
            rights_holder_id=rights_holder,
            asset_id=asset,
            reason=reason,
            video=video,
            generation_id=generation,
        )
    )
    if as_json:
        print_json(_as_dict(claim))
    else:
        show_claim(claim)


def _as_dict(claim: Claim) -> dict:
    return {name: getattr(claim, name) for name in claim.__slots__}


@app.command("show")
def show(claim_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one claim with its evidence."""
    claim = _run(lambda: _claims().get(claim_id))
    if as_json:
        print_json(_as_dict(claim))
    else:
        show_claim(claim, full=True)


@app.command("list")
def list_(
    overdue: bool = typer.Option(False, "--overdue", help="Only claims past a deadline."),
    state: str = typer.Option(None),
    rights_holder: str = typer.Option(None, "--rights-holder"),
) -> None:
    """List claims (oldest first)."""
    claims = _claims()
    if overdue:
        late = _run(claims.overdue)
        for item in late:
            typer.secho(f"late to {item.step}:", fg=typer.colors.RED)
            show_claim(item.claim)
        if not late:
            typer.echo("no claim is overdue")
        return
    found = _run(lambda: claims.list(state=state, rights_holder_id=rights_holder))
    for claim in found:
        show_claim(claim)
    if not found:
        typer.echo("no claims")


@app.command("acknowledge")
def acknowledge(claim_id: str, actor: str = typer.Option("platform")) -> None:
    """The platform acknowledges receipt (deadline: 24 h by default)."""
    show_claim(_run(lambda: _claims().acknowledge(claim_id, actor=actor)))


@app.command("respond")
def respond(
    claim_id: str,
    text: str = typer.Option(..., "--text"),
    creator: str = typer.Option(None, help="The video's creator (default: current user)."),
) -> None:
    """The creator answers the claim, once."""
    who = creator or getpass.getuser()
    show_claim(_run(lambda: _claims().respond(claim_id, text, creator=who)))


@app.command("uphold")
def uphold(claim_id: str, rights_holder: str = typer.Option(..., "--rights-holder")) -> None:
    """Uphold: the video is withdrawn; missed phrases are proposed for the registry."""
    claim = _run(lambda: _claims().uphold(claim_id, actor=rights_holder))
    show_claim(claim)
    proposals = (claim.resolution or {}).get("proposed_phrases", [])
    if proposals:
        typer.echo("  phrases screening missed (accept with `kyodaku claim accept-phrases`):")
        for p in proposals:
            typer.echo(f"    '{p['phrase']}'  ({p['why']}, score {p['score']})")


@app.command("settle")
def settle(
    claim_id: str,
    rights_holder: str = typer.Option(..., "--rights-holder"),
    royalty_rate: float = typer.Option(..., "--royalty-rate"),
    value: str = typer.Option(None, help="Declared value (default: the original request's)."),
) -> None:
    """Settle: grant a licence retroactively; the royalty accrues."""
    amount = Decimal(value) if value is not None else None
    show_claim(
        _run(
            lambda: _claims().settle(
                claim_id, actor=rights_holder, royalty_rate=royalty_rate, declared_value=amount
            )
        )
    )


@app.command("reject")
def reject(
    claim_id: str,
    rights_holder: str = typer.Option(..., "--rights-holder"),
    reasons: str = typer.Option(..., "--reasons"),
) -> None:
    """Reject the claim (the rights holder withdraws it), with reasons."""
    show_claim(_run(lambda: _claims().reject(claim_id, actor=rights_holder, reasons=reasons)))


@app.command("accept-phrases")
def accept_phrases(
    claim_id: str,
    phrases: list[str] = typer.Argument(..., help="Proposed phrases to add."),
    rights_holder: str = typer.Option(..., "--rights-holder"),
) -> None:
    """Add accepted phrases to the asset (aliases or terms): a new registry version."""
    version = _run(lambda: _claims().accept_phrases(claim_id, phrases, actor=rights_holder))
    if version is None:
        typer.echo("no change: the registry already has these phrases")
    else:
        typer.echo(f"registry version {version.number}: added {', '.join(phrases)}")
