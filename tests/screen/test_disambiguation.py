"""Names that are also ordinary words, people, places or public-domain figures."""

from __future__ import annotations

import pytest

from kyodaku.screen.disambiguation import PromptFacts, cues_for, resolve_overlaps, sentence_start
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import views_of

from .support import refs, shared_index


def cues(prompt: str, asset: str):
    matches = NameRecogniser(shared_index()).matches(views_of(prompt))
    match = max((m for m in matches if m.asset_id == asset), key=lambda m: len(m.surface))
    return cues_for(match, PromptFacts.of(prompt), set())


def test_sentence_start() -> None:
    assert sentence_start("Shot 2: Marco waves", 8)
    assert not sentence_start("then Marco waves", 5)


@pytest.mark.parametrize(
    ("prompt", "flag"),
    [
        ("Marco Rossi giving a lecture", "capitalised_after"),
        ("Marco, a fisherman, mending nets", "apposition"),
        ("a sailor named Marco on deck", "named"),
        ("the lighthouse of the city of Marco at night", "category_before"),
        ("a statue of King Marco in the square", "honorific_before"),
        ("a Marco-shaped cookie", "compound"),
        ("Marco, the hero from the ancient Greek myth, sails", "other_source"),
        ("the old tempest and Marco At Sea", "capitalised_after"),
        ("a cook sprinkling Zubaru seasoning into the stew", "brand_after"),
    ],
)
def test_counter_evidence_cues(prompt: str, flag: str) -> None:
    asset = "c-zubaru" if "Zubaru" in prompt else "c-marco"
    assert getattr(cues(prompt, asset), flag)


def test_a_product_noun_makes_even_a_coined_name_a_brand() -> None:
    assert refs("a cook sprinkling Zubaru seasoning into the stew") == set()
    assert refs("a Zubaru plush on a shelf") == {"c-zubaru"}  # themed goods show it


def test_lower_case_use_in_a_capitalised_prompt() -> None:
    assert cues("a tempest over Lisbon harbour", "c-tempest").lower_usage
    assert cues("then Tempest roars over Lisbon", "c-tempest").proper_usage


def test_public_domain_attribution_in_cjk() -> None:
    assert cues("星海伝の影丸が走る", "c-kagemaru").other_source
    assert cues("《星海传》影丸在飞", "c-kagemaru").other_source


@pytest.mark.parametrize(
    "prompt",
    [
        "Marco Rossi giving a lecture at the university",
        "Marco, a fisherman, mending nets at dawn",
        "a surfer named Marco riding big waves",
        "a tempest over the sea at night, Lisbon harbour",
        "a statue of King Vortigrand in the capital",
        "Hello, marco-polo game at the pool in Spain",
        "星海伝の影丸が走る",
    ],
)
def test_ordinary_uses_are_not_references(prompt: str) -> None:
    assert refs(prompt) == set()


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Marco feeding his pet seagull on the pier", {"c-marco"}),  # described features
        ("Tempest and Marco share a cake", {"c-tempest", "c-marco"}),  # same work
        ("then Tempest roars over the harbour", {"c-tempest"}),  # capitalised mid-sentence
        ("Zubaru and Marco at the fair", {"c-zubaru", "c-marco"}),
    ],
)
def test_corroborated_ambiguous_names_count(prompt: str, expected: set[str]) -> None:
    assert refs(prompt) == expected


def test_a_name_inside_a_longer_name_is_explained_by_it() -> None:
    matches = NameRecogniser(shared_index()).matches(views_of("Rinoka Hoshimura sails"))
    kept, dropped = resolve_overlaps(matches)
    assert {m.surface for m in kept} == {"Rinoka Hoshimura"}
    assert {m.surface for m in dropped} >= {"Rinoka"}
