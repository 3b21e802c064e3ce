"""Which European language a prompt is written in."""

from __future__ import annotations

import pytest

from kyodaku.screen.languages import prompt_languages


@pytest.mark.parametrize(
    ("prompt", "language"),
    [
        ("Wolken ziehen über den Himmel über Hamburg, Zeitraffer vom Dach", "de"),
        ("una nonna che accende una candela in chiesa e sussurra grazie", "it"),
        ("la catedral de León al atardecer, las vidrieras encendidas por el sol", "es"),
        ("un chat roux qui dort sur le rebord d'une fenêtre", "fr"),
        ("um pescador consertando redes no porto com a luz da manhã", "pt"),
        ("en älg går genom skogen i gryningen", "sv"),
    ],
)
def test_a_prompt_in_another_language_is_told_by_its_function_words(prompt, language) -> None:
    assert language in prompt_languages(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "Goku teaching a group of kids how to fly a kite on a windy hill",  # "a" is English
        "a son and his dog watching men die in an old war film",  # so are "son", "die", "men"
        "a red dragon chasing a ball",
        "Paris",  # one word says nothing
        "",
    ],
)
def test_english_prompts_have_no_other_language(prompt: str) -> None:
    assert prompt_languages(prompt) == frozenset()


def test_english_function_words_outweigh_a_few_foreign_ones() -> None:
    assert prompt_languages("the café de la paix in the heart of the city at dusk") == frozenset()
