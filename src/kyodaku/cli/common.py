"""What every command shares: settings, the gateway, language, error exits."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

import typer

from kyodaku.config import load_settings
from kyodaku.gateway import Gateway
from kyodaku.registry.model import PURPOSES

LangOption = typer.Option(
    None, "--lang", help="Language of messages: en or ja (default: from KYODAKU_LANG or LANG)."
)


def language(explicit: str | None) -> str:
    """The user's language: explicit flag, then KYODAKU_LANG, then LANG."""
    for value in (explicit, os.environ.get("KYODAKU_LANG"), os.environ.get("LANG")):
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def gateway() -> Gateway:
    return Gateway(load_settings())


def fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn expected failures into one readable line and a non-zero exit."""
    from sqlalchemy.exc import SQLAlchemyError

    from kyodaku.registry.exchange import RegistryFormatError
    from kyodaku.store.db import DatabaseConfigError
    from kyodaku.store.errors import StoreError

    try:
        yield
    except RegistryFormatError as exc:
        fail(str(exc), 2)
    except (StoreError, DatabaseConfigError) as exc:
        fail(f"storage error: {exc}", 3)
    except SQLAlchemyError as exc:
        fail(f"database error: {type(exc).__name__}: {exc}", 3)
    except (OSError, ValueError) as exc:
        fail(f"error: {exc}", 2)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def parse_value(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        fail(f"--value: '{value}' is not a number", 2)
    if not amount.is_finite() or amount < 0:
        fail(f"--value: '{value}' must be a non-negative amount", 2)
    return amount


def check_purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        fail(f"--purpose: '{purpose}' is not one of {', '.join(PURPOSES)}", 2)
    return purpose


def command_name() -> str:
    """How to call kyodaku again from this shell: ``kyodaku`` if it is on PATH,
    else the path it was run by (``.venv/bin/kyodaku`` after ``make run``)."""
    invoked = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    on_path = shutil.which("kyodaku")
    if invoked is None or invoked.name != "kyodaku":
        return "kyodaku"
    if on_path and Path(on_path).resolve() == invoked.resolve():
        return "kyodaku"
    try:
        return str(invoked.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(invoked)
