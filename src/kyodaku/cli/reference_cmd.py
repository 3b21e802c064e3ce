"""``kyodaku reference``: register reference media (stored as fingerprints only)."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from kyodaku.cli.common import clear_errors, fail, gateway
from kyodaku.references import ReferenceMediaError, add_reference
from kyodaku.store.errors import DuplicateRecord

app = typer.Typer(help="Reference media of works and characters.", no_args_is_help=True)


@app.command("add")
def add(
    files: list[Path] = typer.Argument(..., help="Images or video clips of the asset."),
    asset: str = typer.Option(..., "--asset", help="Work or character id."),
    added_by: str = typer.Option(None, help="Who adds them (default: current user)."),
) -> None:
    """Fingerprint FILES as references of an asset; the media itself is not kept."""
    with clear_errors():
        gw = gateway()
        registry = gw.current_registry()
    failures = 0
    for path in files:
        try:
            ref = add_reference(
                gw.engine, registry, asset, path, added_by=added_by or getpass.getuser()
            )
        except (ReferenceMediaError, DuplicateRecord, OSError) as exc:
            typer.secho(f"  {path}: {exc}", fg=typer.colors.RED, err=True)
            failures += 1
            continue
        typer.echo(f"  {path.name}: reference {ref.id} of {asset} ({ref.media_kind})")
    if failures:
        fail(f"{failures} of {len(files)} file(s) not added", 1)
