import json

from tests.support import reencode_scaled, write_registry, write_textured_video


def test_generate_verify_and_statements(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path))
    out = tmp_path / "zorblax.mp4"
    result = cli(
        "generate",
        "Zorblax polishing his visor",
        "--duration",
        "2",
        "--resolution",
        "320x180",
        "--fps",
        "12",
        "--value",
        "500",
        "--out",
        out,
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "released" and out.exists()
    verified = cli("verify", out, "--json")
    assert verified.exit_code == 0
    report = json.loads(verified.stdout)
    assert report["generation"]["id"] == data["generation_id"]
    assert report["manifest"]["valid"] and report["watermark"]["found"]
    trusted = json.loads(cli("verify", out, "--json", "--trust-dev").stdout)
    assert trusted["manifest"]["trusted"] is True

    copy = reencode_scaled(out, tmp_path / "copy.mp4")
    stripped = json.loads(cli("verify", copy, "--json").stdout)
    assert stripped["manifest"]["present"] is False
    assert stripped["generation"]["id"] == data["generation_id"]

    period = report["generation"]["created_at"][:7]
    statement = cli(
        "statements", "--rights-holder", "rh-lumen", "--period", period, "--format", "json"
    )
    assert statement.exit_code == 0
    body = json.loads(statement.stdout)
    assert body["totals"] == {"JPY": "50.000000"} and body["consistent_with_ledger"]
    csv_out = cli(
        "statements", "--rights-holder", "rh-lumen", "--period", period, "--format", "csv"
    )
    assert data["generation_id"] in csv_out.output


def test_refused_generation_exits_non_zero_without_a_file(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path))
    out = tmp_path / "nope.mp4"
    result = cli(
        "generate",
        "Marisol Keel at sea",
        "--duration",
        "2",
        "--resolution",
        "320x180",
        "--out",
        out,
    )
    assert result.exit_code == 1
    assert "no licence permits its use" in result.output
    assert not out.exists()


def test_verify_unknown_and_corrupt_files(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path))
    foreign = write_textured_video(tmp_path / "foreign.mp4", seconds=2)
    result = cli("verify", foreign)
    assert result.exit_code == 1
    assert "none found" in result.output
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 100)
    bad = cli("verify", junk)
    assert bad.exit_code == 1 and "unreadable" in bad.output
    missing = cli("verify", tmp_path / "missing.mp4")
    assert missing.exit_code == 2
