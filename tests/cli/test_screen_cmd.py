import json

from tests.support import write_registry


def test_screen_exit_codes_and_json(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path))
    allowed = cli("screen", "Zorblax fixing a bicycle", "--json")
    assert allowed.exit_code == 0
    data = json.loads(allowed.output)
    assert data["decision"] == "allow" and data["licences"] == ["lic-zorblax-fan"]
    refused = cli("screen", "Z0rblax ad for our shop", "--purpose", "commercial")
    assert refused.exit_code == 1
    assert "'Z0rblax' reads as Zorblax (Lumen Studio)" in refused.output
    assert "would allow Zorblax for non-commercial use" in refused.output
    ja = cli("screen", "マリソルが嵐の海を進む", "--lang", "ja")
    assert ja.exit_code == 1 and "許諾" in ja.output


def test_bad_input_is_a_clear_error(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path))
    assert cli("screen", "x", "--purpose", "educational").exit_code == 2
    assert cli("screen", "x", "--value", "lots").exit_code == 2
    huge = cli("screen", "a" * 50_000)
    assert huge.exit_code == 3 and "could not complete" in huge.output


def test_cases_file_mode_writes_the_benchmark_format(cli, tmp_path):
    registry = write_registry(tmp_path)
    cases = tmp_path / "cases.jsonl"
    rows = [
        {"id": "t1", "prompt": "Zorblax in a casino", "purpose": "non-commercial"},
        {"id": "t2", "prompt": "a dog on a beach", "purpose": "commercial"},
    ]
    cases.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "decisions.jsonl"
    result = cli("screen", "--registry", registry, "--cases", cases, "--out", out)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in lines] == ["t1", "t2"]
    assert lines[0]["decision"] == "block" and lines[0]["refs"] == ["c-zorblax"]
    assert lines[0]["contexts"] == ["gambling"]
    assert lines[1] == {**lines[1], "decision": "allow", "refs": []}
    # nothing was written to the user's database
    assert not (tmp_path / "data" / "kyodaku.db").exists()
