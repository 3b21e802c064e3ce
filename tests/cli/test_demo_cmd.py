def test_demo_screens_samples_and_seals_a_video(cli):
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert first.output.count("[ALLOW]") == 3 and first.output.count("[BLOCK]") == 3
    assert "[released]" in first.output and "kyodaku verify" in first.output
    second = cli("demo")
    assert second.exit_code == 0
    assert "already loaded" in second.output and "already generated" in second.output
    assert cli("ledger", "verify").exit_code == 0
