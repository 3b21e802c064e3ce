"""``kyodaku statements``: what a rights holder is owed for a month, from the ledger."""

from __future__ import annotations

import csv
import sys

import typer

from kyodaku.cli.common import clear_errors, fail, gateway, print_json
from kyodaku.messages import format_money
from kyodaku.store.db import session_scope
from kyodaku.store.royalties_repo import RoyaltyRepository
from kyodaku.store.statements import recompute_from_ledger


def statements(
    rights_holder: str = typer.Option(..., "--rights-holder", help="Rights holder id."),
    period: str = typer.Option(..., help="Month, YYYY-MM (UTC)."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """List a rights holder's licensed uses and amounts for one month.

    The totals are recomputed from the hash-chained ledger and must agree with
    the accruals table; a disagreement is reported and exits non-zero.
    """
    if fmt not in ("table", "csv", "json"):
        fail(f"--format: '{fmt}' is not table, csv or json", 2)
    with clear_errors():
        gw = gateway()
        if gw.current_registry().rights_holder(rights_holder) is None:
            fail(f"--rights-holder: no rights holder '{rights_holder}' in the registry", 2)
        with session_scope(gw.engine, read_only=True) as session:
            statement = RoyaltyRepository(session).statement(rights_holder, period)
            from_ledger = recompute_from_ledger(session, rights_holder, period)
    consistent = from_ledger == dict(statement.totals)
    rows = [
        {
            "created_at": a.created_at.isoformat(),
            "generation_id": a.generation_id,
            "licence_id": a.licence_id,
            "asset_id": a.asset_id,
            "rate": str(a.rate),
            "declared_value": str(a.declared_value),
            "amount": str(a.amount),
            "currency": a.currency,
            "display": format_money(a.amount, a.currency),
        }
        for a in statement.accruals
    ]
    totals = {currency: str(amount) for currency, amount in statement.totals.items()}
    if fmt == "json":
        print_json(
            {
                "rights_holder_id": rights_holder,
                "period": period,
                "uses": rows,
                "totals": totals,
                "ledger_totals": {c: str(v) for c, v in from_ledger.items()},
                "consistent_with_ledger": consistent,
            }
        )
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["amount"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        typer.secho(f"statement for {rights_holder}, {period}", bold=True)
        for r in rows:
            typer.echo(
                f"  {r['created_at'][:19]}  {r['generation_id']}  {r['asset_id']:<20} "
                f"{r['licence_id']:<24} {r['display']:>12} {r['currency']}"
            )
        if not rows:
            typer.echo("  no licensed uses in this period")
        for currency, amount in statement.totals.items():
            typer.secho(f"  total {format_money(amount, currency)} {currency}", bold=True)
    if not consistent:
        typer.secho(
            "statement totals disagree with the ledger: run `kyodaku ledger verify`",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1)
