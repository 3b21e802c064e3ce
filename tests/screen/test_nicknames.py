"""Tests for nicknames coined from a character's own words, on an invented registry."""

from __future__ import annotations

import pytest

from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
from kyodaku.screen.descriptions import DescriptionRecogniser
from kyodaku.screen.nicknames import NICKNAME_HEADS


def _registry() -> Registry:
    works = (
        make_work("w-sky", "rh-test", {"en": ["Skyreach Saga"]}, ["Cloud Harbor"]),
        make_work("w-deep", "rh-test", {"en": ["Deepwell Chronicles"]}, ["Coral Gate"]),
    )
    characters = (
        make_character(
            "c-vortan",
            "w-sky",
            {"en": ["Vortan"]},
            [],
            "A lanky courier in a yellow raincoat who glides between rooftops on a kite "
            "and whistles to summon gusts.",
        ),
        make_character(
            "c-marisol",
            "w-deep",
            {"en": ["Marisol Brine"]},
            [],
            "A silver mermaid scholar with spectacles and a satchel of scrolls who "
            "sings to open underwater doors.",
        ),
        make_character(
            "c-quill",
            "w-deep",
            {"en": ["Quill"]},
            [],
            "A grumpy old crab librarian with a monocle and a satchel of maps who sings off key.",
        ),
    )
    return Registry(
        version=1,
        rights_holders=(RightsHolder("rh-test", "Test Studio"),),
        works=works,
        characters=characters,
        licences=(),
    )


@pytest.fixture(scope="module")
def recogniser() -> DescriptionRecogniser:
    return DescriptionRecogniser(_registry())


def _epithets(recogniser: DescriptionRecogniser, prompt: str) -> dict[str, str]:
    return {
        e.asset_id: prompt[e.span.start : e.span.end]
        for e in recogniser.find(prompt)
        if e.kind == "epithet" and e.span is not None
    }


@pytest.mark.parametrize(
    ("prompt", "asset", "span"),
    [
        ("the kite-man racing across the rooftops at dusk", "c-vortan", "kite-man"),
        ("Kiteboy lands on a chimney", "c-vortan", "Kiteboy"),
        ("The Gust-head laughing in a storm", "c-vortan", "Gust-head"),
    ],
)
def test_a_compound_of_one_characters_own_word_names_it(
    recogniser: DescriptionRecogniser, prompt: str, asset: str, span: str
) -> None:
    assert _epithets(recogniser, prompt) == {asset: span}


@pytest.mark.parametrize(
    "prompt",
    [
        # "satchel" belongs to two characters and the prompt prefers neither.
        "the satchel-man walking to the market",
        # A compound that is a word of its own is no nickname.
        "a snowman on a rooftop in winter",
        "the fireman climbs a ladder",
        # A colour word is nobody's own.
        "the yellow-head running in the park",
        # Used as a common noun, not a name: "a", lower case.
        "a kite-man selling toys at the beach",
    ],
)
def test_no_nickname_without_a_single_owner_or_name_use(
    recogniser: DescriptionRecogniser, prompt: str
) -> None:
    assert _epithets(recogniser, prompt) == {}


def test_the_rest_of_the_prompt_picks_between_owners(recogniser: DescriptionRecogniser) -> None:
    prompt = "the Satchel-head adjusting her spectacles as the mermaid scholar sings"
    assert _epithets(recogniser, prompt).get("c-marisol") == "Satchel-head"


def test_a_name_word_beside_an_identity_word_names_the_character(
    recogniser: DescriptionRecogniser,
) -> None:
    # "Marisol Brine" is registered; "Mermaid Marisol" is not, but "mermaid"
    # is what her description says she is.
    assert _epithets(recogniser, "Mermaid Marisol reading in a sunken library") == {
        "c-marisol": "Mermaid Marisol"
    }


@pytest.mark.parametrize(
    "prompt",
    [
        # Not what she is: "library" is no word of her identity phrase.
        "Library Marisol opening at nine",
        # A third capitalised word makes it a longer name of somebody else.
        "Mermaid Marisol Jones reading",
        # A single-word registered name is the name recogniser's business.
        "Crab Quill reading maps",
        # Lower case is no personal name.
        "a mermaid marisol figurine",
    ],
)
def test_no_identity_nickname_without_the_pattern(
    recogniser: DescriptionRecogniser, prompt: str
) -> None:
    assert "c-marisol" not in _epithets(recogniser, prompt)
    assert "c-quill" not in _epithets(recogniser, prompt)


def test_heads_are_person_and_body_nouns() -> None:
    assert {"man", "head", "girl", "boy"} <= NICKNAME_HEADS
    assert "eyes" not in NICKNAME_HEADS
