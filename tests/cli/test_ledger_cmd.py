import sqlite3

from tests.support import write_registry


def test_ledger_verify_names_the_edited_entry(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path))
    for prompt in ("Zorblax sleeping", "a cat", "Marisol Keel sailing"):
        cli("screen", prompt)
    ok = cli("ledger", "verify")
    assert ok.exit_code == 0 and "intact" in ok.output
    shown = cli("ledger", "show", "--limit", "2")
    assert shown.exit_code == 0 and shown.output.count("decision") == 2
    with sqlite3.connect(tmp_path / "data" / "kyodaku.db") as conn:
        conn.execute(
            "update ledger_entries set payload = replace(payload, 'a cat', 'a dog') where seq = 3"
        )
    broken = cli("ledger", "verify")
    assert broken.exit_code == 1
    assert "3" in broken.output and "edited" in broken.output
