"""``kyodaku registry``: import, export, show and history of the rights registry."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from kyodaku.cli.common import clear_errors, fail, gateway, print_json
from kyodaku.registry import exchange

app = typer.Typer(help="The rights registry: works, characters, licences.", no_args_is_help=True)


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="Registry file (JSON or YAML exchange format)."),
    replace: bool = typer.Option(
        False, help="Make the registry exactly this file (default: merge into it)."
    ),
    actor: str = typer.Option(None, help="Who makes the change (default: current user)."),
) -> None:
    """Validate FILE completely, then apply it in one transaction (a new registry version)."""
    with clear_errors():
        version = gateway().import_registry(file, actor=actor or default_actor(), replace=replace)
    if version is None:
        typer.echo("no change: the registry already matches this file")
        return
    typer.echo(f"registry version {version.number}: {describe_summary(version.summary)}")


def describe_summary(summary: dict) -> str:
    parts = []
    for section in exchange.SECTIONS:
        counts = summary.get(section, {}) if isinstance(summary, dict) else {}
        bits = [f"{len(counts[k])} {k}" for k in ("added", "changed", "removed") if counts.get(k)]
        if bits:
            parts.append(f"{section.replace('_', ' ')}: {', '.join(bits)}")
    return "; ".join(parts) or "no entity changes"


@app.command("export")
def export(
    fmt: str = typer.Option("json", "--format", help="json or yaml."),
    out: Path = typer.Option(None, help="Write to this file instead of standard output."),
) -> None:
    """Write the current registry in the exchange format."""
    if fmt not in ("json", "yaml"):
        fail(f"--format: '{fmt}' is not json or yaml", 2)
    with clear_errors():
        text = exchange.dump_document(gateway().current_registry(), fmt)
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {out}", err=True)


@app.command("show")
def show() -> None:
    """List rights holders, works, characters and licences."""
    with clear_errors():
        reg = gateway().current_registry()
    typer.secho(f"registry version {reg.version}", bold=True)
    for holder in reg.rights_holders:
        typer.secho(f"\n{holder.name}  [{holder.id}]", bold=True)
        for work in (w for w in reg.works if w.rights_holder == holder.id):
            titles = " / ".join(work.all_titles)
            typer.echo(f"  work {titles}  [{work.id}]")
            for ch in reg.characters_of(work.id):
                typer.echo(f"    character {' / '.join(ch.all_names)}  [{ch.id}]")
    typer.secho("\nlicences", bold=True)
    for lic in reg.licences:
        assets = ", ".join(reg.display_name(a) for a in lic.assets)
        extra = []
        if lic.prohibited_contexts:
            extra.append("not for " + ", ".join(lic.prohibited_contexts))
        if lic.territories:
            extra.append("in " + ", ".join(lic.territories))
        if lic.valid_from or lic.valid_until:
            start = lic.valid_from.date() if lic.valid_from else "…"
            end = lic.valid_until.date() if lic.valid_until else "…"
            extra.append(f"valid {start} → {end}")
        typer.echo(
            f"  {lic.id}: {assets} — {', '.join(lic.purposes)}, "
            f"royalty {lic.royalty_rate:.0%}" + (f" ({'; '.join(extra)})" if extra else "")
        )
    if not reg.licences:
        typer.echo("  (none: every registered asset is refused)")


@app.command("history")
def history(as_json: bool = typer.Option(False, "--json")) -> None:
    """List registry versions: number, time, actor and what changed."""
    from kyodaku.store.db import session_scope
    from kyodaku.store.registry_repo import RegistryRepository

    with clear_errors():
        gw = gateway()
        with session_scope(gw.engine) as session:
            versions = RegistryRepository(session).history()
    if as_json:
        print_json(
            [
                {
                    "number": v.number,
                    "created_at": v.created_at,
                    "actor": v.actor,
                    "summary": v.summary,
                    "digest": v.digest,
                }
                for v in versions
            ]
        )
        return
    if not versions:
        typer.echo("no registry versions yet (import a registry file first)")
    for v in versions:
        when = f"{v.created_at:%Y-%m-%d %H:%M:%S}"
        typer.echo(f"v{v.number}  {when}  {v.actor}  {describe_summary(v.summary)}")
