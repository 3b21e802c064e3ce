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

from kyodaku.cli.common import LangOption, clear_errors, command_name, gateway, language
from kyodaku.cli.generate_cmd import print_outcome
from kyodaku.cli.render import print_decision
from kyodaku.gateway import Gateway
from kyodaku.generate.base import GenerationRequest
from kyodaku.policy import UseRequest
from kyodaku.registry.model import Registry


def demo_registry_path() -> str:
    return str(resources.files("kyodaku.demo").joinpath("registry.yaml"))


def demo_requests() -> list[dict]:
    text = resources.files("kyodaku.demo").joinpath("prompts.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def demo(
    lang: str = LangOption,
    no_video: bool = typer.Option(False, "--no-video", help="Only screen; render nothing."),
) -> None:
    """Load the demo registry, screen sample prompts, then render and seal a licensed video."""
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
        f"\nEvery decision above is in the ledger: `{command_name()} ledger show`, "
        f"`{command_name()} ledger verify`."
    )
    if not no_video:
        with clear_errors():
            render_demo_video(gw, registry, lang)


#: The demo video: a licensed fan animation, with a fixed request id so that
#: running the demo again returns the same record instead of paying twice.
DEMO_VIDEO = {
    "prompt": "Fan animation. Shot 1: wide shot of Pikachu ice skating on a frozen pond at dusk. "
    'Shot 2: close-up as it waves and says "Pika!"',
    "request_id": "demo-video-1",
    "value": "1000",
}


def render_demo_video(gw: Gateway, registry: Registry, lang: str) -> None:
    """Generate, seal and record one licensed video; say how to check it."""
    typer.secho(
        "\n# a licensed generation: screened, rendered, checked, sealed, recorded", dim=True
    )
    prompt = DEMO_VIDEO["prompt"]
    outcome = gw.generate(
        prompt,
        UseRequest(purpose="non-commercial", declared_value=Decimal(DEMO_VIDEO["value"])),
        GenerationRequest(prompt=prompt, duration_s=4.0, width=640, height=360, fps=24, seed=7),
        request_id=DEMO_VIDEO["request_id"],
        creator="demo",
    )
    print_outcome(registry, outcome, lang)
    if outcome.released and outcome.generation is not None:
        period = f"{outcome.generation.created_at:%Y-%m}"
        typer.echo(
            f"    royalties: {command_name()} statements --rights-holder rh-pokemon "
            f"--period {period}"
        )
    else:
        raise typer.Exit(1)
