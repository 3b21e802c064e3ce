"""``kyodaku ledger``: show recent entries and verify the hash chain."""

from __future__ import annotations

import json

import typer

from kyodaku.cli.common import LangOption, clear_errors, gateway, language, print_json
from kyodaku.store.db import session_scope
from kyodaku.store.ledger_repo import LedgerRepository

app = typer.Typer(help="The append-only, hash-chained ledger.", no_args_is_help=True)


@app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json"), lang: str = LangOption) -> None:
    """Check the whole chain; name the first entry edited, deleted or reordered."""
    lang = language(lang)
    with clear_errors():
        gw = gateway()
        with session_scope(gw.engine) as session:
            report = LedgerRepository(session).verify()
    if as_json:
        print_json(report.as_dict())
    else:
        colour = typer.colors.GREEN if report.ok else typer.colors.RED
        typer.secho(report.message(lang), fg=colour, bold=not report.ok)
    if not report.ok:
        raise typer.Exit(1)


@app.command("show")
def show(
    limit: int = typer.Option(20, help="How many recent entries."),
    kind: str = typer.Option(None, help="Only entries of this kind (e.g. decision)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List recent ledger entries, newest last."""
    with clear_errors():
        gw = gateway()
        with session_scope(gw.engine) as session:
            entries = LedgerRepository(session).recent(limit, kind=kind)
    if as_json:
        print_json(
            [{**e.hashed_fields(), "prev_hash": e.prev_hash, "hash": e.hash} for e in entries]
        )
        return
    for e in entries:
        summary = json.dumps(e.payload, ensure_ascii=False)
        if len(summary) > 110:
            summary = summary[:107] + "..."
        typer.echo(
            f"#{e.seq} {e.created_at:%Y-%m-%d %H:%M:%S} {e.kind:16} {e.subject_id}  {summary}"
        )
