"""The ``kyodaku`` command line: thin commands over the gateway and the store."""

from __future__ import annotations

import typer

from kyodaku.cli import (
    claim_cmd,
    demo_cmd,
    generate_cmd,
    ledger_cmd,
    reference_cmd,
    registry_cmd,
    screen_cmd,
    statements_cmd,
    verify_cmd,
)

app = typer.Typer(
    name="kyodaku",
    help="kyodaku (許諾): an opt-in rights gateway for generative video.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(registry_cmd.app, name="registry")
app.add_typer(ledger_cmd.app, name="ledger")
app.command("screen")(screen_cmd.screen)
app.add_typer(reference_cmd.app, name="reference")
app.add_typer(claim_cmd.app, name="claim")
app.command("demo")(demo_cmd.demo)
app.command("generate")(generate_cmd.generate)
app.command("verify")(verify_cmd.verify)
app.command("statements")(statements_cmd.statements)


def main() -> None:  # pragma: no cover - console entry point
    app()
