"""English words read as the registered katakana names they were made from."""

from __future__ import annotations

import pytest

from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
from kyodaku.screen.engine import Screener
from kyodaku.screen.index_cache import IndexCache
from kyodaku.screen.loanwords import available, foreign_prompt, katakana_reading


def test_the_model_is_installed() -> None:
    # e2k is a dependency of kyodaku; the engine only guards against its absence.
    assert available()


@pytest.fixture(scope="module")
def screener() -> Screener:
    registry = Registry(
        rights_holders=(RightsHolder("rh-x", "X"),),
        works=(make_work("w-x", "rh-x", {"en": ["Skyreach Saga"]}, []),),
        characters=(
            # Registered in English as "Zantar"; the Japanese name is the
            # English word "thunder" in katakana.
            make_character(
                "c-zantar",
                "w-x",
                {"en": ["Zantar"], "ja": ["サンダー"]},
                (),
                "A storm spirit with a cloak of lightning.",
            ),
        ),
        version=1,
    )
    return Screener(registry, IndexCache(disk=False).get(registry))


def test_the_katakana_of_an_english_word() -> None:
    assert katakana_reading("thunder") == "サンダー"
    assert katakana_reading("freezer").startswith("フリーザ")


@pytest.mark.parametrize(
    ("prompt", "foreign"),
    [
        ("Thunder riant dans son vaisseau pendant la nuit", True),
        ("Thunder corriendo por la playa con su perro", True),
        ("Thunder laughing in his ship at night", False),
        ("Thunder", False),
    ],
)
def test_foreign_prompt(prompt: str, foreign: bool) -> None:
    assert foreign_prompt(prompt) is foreign


def test_the_english_word_in_a_foreign_prompt_names_the_character(screener: Screener) -> None:
    result = screener.screen("Thunder riant dans son vaisseau pendant la nuit")
    assert result.asset_ids == ("c-zantar",)
    assert any(e.recogniser == "loanword" for r in result.references for e in r.evidence)


@pytest.mark.parametrize(
    "prompt",
    [
        "Thunder rolling over the hills during the night",  # English: the word itself
        "le Thunder est un orage dans la nuit",  # with an article: a thing
        "un thunder dans la nuit et la pluie",  # lower case
    ],
)
def test_no_reading_where_the_word_is_a_word(screener: Screener, prompt: str) -> None:
    assert "c-zantar" not in screener.screen(prompt).asset_ids
