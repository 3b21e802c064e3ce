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
