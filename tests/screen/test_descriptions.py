"""Tests for the description recogniser, on an invented registry.

Every character here is made up for the tests; the recogniser must work from
whatever descriptions a registry holds.
"""

from __future__ import annotations

import random

import pytest

from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
from kyodaku.screen.descriptions import (
    COLOUR_FAMILIES,
    DEFAULT_CONFIG,
    DescriptionRecogniser,
    ScoringConfig,
    analyse,
    colours_of,
    fold,
    word_key,
)
from kyodaku.screen.types import Evidence, Recogniser, ScreeningError

GLIMMERFOX = (
    "A small teal fox with three silver tails, a crescent-moon mark on its forehead "
    "and amber eyes, who carries a tiny brass lantern."
)


def _registry(*extra_characters, extra_works=()) -> Registry:
    works = (
        make_work(
            "w-moonlit",
            "rh-test",
            {"en": ["Moonlit Grove Tales"]},
            ["Starwell", "Lantern Guild", "Moonpetal Crown"],
        ),
        make_work(
            "w-gearheart",
            "rh-test",
            {"en": ["Gearheart Academy"]},
            ["Cogwork Tower", "Steam Familiar"],
        ),
        *extra_works,
    )
    characters = (
        make_character("c-glimmerfox", "w-moonlit", {"en": ["Glimmerfox"]}, [], GLIMMERFOX),
        make_character(
            "c-bramblewick",
            "w-moonlit",
            {"en": ["Bramblewick"]},
            [],
            "A stout badger knight in dented copper armor with a mossy green cloak and a "
            "wooden shield painted with an acorn.",
        ),
        make_character(
            "c-oriel",
            "w-moonlit",
            {"en": ["Oriel Vance"]},
            ["Captain Oriel"],
            "A one-eyed sky-ship captain with a long braided white beard, a patched crimson "
            "greatcoat and a mechanical parrot on her shoulder.",
        ),
        make_character(
            "c-pipwick",
            "w-gearheart",
            {"en": ["Pipwick"]},
            [],
            "A clockwork owl with brass feathers, glowing blue lens eyes and a wind-up key "
            "turning slowly in its back.",
        ),
        make_character(
            "c-mara",
            "w-gearheart",
            {"en": ["Mara Quill"]},
            [],
            "A bespectacled apprentice inventor with frizzy orange hair, soot-stained overalls "
            "and a toolbelt full of tiny screwdrivers.",
        ),
        make_character(
            "c-rook",
            "w-gearheart",
            {"en": ["Rook"]},
            [],
            "Mara's silent mechanical golem bodyguard with rust-red plating, a furnace glowing "
            "in its chest and hands like shovels.",
        ),
        *extra_characters,
    )
    return Registry(
        rights_holders=(RightsHolder("rh-test", "Test Studio"),),
        works=works,
        characters=characters,
        version=1,
    )


@pytest.fixture(scope="module")
def recogniser() -> DescriptionRecogniser:
    return DescriptionRecogniser(_registry())


def _strong(evidence: list[Evidence]) -> dict[str, Evidence]:
    return {e.asset_id: e for e in evidence if e.kind in {"description", "epithet"}}


def _by_id(evidence: list[Evidence], asset_id: str) -> Evidence | None:
    return next((e for e in evidence if e.asset_id == asset_id), None)


# -- the interface -------------------------------------------------------------


def test_satisfies_the_recogniser_protocol(recogniser: DescriptionRecogniser) -> None:
    assert isinstance(recogniser.name, str)
    assert recogniser.name == "description"
    as_protocol: Recogniser = recogniser
    assert as_protocol.find("nothing to see") == []


def test_rejects_a_prompt_that_is_not_text(recogniser: DescriptionRecogniser) -> None:
    with pytest.raises(ScreeningError) as error:
        recogniser.find(b"a small teal fox")  # type: ignore[arg-type]
    assert error.value.code == "description.prompt_type"


# -- describing a character ------------------------------------------------------


def test_a_description_that_names_nothing_is_recognised(
    recogniser: DescriptionRecogniser,
) -> None:
    prompt = (
        "a small teal fox with three silver tails and a crescent moon mark on its forehead, "
        "curled up beside a campfire"
    )
    evidence = recogniser.find(prompt)
    best = _strong(evidence)["c-glimmerfox"]
    assert best.kind == "description"
    assert best.recogniser == "description"
    assert 0.5 <= best.score <= 1.0
    assert "teal fox" in best.matched
    assert "silver tails" in best.matched
    assert best.detail
    assert set(_strong(evidence)) == {"c-glimmerfox"}


def test_span_points_into_the_original_prompt(recogniser: DescriptionRecogniser) -> None:
    # Full-width letters, capitals and an accent before the match: the span
    # must still index the prompt exactly as it was written.
    prompt = "Ｓｃèｎｅ 1 — a clockwork OWL with brass feathers and glowing blue lens eyes, at dusk"
    best = _strong(recogniser.find(prompt))["c-pipwick"]
    assert best.span is not None
    quoted = best.span.text(prompt)
    assert quoted == prompt[best.span.start : best.span.end]
    assert quoted.startswith("clockwork OWL")
    assert quoted.endswith("eyes")


def test_morphology_meets_plural_hyphen_and_derived_forms(
    recogniser: DescriptionRecogniser,
) -> None:
    # "tails"/"three-tailed", "crescent-moon"/"crescent moon", "feathers"/"feathered".
    prompt = "a three-tailed silver fox, teal fur, crescent moon marking on the forehead"
    assert "c-glimmerfox" in _strong(recogniser.find(prompt))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("wings", "winged"),
        ("hair", "haired"),
        ("teeth", "tooth"),
        ("swordsman", "sword"),
        ("taller", "tall"),
        ("feathers", "feather"),
        ("grey", "gray"),
    ],
)
def test_word_keys_fold_inflections_together(a: str, b: str) -> None:
    assert word_key(fold(a)) == word_key(fold(b))


def test_fold_strips_accents_and_width() -> None:
    assert fold("Pokémon") == "pokemon"
    assert fold("ＴＥＡＬ") == "teal"


def test_prompt_sharing_only_common_words_does_not_fire(
    recogniser: DescriptionRecogniser,
) -> None:
    for prompt in (
        "a small dog with amber eyes sleeping on a mat",
        "three men carry a small box down a long road with tiny eyes",
        "an old knight in green armor rides through the forest",
        "a teal car parked by the bakery at night",
    ):
        assert _strong(recogniser.find(prompt)) == {}, prompt


def test_a_contradicting_colour_counts_against(recogniser: DescriptionRecogniser) -> None:
    def total(prompt: str) -> float:
        return dict((c, t) for c, t, _, _ in recogniser.score_candidates(prompt))["c-mara"]

    agreeing = total("an inventor with frizzy orange hair and a toolbelt")
    contradicting = total("an inventor with frizzy purple hair and a toolbelt")
    assert contradicting < agreeing


def test_a_feature_is_only_corroboration(recogniser: DescriptionRecogniser) -> None:
    # Two distinctive words but no phrase of the description: not enough to
    # name the character, enough to support an ambiguous name match.
    evidence = recogniser.find("a parrot perched on a greatcoat hanging by the door")
    oriel = _by_id(evidence, "c-oriel")
    assert oriel is not None
    assert oriel.kind == "feature"
    assert 0.0 < oriel.score < 0.5


def test_evidence_is_capped_per_asset_and_sorted(recogniser: DescriptionRecogniser) -> None:
    evidence = recogniser.find(
        "a clockwork owl with brass feathers and blue lens eyes, and a small teal fox with "
        "three silver tails carrying a brass lantern"
    )
    ids = [e.asset_id for e in evidence]
    assert len(ids) == len(set(ids))
    assert [e.score for e in evidence] == sorted((e.score for e in evidence), reverse=True)
    assert {"c-pipwick", "c-glimmerfox"} <= set(_strong(evidence))


# -- several candidates ------------------------------------------------------------


def test_a_candidate_explained_by_a_better_fit_is_demoted() -> None:
    kit = make_character(
        "c-emberkit",
        "w-moonlit",
        {"en": ["Emberkit"]},
        [],
        "A small teal fox with a brass lantern.",
    )
    recogniser = DescriptionRecogniser(_registry(kit))
    evidence = recogniser.find(
        "a small teal fox with three silver tails and a crescent-moon mark on its forehead, "
        "carrying a tiny brass lantern"
    )
    assert "c-glimmerfox" in _strong(evidence)
    assert "c-emberkit" not in _strong(evidence)


def test_a_work_mate_described_alongside_is_supported(
    recogniser: DescriptionRecogniser,
) -> None:
    # Rook's features without one of its phrases: corroboration only, unless
    # a work-mate is described in the same prompt (companions appear together).
    rook_features = "a bodyguard waits, silent; shovels for hands; a furnace"
    mara = "a bespectacled apprentice inventor with frizzy orange hair and soot-stained overalls"
    alone = _by_id(recogniser.find(rook_features), "c-rook")
    assert alone is not None
    assert alone.kind == "feature"
    together = recogniser.find(f"{mara}. Behind her, {rook_features}")
    assert {"c-mara", "c-rook"} <= set(_strong(together))
    assert "work-mate" in _strong(together)["c-rook"].detail


def test_characters_that_fit_equally_well_are_all_reported() -> None:
    twin_a = make_character(
        "c-twin-a", "w-gearheart", {"en": ["Cogsworth"]}, [], "A brass automaton butler."
    )
    twin_b = make_character(
        "c-twin-b", "w-gearheart", {"en": ["Gearsworth"]}, [], "A tall brass automaton butler."
    )
    recogniser = DescriptionRecogniser(_registry(twin_a, twin_b))
    strong = _strong(recogniser.find("a brass automaton butler pours the tea"))
    assert {"c-twin-a", "c-twin-b"} <= set(strong)


def test_another_characters_name_in_a_description_is_relational(
    recogniser: DescriptionRecogniser,
) -> None:
    # Rook's description mentions Mara; naming Mara describes Rook only weakly.
    evidence = recogniser.find("Mara Quill sketches a glowing furnace in her notebook")
    assert "c-rook" not in _strong(evidence)


# -- epithets -----------------------------------------------------------------------


def test_epithet_from_work_term_and_description_role(recogniser: DescriptionRecogniser) -> None:
    prompt = "the Lantern Guild captain steering through a thunderstorm"
    epithet = _strong(recogniser.find(prompt))["c-oriel"]
    assert epithet.kind == "epithet"
    assert epithet.score >= 0.5
    assert epithet.span is not None
    assert epithet.span.text(prompt) == "Lantern Guild captain"


def test_generic_role_phrase_is_no_epithet(recogniser: DescriptionRecogniser) -> None:
    assert _strong(recogniser.find("the old captain of a fishing boat mends his nets")) == {}


def test_an_epithet_several_characters_fit_is_only_a_feature() -> None:
    twin_a = make_character(
        "c-twin-a", "w-gearheart", {"en": ["Cogsworth"]}, [], "A tall knight of the Brass Order."
    )
    twin_b = make_character(
        "c-twin-b", "w-gearheart", {"en": ["Gearsworth"]}, [], "A short knight of the Brass Order."
    )
    recogniser = DescriptionRecogniser(_registry(twin_a, twin_b))
    evidence = recogniser.find("the Brass knight guards the gate")
    assert not {"c-twin-a", "c-twin-b"} & set(_strong(evidence))
    assert {e.kind for e in evidence if e.asset_id in {"c-twin-a", "c-twin-b"}} == {"feature"}


# -- weights ------------------------------------------------------------------------


def test_distinctive_words_weigh_more_than_common_ones(
    recogniser: DescriptionRecogniser,
) -> None:
    index = recogniser._index
    weight = {w: index.weight[index.key_ids[word_key(w)]] for w in ("small", "crescent", "fox")}
    assert weight["small"] < weight["fox"] < weight["crescent"]


def test_colours_modify_the_noun_they_precede() -> None:
    tokens = analyse("spiky black hair, an orange-and-blue gi and an orange winged lizard")
    by_word = {t.folded: i for i, t in enumerate(tokens)}
    assert colours_of(tokens, by_word["hair"]) == COLOUR_FAMILIES["black"]
    assert colours_of(tokens, by_word["gi"]) == COLOUR_FAMILIES["orange"] | COLOUR_FAMILIES["blue"]
    assert colours_of(tokens, by_word["winged"]) == 0
    assert colours_of(tokens, by_word["lizard"]) == COLOUR_FAMILIES["orange"]


# -- robustness and cost --------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "",
        "   ",
        "黄色いネズミが走る",
        "小さな青緑の狐、三本の銀の尻尾",
        "🦊🦊🦊",
        "teal\u200bfox",
        "-" * 500,
    ],
)
def test_odd_prompts_do_not_crash(recogniser: DescriptionRecogniser, prompt: str) -> None:
    evidence = recogniser.find(prompt)
    assert all(isinstance(e, Evidence) for e in evidence)


def test_mixed_script_prompt_still_reads_its_english(recogniser: DescriptionRecogniser) -> None:
    prompt = "狐の絵本: a small teal fox with three silver tails and a crescent-moon mark"
    best = _strong(recogniser.find(prompt))["c-glimmerfox"]
    assert best.span is not None
    assert best.span.text(prompt).startswith("small teal fox")


def test_empty_registry_finds_nothing() -> None:
    assert DescriptionRecogniser(Registry()).find("a small teal fox with three tails") == []


def test_long_prompt_completes(recogniser: DescriptionRecogniser) -> None:
    words = [
        "small",
        "teal",
        "fox",
        "silver",
        "tails",
        "lantern",
        "owl",
        "brass",
        "knight",
        "copper",
        "shield",
    ]
    rng = random.Random(3)
    prompt = " ".join(rng.choice(words) for _ in range(20_000))
    assert isinstance(recogniser.find(prompt), list)


def test_only_a_bounded_number_of_candidates_is_scored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Speed sanity without timing: a prompt of everyday words against a
    registry where hundreds of characters share them scores at most
    ``max_candidates`` characters, never the whole registry."""
    filler = [
        make_character(
            f"c-filler-{i}",
            "w-moonlit",
            {"en": [f"Filler {i}"]},
            [],
            "A small fox with amber eyes, a green cloak and a brass lantern.",
        )
        for i in range(600)
    ]
    config = ScoringConfig(max_candidates=16)
    recogniser = DescriptionRecogniser(_registry(*filler), config)
    index = recogniser._index
    scored: list[int] = []
    original = type(index).features_among

    def counting(self, chars, present):  # type: ignore[no-untyped-def]
        scored.extend(chars.tolist())
        return original(self, chars, present)

    monkeypatch.setattr(type(index), "features_among", counting)
    recogniser.find("a small fox with amber eyes in a green cloak holding a brass lantern")
    assert 0 < len(scored) <= config.max_candidates


def test_default_config_is_shared_and_frozen() -> None:
    with pytest.raises(AttributeError):
        DEFAULT_CONFIG.description_threshold = 0.0  # type: ignore[misc]


# -- sobriquets: capitalised epithets the whole prompt resolves ------------------------


def _guild_registry() -> Registry:
    return Registry(
        rights_holders=(RightsHolder("rh-test", "Test Studio"),),
        works=(make_work("w-tides", "rh-test", {"en": ["Tidewater Tales"]}, ["Reef Guild"]),),
        characters=(
            make_character(
                "c-quartermaster",
                "w-tides",
                {"en": ["Ysolde"]},
                [],
                "The cheerful quartermaster of the Reef Guild, with a parrot and a ledger.",
            ),
            make_character(
                "c-sailor",
                "w-tides",
                {"en": ["Brannock"]},
                [],
                "A gruff sailor who distrusts the Reef Guild, with an anchor tattoo.",
            ),
        ),
        version=1,
    )


def _sobriquets(evidence: list[Evidence]) -> list[str]:
    return [e.asset_id for e in evidence if "capitalised epithet" in e.detail]


def test_a_capitalised_epithet_is_resolved_by_the_identity_phrase() -> None:
    found = DescriptionRecogniser(_guild_registry()).find(
        "the Keeper of the Reef Guild counting coins at dawn"
    )
    assert _sobriquets(found) == ["c-quartermaster"]
    assert _by_id(found, "c-quartermaster").score >= 0.5  # type: ignore[union-attr]


def test_a_lower_case_epithet_is_no_sobriquet() -> None:
    found = DescriptionRecogniser(_guild_registry()).find(
        "the keeper of the reef guild counting coins at dawn"
    )
    assert _sobriquets(found) == []


def test_a_sobriquet_whose_role_nobody_has_is_resolved_by_its_modifier(
    recogniser: DescriptionRecogniser,
) -> None:
    found = recogniser.find("the Armored Crusader charging across a bridge")
    assert _sobriquets(found) == ["c-bramblewick"]


def test_a_sobriquet_two_characters_fit_equally_is_left_alone() -> None:
    registry = Registry(
        rights_holders=(RightsHolder("rh-test", "Test Studio"),),
        works=(make_work("w", "rh-test", {"en": ["Twin Peaks Saga"]}, []),),
        characters=tuple(
            make_character(f"c-{n}", "w", {"en": [n.title()]}, [], "A masked ninja with a kite.")
            for n in ("ayo", "bex")
        ),
        version=1,
    )
    found = DescriptionRecogniser(registry).find("the Masked Hunter flying a kite")
    assert _sobriquets(found) == []


# -- an unregistered name lowers the bar for a description ----------------------------


def test_a_description_under_an_unlisted_name(recogniser: DescriptionRecogniser) -> None:
    named = recogniser.find("Tobiro Kasuna with brass feathers perched on a dusty shelf")
    anonymous = recogniser.find("a bird with brass feathers perched on a dusty shelf")
    assert _strong(named).get("c-pipwick") is not None
    assert "does not list" in _strong(named)["c-pipwick"].detail
    assert _strong(anonymous).get("c-pipwick") is None


def test_a_registered_name_is_no_unlisted_name(recogniser: DescriptionRecogniser) -> None:
    found = recogniser.find("Glimmerfox watches a bird with brass feathers on a dusty shelf")
    assert _strong(found).get("c-pipwick") is None


# -- a work evoked by the words of its titles and terms ---------------------------------


def _vocabulary(evidence: list[Evidence]) -> list[str]:
    return [e.asset_id for e in evidence if e.kind == "vocabulary"]


def test_a_work_is_evoked_by_words_of_its_title_and_terms(
    recogniser: DescriptionRecogniser,
) -> None:
    found = recogniser.find("a moonlit night, an old crown resting on a stone pedestal")
    assert _vocabulary(found) == ["w-moonlit"]
    assert _by_id(found, "w-moonlit").score >= 0.5  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "prompt",
    [
        "a dragon wearing a crown in a guild hall",  # no title word
        "a moonlit grove by a lake",  # the words of one registered form, scattered
        "a moonlit beach at low tide",  # one word only
    ],
)
def test_no_work_vocabulary(recogniser: DescriptionRecogniser, prompt: str) -> None:
    assert _vocabulary(recogniser.find(prompt)) == []


def test_a_sobriquet_needs_more_than_its_role_noun() -> None:
    registry = Registry(
        version=1,
        rights_holders=(RightsHolder("rh-test", "Test Studio"),),
        works=(make_work("w-saw", "rh-test", {"en": ["Sawblade Hunters"]}, ["Hunter Bureau"]),),
        characters=(
            make_character(
                "c-buzz",
                "w-saw",
                {"en": ["Buzzlo"]},
                [],
                "A small orange dog-like devil with a sawblade sticking out of its forehead.",
            ),
            make_character(
                "c-mira",
                "w-saw",
                {"en": ["Mirelle"]},
                [],
                "An enigmatic woman with a long braid who commands the bureau's hunters.",
            ),
        ),
        licences=(),
    )
    recogniser = DescriptionRecogniser(registry)

    def epithets(prompt: str) -> set[str]:
        return {e.asset_id for e in recogniser.find(prompt) if e.kind == "epithet"}

    # "devil" alone fits Buzzlo's identity, but "Control" is nobody's word.
    assert epithets("the Control Devil smiling calmly as chains tighten") == set()
    assert epithets("the Sawblade Devil howling in an alley") == {"c-buzz"}
