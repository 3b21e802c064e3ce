import json
import sqlite3

from tests.support import REGISTRY, write_registry


def test_import_export_round_trip_of_the_dev_registry(cli, tmp_path, dev_registry_path):
    result = cli("registry", "import", dev_registry_path)
    assert result.exit_code == 0, result.output
    assert "registry version 1" in result.output
    again = cli("registry", "import", dev_registry_path)
    assert again.exit_code == 0 and "no change" in again.output
    out = tmp_path / "export.json"
    assert cli("registry", "export", "--out", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        dev_registry_path.read_text(encoding="utf-8")
    )
    yaml_out = cli("registry", "export", "--format", "yaml")
    assert yaml_out.exit_code == 0 and "rights_holders:" in yaml_out.output


def test_invalid_file_is_refused_and_the_database_is_unchanged(cli, tmp_path):
    assert cli("registry", "import", write_registry(tmp_path)).exit_code == 0
    bad = json.loads(json.dumps(REGISTRY))
    bad["characters"].append(
        {"id": "c-new", "work": "w-missing", "names": {"en": ["Newbie"]}, "aliases": []}
    )
    bad["licences"][0]["royalty_rate"] = 3
    path = write_registry(tmp_path, bad, "bad.json")
    result = cli("registry", "import", path)
    assert result.exit_code == 2
    assert "bad.json: characters 'c-new', field 'work': unknown work 'w-missing'" in result.output
    assert "royalty_rate': 3 is outside [0, 1]" in result.output
    db = tmp_path / "data" / "kyodaku.db"
    with sqlite3.connect(db) as conn:
        versions = conn.execute("select count(*) from registry_versions").fetchone()[0]
    assert versions == 1
    assert "Newbie" not in cli("registry", "show").output


def test_history_and_show(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path))
    changed = json.loads(json.dumps(REGISTRY))
    changed["characters"][0]["aliases"] = ["the Violet Knight"]
    cli("registry", "import", write_registry(tmp_path, changed, "v2.json"), "--actor", "editor")
    history = cli("registry", "history")
    assert history.exit_code == 0
    lines = [line for line in history.output.splitlines() if line.startswith("v")]
    assert len(lines) == 2 and "editor" in lines[1] and "1 changed" in lines[1]
    show = cli("registry", "show")
    assert "Lumen Studio" in show.output and "lic-zorblax-fan" in show.output
