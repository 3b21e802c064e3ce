"""Names that are also ordinary words, people, places or public-domain figures."""

from __future__ import annotations

import pytest

from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
from kyodaku.screen.disambiguation import (
    Cues,
    PromptFacts,
    Scored,
    _corroborate,
    cues_for,
    disambiguate,
    resolve_overlaps,
    sentence_start,
)
from kyodaku.screen.engine import Screener
from kyodaku.screen.index_cache import IndexCache
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import plain_key, views_of
from kyodaku.screen.types import Span

from .support import one_work_registry, refs, shared_index


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
        ("the Pillars of Marco at the mouth of the strait", "category_before"),
        ("the motto Marco carved over the gate", "category_before"),
        ("a statue of King Marco in the square", "honorific_before"),
        ("a Marco-shaped cookie", "compound"),
        ("Marco, the hero from the ancient Greek myth, sails", "other_source"),
        ("Marco of Greek legend snaring the sun", "other_source"),
        ("the old tempest and Marco At Sea", "capitalised_after"),
        ("a cook sprinkling Zubaru seasoning into the stew", "brand_after"),
        ("the River Marco at dusk, cranes against the sky", "category_before"),
        ("a poet reading his poem 'Marco' to a packed gallery", "category_before"),
        ("footage of the Marco festival, 1969, a muddy crowd", "place_after"),
        ("Lincoln's home in Marco, Illinois in autumn", "place_after"),
        ("nonna Marco che mescola la caponata", "category_before"),
        ("Manny 'Marco' Pacquiao shadowboxing at dawn", "name_before"),
        ("the statue scene from Shakespeare's The Winter's Tale: Marco wakes", "other_source"),
        ("うちの柴犬のリノカが雪の中を走り回る", "someone_else"),
        ("大熊猫リノカ在竹林里", "category_before"),
        ("Beethoven's Ode to Marco performed by a choir", "other_source"),
        ("Marco at the helm of the Nautilus, Jules Verne steampunk illustration", "other_source"),
        ("the Mona Marco smiling inside the Louvre", "name_before"),
        ("a 1970 Plymouth Marco doing a burnout", "name_before"),
        ("il borgo di Marco nel Lazio all'alba", "category_before"),
        ("a bottle of Marco tomato juice on the table", "brand_after"),
    ],
)
def test_counter_evidence_cues(prompt: str, flag: str) -> None:
    asset = {"Zubaru": "c-zubaru", "リノカ": "c-rinoka"}.get(
        next((n for n in ("Zubaru", "リノカ") if n in prompt), ""), "c-marco"
    )
    assert getattr(cues(prompt, asset), flag)


@pytest.mark.parametrize(
    "prompt",
    [
        "kids shouting 'Marco' across the swimming pool",  # quoted, but no one's nickname
        "リノカが雪の中を走り回る",
        "the Marco lighthouse keeper in his striped sweater",
        "Marco typing the first line of a novel on a typewriter",  # no source credited
        "Marco Homer asleep at his console",  # "Homer" names nobody's source unless credited
        "Marco chugging beer at an izakaya",  # "beer" is what he drinks, no brand of his
        "Elsa, Marco and Olaf skating",  # a list of names
    ],
)
def test_no_counter_evidence_without_its_context(prompt: str) -> None:
    asset = "c-rinoka" if "リノカ" in prompt else "c-marco"
    found = cues(prompt, asset)
    assert not (found.name_before or found.someone_else or found.place_after)
    assert not (found.other_source or found.brand_after)


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


@pytest.mark.parametrize(
    ("prompt", "asset", "flag"),
    [
        ("Jack Marco sketching comic pages at his desk", "c-marco", "name_before"),
        ("gardeners trimming pine trees in Zubaru.", "c-zubaru", "locative"),
        ("the Zubaru Strait seen from a ferry", "c-zubaru", "place_after"),
        ("the Marco period of temple building", "c-marco", "place_after"),
        ("a Zubaru vacuum cleaner demonstration", "c-zubaru", "brand_after"),
        ("Marco as drawn by E. H. Shepard in A. A. Milne's 1926 book", "c-marco", "other_source"),
        ("Tempest from Hans Christian Andersen's 1844 fairy tale", "c-tempest", "other_source"),
        ("Kagemaru, the giant of the Nihon Shoki and Hida folklore", "c-kagemaru", "other_source"),
    ],
)
def test_people_places_and_old_editions(prompt: str, asset: str, flag: str) -> None:
    assert getattr(cues(prompt, asset), flag)


@pytest.mark.parametrize(
    ("prompt", "asset", "flag"),
    [
        # A rare given name that is also an English word is no given name here.
        ("Young Marco rowing to the lighthouse", "c-marco", "name_before"),
        # A term may well be an in-universe place.
        ("knights riding to the Vortigrand village", "c-starfall-term", "place_after"),
        # Not at the end of a clause: "in Zubaru pajamas" is themed clothing.
        ("a child in Zubaru pajamas asleep", "c-zubaru", "locative"),
        # A recent edition is nobody's public domain.
        ("Marco from the 2019 book tour", "c-marco", "other_source"),
    ],
)
def test_no_such_cue(prompt: str, asset: str, flag: str) -> None:
    matches = NameRecogniser(shared_index()).matches(views_of(prompt))
    for match in matches:
        if match.asset_id == asset or asset.endswith("-term"):
            assert not getattr(cues_for(match, PromptFacts.of(prompt), set()), flag)


def test_an_apposition_the_description_does_not_say_makes_someone_else() -> None:
    description = "A cheerful lighthouse keeper with a striped sweater and a pet seagull."
    prompt = "Marco the lioness from an old documentary"
    matches = NameRecogniser(shared_index()).matches(views_of(prompt))
    match = next(m for m in matches if m.asset_id == "c-marco")
    assert cues_for(match, PromptFacts.of(prompt), set(), description).someone_else
    kept = "Marco the lighthouse keeper waving at ships"
    match = next(
        m for m in NameRecogniser(shared_index()).matches(views_of(kept)) if m.asset_id == "c-marco"
    )
    assert not cues_for(match, PromptFacts.of(kept), set(), description).someone_else
    pet = "Marco, our Siberian husky, howling at the moon"
    match = next(
        m for m in NameRecogniser(shared_index()).matches(views_of(pet)) if m.asset_id == "c-marco"
    )
    assert cues_for(match, PromptFacts.of(pet), set(), description).someone_else


@pytest.mark.parametrize(
    "prompt",
    [
        "Jack Marco sketching comic pages at his drawing table",
        "the Zubaru Strait seen from the bridge at dusk",
        "gardeners trimming old pine trees at the bonsai village in Zubaru",
        "Zubaru as drawn in the 1926 book: a plain pen-and-ink fox with three tails",
    ],
)
def test_people_places_and_old_editions_are_not_references(prompt: str) -> None:
    assert refs(prompt) == set()


def test_a_repeated_word_does_not_corroborate_itself() -> None:
    # A character named like its work: "Brisa" the title and "Brisa" the name
    # written twice are one piece of evidence, not corroboration.
    registry = Registry(
        rights_holders=(RightsHolder("rh-x", "X"),),
        works=(make_work("w-brisa", "rh-x", {"en": ["Brisa"]}, ["Windmill Guild"]),),
        characters=(
            make_character("c-brisa", "w-brisa", {"en": ["Brisa"]}, (), "A girl of the wind."),
        ),
        version=1,
    )
    screener = Screener(registry, IndexCache(disk=False).get(registry))
    assert screener.screen("the Brisa whirlpools seen from the Brisa Strait").asset_ids == ()
    prompt = "the Brisa whirlpools near Brisa"
    facts = PromptFacts.of(prompt)
    name = next(m for m in screener.names.matches(views_of(prompt)) if m.asset_id == "c-brisa")
    weak = Scored(name, 0.3, [], Cues())
    title_elsewhere = Span(26, 31)

    def corroborated(form: str) -> float:
        solid = {"w-brisa": [("w-brisa", title_elsewhere, form)]}
        return _corroborate(weak, solid, {}, {}, facts, set())[0]

    assert corroborated(plain_key("Brisa")) == 0.3  # the same word again
    assert corroborated(plain_key("Windmill Guild")) > 0.5  # another registered form
    assert set(screener.screen("Brisa flying over the Windmill Guild").asset_ids) == {
        "c-brisa",
        "w-brisa",
    }


def test_a_bare_word_that_acts_reads_as_a_name() -> None:
    # "Tempest" is an ordinary word; opening the prompt and doing something,
    # with no article, it is somebody.
    assert cues("Tempest eating a cake on the roof", "c-tempest").acting_subject
    assert refs("Tempest eating a cake on the roof") == {"c-tempest"}
    assert not cues("Tempest clouds over the sea", "c-tempest").acting_subject
    assert not cues("A tempest raging over the sea", "c-tempest").acting_subject
    assert refs("Tempest clouds gathering over the sea") == set()


@pytest.mark.parametrize(
    ("prompt", "asset", "flag"),
    [
        ("Kagemaru O'Brien hosting a late-night show", "c-kagemaru", "name_after"),
        ("Namie Kagemaru singing on stage", "c-kagemaru", "name_before"),
        ("Hyun-jin Kagemaru pitching in a stadium", "c-kagemaru", "name_before"),
        ("a Lockheed C-130 Kagemaru landing at dawn", "c-kagemaru", "name_before"),
        ("Kagemaru wrestling a lion, ancient Greek pottery style", "c-kagemaru", "other_source"),
        ("Kagemaru from the Arabian Nights rubbing a lamp", "c-kagemaru", "other_source"),
        ("花木影丸，北朝民歌《影丸诗》插画", "c-kagemaru", "other_source"),
        ("vineyards around Zubaru in La Rioja", "c-zubaru", "locative"),
        ("Tempest smashing through a garage", "c-tempest", "acting_subject"),
    ],
)
def test_someone_else_and_old_sources(prompt: str, asset: str, flag: str) -> None:
    assert getattr(cues(prompt, asset), flag)


@pytest.mark.parametrize(
    ("prompt", "asset", "flag"),
    [
        ("Kagemaru Black landing on a roof", "c-kagemaru", "name_after"),  # a word: a variant
        ("Rinoka Heichō inspecting the deck", "c-rinoka", "name_after"),  # an honorific
        ("Zubaru, Kagemaru and Marco at the fair", "c-zubaru", "apposition"),  # a list
        ("ad for our shop: Zubaru riding a skateboard", "c-zubaru", "category_before"),
    ],
)
def test_not_someone_else(prompt: str, asset: str, flag: str) -> None:
    assert not getattr(cues(prompt, asset), flag)


def test_a_category_the_description_gives_is_no_other_thing() -> None:
    prompt = "the ninja cat Kagemaru gliding over rooftops"
    match = next(
        m
        for m in NameRecogniser(shared_index()).matches(views_of(prompt))
        if m.asset_id == "c-kagemaru"
    )
    description = "A masked ninja cat who carries a paper lantern."
    assert not cues_for(match, PromptFacts.of(prompt), set(), description).category_before
    assert cues_for(match, PromptFacts.of(prompt), set(), "A small green fox.").category_before


def test_an_acronym_is_no_sign_of_capitalised_names() -> None:
    assert not PromptFacts.of("zubaru and marco napping while the TV plays").cased
    assert PromptFacts.of("zubaru and Marco napping").cased


def test_evidence_on_the_same_words_is_no_corroboration() -> None:
    # Another recogniser's evidence on the very words of the match repeats it;
    # only evidence elsewhere in the prompt corroborates.
    prompt = "a tempest rising in smoke from a bottle"
    match = next(
        m
        for m in NameRecogniser(shared_index()).matches(views_of(prompt))
        if m.asset_id == "c-tempest"
    )
    from kyodaku.screen.types import Evidence

    same = Evidence("c-tempest", "description", "feature", match.span, "tempest", 0.3)
    elsewhere = Evidence("c-tempest", "description", "feature", Span(20, 25), "smoke", 0.3)
    outcome = disambiguate(prompt, [match], [same], work_of={}, kind_of={})
    alone = next(e for e in outcome.discarded if e.recogniser == "names").score
    outcome = disambiguate(prompt, [match], [elsewhere], work_of={}, kind_of={})
    helped = [e.score for r in outcome.references for e in r.evidence if e.recogniser == "names"]
    helped += [e.score for e in outcome.discarded if e.recogniser == "names"]
    assert max(helped) > alone


def test_a_style_suffix_is_no_compound_word() -> None:
    assert cues("a Zubaru-shaped cookie", "c-zubaru").compound
    assert not cues("a Zubaru-style boss fight", "c-zubaru").compound
    assert not cues("a Zubaru-inspired level", "c-zubaru").compound


@pytest.fixture(scope="module")
def everyday_word_screener() -> Screener:
    """Names that are everyday words in German and Spanish (and a given name)."""
    registry = one_work_registry(
        ("c-himmel", {"en": ["Himmel"]}, "a blue-haired hero"),
        ("c-leon", {"en": ["Leon"]}, "a rookie police officer"),
        ("c-frieren", {"en": ["Frieren"]}, "an elf mage"),
        terms=("Ember Gate",),
    )
    return Screener(registry, IndexCache().get(registry))


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Wolken ziehen über den Himmel über Hamburg, Zeitraffer vom Dach", set()),  # the sky
        ("Himmel resting by a campfire under the stars", {"c-himmel"}),  # English prompt
        ("Himmel steht am Ember Gate und wartet auf den Morgen", {"c-himmel", "w-x"}),
        ("la catedral de León al atardecer, las vidrieras encendidas por el sol", set()),
        ("Leon dispara a un zombi en la comisaría de la ciudad", {"c-leon"}),  # a given name
        ("Kinder frieren an der Bushaltestelle im Schneesturm", set()),  # lower case: a verb
        ("Frieren sitzt am Lagerfeuer und liest ein altes Buch", {"c-frieren"}),
    ],
)
def test_an_everyday_word_of_the_prompts_language_needs_corroboration(
    everyday_word_screener: Screener, prompt: str, expected: set[str]
) -> None:
    assert set(everyday_word_screener.screen(prompt).asset_ids) == expected


def test_a_given_name_the_dictionary_lists_is_no_ordinary_word() -> None:
    # "Edward" is in Webster's as a proper noun: the first name of a brother
    # named alongside the other is his, corroborated by the shared work.
    registry = one_work_registry(
        ("c-ed", {"en": ["Edward Elrick"]}, "a boy"),
        ("c-al", {"en": ["Alphonse Elrick"]}, "armour"),
    )
    screener = Screener(registry, IndexCache(disk=False).get(registry))
    found = set(screener.screen("Edward and Alphonse Elrick eating stew at a diner").asset_ids)
    assert found == {"c-ed", "c-al"}


@pytest.fixture(scope="module")
def word_names_screener() -> Screener:
    """Names that are words: in English, in German, in Korean (with the name suffix 이)."""
    registry = Registry(
        rights_holders=(RightsHolder("rh", "R"),),
        works=(
            make_work("w-mind", "rh", {"en": ["Mind Saga"]}, []),
            make_work("w-desert", "rh", {"en": ["Desert Toons"]}, []),
        ),
        characters=(
            make_character(
                "c-joy", "w-mind", {"en": ["Joy"], "ko": ["기쁨이"]}, (), "a glowing girl"
            ),
            make_character(
                "c-sadness", "w-mind", {"en": ["Sadness"], "ko": ["슬픔이"]}, (), "a blue girl"
            ),
            make_character("c-anger", "w-mind", {"en": ["Anger"]}, (), "a red boxy man"),
            make_character(
                "c-scar", "w-desert", {"en": ["Scar"]}, (), "a dark-maned lion with a scar"
            ),
            make_character(
                "c-runner",
                "w-desert",
                {"en": ["Road Runner"]},
                (),
                "a blue and purple roadrunner bird that sprints across the desert",
            ),
            make_character(
                "c-tabby",
                "w-desert",
                {"en": ["Garfy"]},
                (),
                "a fat orange tabby cat who loves lasagna",
            ),
        ),
        version=1,
    )
    return Screener(registry, IndexCache(disk=False).get(registry))


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("슬픔이 밀려오는 이별 장면, 비 내리는 기차역", set()),  # "sadness floods in"
        (
            "기쁨이와 슬픔이가 본부 콘솔 앞에서 다툰다",
            {"c-joy", "c-sadness"},
        ),  # names, own particles
        ("Schafe grasen auf dem Anger vor der Dorfkirche", set()),  # German noun: the green
        ("Anger punching the control panel in a rage", {"c-anger"}),
        ("a surgical scar on a man's knee as he laces up his shoes", set()),
        ("a greater roadrunner sprinting across the open desert", set()),  # written solid
        ("Road Runner sprinting across the desert", {"c-runner"}),
    ],
)
def test_words_used_as_words_are_not_names(
    word_names_screener: Screener, prompt: str, expected: set[str]
) -> None:
    found = set(word_names_screener.screen(prompt).asset_ids)
    assert {a for a in found if a.startswith("c-")} == expected


def test_description_evidence_is_lowered_when_the_prompt_films_a_real_animal() -> None:
    from .support import invented_registry

    screener = Screener.build(invented_registry(), cache=IndexCache(disk=False))

    def described(prompt: str) -> float:
        result = screener.screen(prompt)
        evidence = [e for r in result.references for e in r.evidence] + list(result.discarded)
        return max(
            (e.score for e in evidence if e.asset_id == "c-zubaru" and e.kind == "description"),
            default=0.0,
        )

    drawn = described("a green fox spirit with three tails and a silver bell, amber eyes")
    assert drawn >= 0.5
    filmed = "a wild green fox spirit with three tails and a silver bell, amber eyes"
    assert described(filmed) == round(drawn - 0.5, 4)


@pytest.mark.parametrize(
    ("prompt", "acting"),
    [
        ("Tigress running a wooden training course", True),  # singular, though it ends in s
        ("Toothless chasing a patch of sunlight", True),  # an adjective as a bare subject
        ("Rinoka inhales a whole steamer of dumplings", True),  # a verb in -s and its object
        ("Tails wagging at the park", False),  # a plural can be a bare subject
    ],
)
def test_a_bare_word_that_acts_is_a_name(prompt: str, acting: bool) -> None:
    from kyodaku.screen.disambiguation import _acts

    word = prompt.split()[0]
    assert _acts(prompt, len(word), word) is acting


def test_a_han_name_that_is_an_everyday_word_needs_corroboration() -> None:
    registry = one_work_registry(
        ("c-shifu", {"en": ["Shifu"], "zh": ["师父"]}, "a red panda master"),
        ("c-zubo", {"en": ["Zubo"], "zh": ["祖波"]}, "a rabbit"),
    )
    screener = Screener(registry, IndexCache(disk=False).get(registry))
    assert screener.screen("武馆里一位师父在教小徒弟扎马步").asset_ids == ()  # "a master"
    assert set(screener.screen("师父和祖波在山顶上练功").asset_ids) >= {"c-shifu"}
