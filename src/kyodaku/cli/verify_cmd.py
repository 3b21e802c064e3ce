"""``kyodaku verify``: what is this video, who made it, under which permission?"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kyodaku.cli.common import LangOption, clear_errors, gateway, language, print_json
from kyodaku.gateway import Gateway
from kyodaku.identify import Identification, identify
from kyodaku.media.c2pa_identity import development_root_ca_pem
from kyodaku.messages import Message
from kyodaku.store.db import session_scope
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.royalties_repo import RoyaltyRepository


def verify(
    file: Path = typer.Argument(..., help="The video to verify."),
    trust_dev: bool = typer.Option(
        False, "--trust-dev", help="Trust this installation's development signing identity."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    lang: str = LangOption,
) -> None:
    """Check the C2PA manifest and the invisible watermark, and find the generation record.

    Exits 0 when a manifest or a watermark was found, 1 when neither was.
    """
    lang = language(lang)
    with clear_errors():
        gw = gateway()
        anchors = development_root_ca_pem(gw.settings.identity_dir) if trust_dev else None
        steps = gw.generation_steps
        result = identify(
            file,
            gw.engine,
            steps.released,
            trust_anchors_pem=anchors,
            thresholds=steps.thresholds,
            watermark_key=gw.settings.watermark_key,
        )
        report = build_report(gw, result, lang)
    if as_json:
        print_json(report)
    else:
        print_report(report)
    manifest_found = result.manifest is not None and result.manifest.present
    watermark_found = result.watermark is not None and result.watermark.found
    if not (manifest_found or watermark_found):
        raise typer.Exit(1)


def manifest_message(result: Identification) -> Message | None:
    m = result.manifest
    if m is None:
        return None
    signer = m.signer.common_name if m.signer else "?"
    return Message(m.status, {"codes": ", ".join(m.validation_errors), "signer": signer})


def build_report(gw: Gateway, result: Identification, lang: str) -> dict[str, Any]:
    m = result.manifest
    wm = result.watermark
    report: dict[str, Any] = {
        "file": str(result.path),
        "sha256": result.sha256,
        "manifest": None,
        "watermark": None,
        "generation": None,
        "found_by": list(result.found_by),
        "conflicts": list(result.conflicts),
    }
    if m is not None:
        report["manifest"] = {
            "present": m.present,
            "valid": m.valid,
            "trusted": m.trusted,
            "status": m.status,
            "message": manifest_message(result).text(lang),  # type: ignore[union-attr]
            "validation_errors": m.validation_errors,
            "generation_id": m.generation_id,
            "decision_id": m.decision_id,
            "registry_version": m.registry_version,
            "development_identity": m.development_identity,
            "notices": [Message(code).text(lang) for code in m.notices],
        }
    elif result.manifest_error:
        report["manifest"] = {"present": None, "error": result.manifest_error}
    if wm is not None:
        report["watermark"] = {
            "found": wm.found,
            "payload_key": result.watermark_key,
            "confidence": round(wm.confidence, 4),
            "frames_used": wm.frames_used,
        }
    elif result.watermark_error:
        report["watermark"] = {"found": None, "error": result.watermark_error}
    g = result.generation
    if g is not None:
        with session_scope(gw.engine, read_only=True) as session:
            decision = LedgerRepository(session).entries(kind="decision", subject_id=g.decision_id)
            accruals = RoyaltyRepository(session).for_generation(g.id)
        payload = decision[0].payload if decision else {}
        report["generation"] = {
            "id": g.id,
            "status": g.status,
            "created_at": g.created_at.isoformat(),
            "creator": g.creator,
            "backend": g.backend,
            "model": g.model,
            "registry_version": g.registry_version,
            "prompt": g.prompt,
            "decision_id": g.decision_id,
            "decision": payload.get("decision"),
            "references": [r["asset_id"] for r in payload.get("references", [])],
            "licences": payload.get("licences", []),
            "royalties": [
                {"licence_id": a.licence_id, "amount": str(a.amount), "currency": a.currency}
                for a in accruals
            ],
        }
    return report


def print_report(report: dict[str, Any]) -> None:
    typer.secho(f"{report['file']}", bold=True)
    m = report["manifest"]
    if m is None or m.get("present") is None:
        detail = m.get("error") if m else "not checked"
        typer.secho(f"  C2PA manifest: unreadable ({detail})", fg=typer.colors.RED)
    else:
        colour = (
            typer.colors.GREEN
            if m["valid"]
            else (typer.colors.YELLOW if not m["present"] else typer.colors.RED)
        )
        typer.secho(f"  C2PA manifest: {m['message']}", fg=colour)
        for notice in m["notices"]:
            typer.secho(f"    {notice}", fg=typer.colors.YELLOW)
    w = report["watermark"]
    if w is None or w.get("found") is None:
        typer.secho(
            f"  watermark: unreadable ({w.get('error') if w else '-'})", fg=typer.colors.RED
        )
    elif w["found"]:
        typer.secho(
            f"  watermark: found, key {w['payload_key']} "
            f"(confidence {w['confidence']:.3f}, {w['frames_used']} frames)",
            fg=typer.colors.GREEN,
        )
    else:
        typer.echo("  watermark: none found")
    g = report["generation"]
    if g is None:
        typer.secho("  generation record: none found (not made through this gateway)", bold=True)
    else:
        status_colour = typer.colors.RED if g["status"] == "withdrawn" else typer.colors.GREEN
        typer.secho(
            f"  generation {g['id']} [{g['status']}] via {', '.join(report['found_by'])}",
            fg=status_colour,
            bold=True,
        )
        typer.echo(
            f"    made {g['created_at']} by {g['creator']} with {g['backend']} ({g['model']})"
        )
        typer.echo(f"    registry version {g['registry_version']}, decision {g['decision_id']}")
        typer.echo(f"    prompt: {g['prompt']}")
        typer.echo(f"    references: {', '.join(g['references']) or '-'}")
        typer.echo(f"    licences: {', '.join(g['licences']) or '-'}")
    for conflict in report["conflicts"]:
        typer.secho(f"  conflict: {conflict}", fg=typer.colors.RED)
