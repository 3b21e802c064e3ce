"""CLI tests run the real commands against a private data directory (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kyodaku.cli import app


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KYODAKU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KYODAKU_DATABASE_URL", raising=False)
    monkeypatch.delenv("KYODAKU_C2PA_CERT", raising=False)
    monkeypatch.delenv("KYODAKU_C2PA_KEY", raising=False)
    monkeypatch.setenv("KYODAKU_LANG", "en")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run
