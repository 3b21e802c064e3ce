import re

import pytest

from kyodaku.messages import CATALOGUE, Message, render


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    for code, entry in CATALOGUE.items():
        assert set(entry) == {"en", "ja"}, code
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in entry.items()}
        assert fields["en"] == fields["ja"], code


def test_vocabulary_parameters_are_translated():
    msg = Message(
        "policy.purpose_not_licensed",
        {"licence": "l", "asset": "A", "purpose": "commercial", "allowed": ["non-commercial"]},
    )
    assert "商用" in msg.text("ja") and "非商用" in msg.text("ja")
    assert "commercial" in msg.text("en")


def test_unknown_code_is_an_error_and_missing_params_stay_visible():
    with pytest.raises(KeyError):
        render("no.such.code")
    assert "{asset}" in render("policy.unlicensed")


def test_no_code_is_defined_twice_in_the_catalogue_source():
    """A repeated key in one dict literal silently keeps only the last text."""
    import ast
    import collections
    from pathlib import Path

    import kyodaku.messages as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    (catalogue,) = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "CATALOGUE"
    ]
    keys = collections.Counter(key.value for key in catalogue.keys)
    assert [k for k, n in keys.items() if n > 1] == []
