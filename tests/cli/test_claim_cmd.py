"""``kyodaku claim``: the claim commands end to end, on a private SQLite data directory."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kyodaku.claims import Claims
from kyodaku.cli.common import gateway
from kyodaku.media.video_io import write_mp4
from tests.test_claims import REGISTRY


@pytest.fixture
def released(cli, tmp_path: Path) -> dict[str, Any]:
    """A registry and one released video of Hoshimaru under a nickname the registry lacks."""
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(REGISTRY), encoding="utf-8")
    assert cli("registry", "import", path).exit_code == 0
    result = cli(
        "generate",
        "Hoshimaru and Pip Moonwhisker chasing fireflies",
        "--duration", "2", "--resolution", "320x180", "--fps", "12",
        "--value", "1000", "--creator", "alice", "--out", tmp_path / "video.mp4", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def file_claim(cli, generation_id: str) -> dict[str, Any]:
    result = cli(
        "claim", "file", "--rights-holder", "rh-kumo", "--asset", "c-hoshi",
        "--reason", "our fox", "--generation", generation_id, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_claim_from_filing_to_upheld_withdraws_the_video_and_teaches_the_gate(
    cli, released: dict[str, Any], tmp_path: Path
) -> None:
    claim = file_claim(cli, released["generation_id"])
    assert claim["state"] == "received" and claim["evidence"]["prompt"].startswith("Hoshimaru")
    cid = claim["id"]

    acknowledged = cli("claim", "acknowledge", cid)
    assert acknowledged.exit_code == 0 and f"claim {cid} [acknowledged]" in acknowledged.stdout
    responded = cli("claim", "respond", cid, "--text", "fan art", "--creator", "alice")
    assert "Creator's response: fan art" in responded.stdout
    upheld = cli("claim", "uphold", cid, "--rights-holder", "rh-kumo")
    assert upheld.exit_code == 0, upheld.output
    assert f"generation {released['generation_id']} is withdrawn" in upheld.stdout
    assert "Phrases screening missed" in upheld.stdout and "'Pip Moonwhisker'" in upheld.stdout

    verified = json.loads(cli("verify", tmp_path / "video.mp4", "--json").stdout)
    assert verified["generation"]["status"] == "withdrawn"

    accepted = cli("claim", "accept-phrases", cid, "Pip Moonwhisker", "--rights-holder", "rh-kumo")
    assert accepted.exit_code == 0, accepted.output
    assert "Registry version 2: added 'Pip Moonwhisker' to c-hoshi." in accepted.stdout
    screened = json.loads(cli("screen", "Pip Moonwhisker at the fair", "--json").stdout)
    assert [r["asset_id"] for r in screened["references"]] == ["c-hoshi"]

    shown = cli("claim", "show", cid, "--json")
    history = json.loads(shown.stdout)["history"]
    assert [e["to_state"] for e in history] == [
        "received", "acknowledged", "responded", "upheld", "upheld",
    ]  # fmt: skip
    assert cli("ledger", "verify").exit_code == 0


def test_settling_prints_the_licence_and_royalty(cli, released: dict[str, Any]) -> None:
    cid = file_claim(cli, released["generation_id"])["id"]
    cli("claim", "acknowledge", cid)
    settled = cli(
        "claim", "settle", cid, "--rights-holder", "rh-kumo", "--royalty-rate", "0.25",
        "--value", "2000",
    )  # fmt: skip
    assert settled.exit_code == 0, settled.output
    assert "Settled: licence lic-claim-" in settled.stdout and "royalty 500 JPY" in settled.stdout
    assert cli("claim", "list", "--state", "settled").stdout.count("[settled]") == 1
    bad = cli("claim", "settle", cid, "--rights-holder", "rh-kumo", "--royalty-rate", "0.1",
              "--value", "lots")  # fmt: skip
    assert bad.exit_code == 2 and "'lots' is not a number" in bad.stderr


def test_refusals_exit_2_with_one_line_in_the_users_language(cli, released: dict[str, Any]) -> None:
    cid = file_claim(cli, released["generation_id"])["id"]
    early = cli("claim", "uphold", cid, "--rights-holder", "rh-kumo")
    assert early.exit_code == 2
    assert early.stderr.strip() == (
        "error: A received claim cannot become upheld (next: acknowledged, rejected)."
    )
    in_japanese = cli("claim", "uphold", cid, "--rights-holder", "rh-kumo", "--lang", "ja")
    assert in_japanese.exit_code == 2
    assert "受付済みの申立ては認容にできません" in in_japanese.stderr
    duplicate = cli(
        "claim", "file", "--rights-holder", "rh-kumo", "--asset", "c-hoshi", "--reason", "again",
        "--generation", released["generation_id"],
    )  # fmt: skip
    assert duplicate.exit_code == 2 and f"already has claim {cid}" in duplicate.stderr
    missing = cli("claim", "show", "01NOSUCHCLAIM")
    assert missing.exit_code == 2 and "no claim '01NOSUCHCLAIM'" in missing.stderr
    typo = cli("claim", "list", "--state", "pending")
    assert typo.exit_code == 2 and "'pending' is not a claim state" in typo.stderr


def test_a_video_we_never_made_is_reported_not_ours(cli, tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(REGISTRY), encoding="utf-8")
    cli("registry", "import", path)
    rng = np.random.default_rng(3)
    stranger = tmp_path / "stranger.mp4"
    write_mp4(
        stranger, (rng.integers(0, 255, (180, 320, 3), dtype=np.uint8) for _ in range(12)), 12
    )

    result = cli(
        "claim", "file", "--rights-holder", "rh-kumo", "--asset", "c-hoshi",
        "--reason", "ours?", "--video", stranger, "--lang", "ja",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "[却下]" in result.stdout
    assert "当サービスの生成物ではありません" in result.stdout


def test_list_overdue_shows_what_is_late(cli, released: dict[str, Any]) -> None:
    assert cli("claim", "list", "--overdue").stdout.strip() == "No claim is overdue."
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    late = Claims(gateway(), clock=lambda: two_days_ago).file(
        rights_holder_id="rh-kumo",
        asset_id="c-hoshi",
        reason="filed two days ago",
        generation_id=released["generation_id"],
    )

    listed = cli("claim", "list", "--overdue")
    assert listed.stdout.startswith("Late to acknowledge (due ")
    assert f"claim {late.id} [received]" in listed.stdout
    cli("claim", "acknowledge", late.id)
    assert cli("claim", "list", "--overdue").stdout.strip() == "No claim is overdue."
    in_japanese = cli("claim", "list", "--lang", "ja")
    assert "[受領確認済み]" in in_japanese.stdout
