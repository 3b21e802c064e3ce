"""``kyodaku demo``: the main job on the embedded default, end to end.

Loads the demo registry shipped with the package into the database (a no-op
when it is already there), screens the sample requests and prints each
decision with its reasons.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import typer
import yaml

from kyodaku.cli.common import LangOption, clear_errors, gateway, language
from kyodaku.cli.render import print_decision
from kyodaku.policy import UseRequest


def demo_registry_path() -> str:
    return str(resources.files("kyodaku.demo").joinpath("registry.yaml"))


def demo_requests() -> list[dict]:
    text = resources.files("kyodaku.demo").joinpath("prompts.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def demo(lang: str = LangOption) -> None:
    """Load the demo registry, then screen sample prompts and print the decisions."""
    lang = language(lang)
    with clear_errors():
        gw = gateway()
        version = gw.import_registry(demo_registry_path(), actor="demo")
        registry = gw.current_registry()
    typer.secho(
        f"database: {gw.engine.url.render_as_string(hide_password=True)}\n"
        f"registry version {registry.version}"
        + (" (demo registry loaded)" if version is not None else " (demo registry already loaded)"),
        bold=True,
    )
    for item in demo_requests():
        request = UseRequest(
            purpose=item.get("purpose", "non-commercial"),
            territory=item.get("territory"),
            declared_value=Decimal(str(item["value"])) if "value" in item else None,
        )
        recorded = gw.decide(item["prompt"], request, actor="demo")
        typer.echo("")
        typer.secho(f"# {item.get('shows', '')}", dim=True)
        print_decision(registry, item["prompt"], recorded.decision, lang)
    typer.echo(
        "\nEvery decision above is in the ledger: `kyodaku ledger show`, `kyodaku ledger verify`."
    )
