"""Which registered names are also ordinary words or people's names."""

from __future__ import annotations

import pytest

from kyodaku.screen.lexicon import (
    given_name_rank,
    is_person_name,
    is_word,
    word_class,
    word_key,
    word_languages,
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Knuckles", "ordinary"),  # a plural of a dictionary word
        ("Tails", "ordinary"),
        ("chainsaw", "ordinary"),  # newer than the 1934 dictionary
        ("Venom", "ordinary"),
        ("Zelda", "proper"),  # a given name
        ("Kirby", "proper"),  # a common surname
        ("Pikachu", "coined"),
        ("Zubaru", "coined"),
        ("L", "letter"),
    ],
)
def test_word_class(word: str, expected: str) -> None:
    assert word_class(word) == expected


def test_census_names() -> None:
    assert given_name_rank("James") == 1
    assert given_name_rank("Jack") is not None and given_name_rank("Jack") < 100
    assert given_name_rank("Pikachu") is None
    assert is_person_name("Fitzgerald")
    assert not is_person_name("Zubaru")


def test_is_word_takes_inflections() -> None:
    assert is_word("knuckles") and is_word("milked") and is_word("flies")
    assert is_word("running") and is_word("stopped")  # the stem doubled its consonant
    assert not is_word("pikachus")
    assert not is_word("scarr")  # a slip of "scar", not one of its forms
    assert not is_word("hobbs")  # a plural never doubles: "hobs", not "hobbs"


def test_an_inflection_needs_a_common_word_base() -> None:
    assert is_word("Mario")  # a proper name in the dictionary, as written
    assert not is_word("olaff")  # not a form of the proper name "Olaf"


def test_word_languages_tell_where_a_word_is_everyday() -> None:
    assert "de" in word_languages("Himmel")  # the sky
    assert "it" in word_languages("Dio")  # God
    assert "es" in word_languages("Leon")  # león, accents folded
    assert word_languages("Pikachu") == frozenset()
    assert word_key("León") == "leon"


def test_a_hyphenated_coinage_of_short_syllables_is_coined() -> None:
    from kyodaku.screen.lexicon import form_class, prepare

    prepare(["Yo", "kai", "Medal", "Spider", "Man"])
    assert form_class("Yo-kai Medal") == "coined"  # "yo" and "kai" are words; "yokai" is not
    assert form_class("Spider-Man") == "ordinary"  # whole words joined


def test_letters_run_into_digits_make_a_designation() -> None:
    from kyodaku.screen.lexicon import form_class

    # "2B" is a pencil grade too, "A2" a paper size: a name others bear.
    assert form_class("2B") == form_class("A2") == "proper"
    # Designations together, or with a letter, name only this one.
    assert form_class("R2-D2") == form_class("C-3PO") == "coined"
    assert form_class("L") == "letter"


def test_a_dictionary_word_out_of_use_is_a_coined_name() -> None:
    from kyodaku.screen.lexicon import prepare, word_class

    prepare(["Miffy", "Peach"])
    assert word_class("Miffy") == "coined"  # "miffy", touchy: Zipf 1.6
    assert word_class("Peach") == "ordinary"
