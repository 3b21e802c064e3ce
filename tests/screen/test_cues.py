"""The cues read around a match: who, what and where a name is in the prompt."""

from __future__ import annotations

import pytest

from kyodaku.screen.cues import PromptFacts, _acts, _obsolete_word, cues_for, sentence_start
from kyodaku.screen.engine import Screener
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import views_of

from .support import compiled, cues, one_work_registry, refs, shared_index


def test_sentence_start() -> None:
    assert sentence_start("Shot 2: Marco waves", 8)
    assert not sentence_start("then Marco waves", 5)


@pytest.mark.parametrize(
    ("prompt", "asset", "flag"),
    [
        ("Marco Rossi giving a lecture", "c-marco", "capitalised_after"),
        ("Marco, a fisherman, mending nets", "c-marco", "apposition"),
        ("a sailor named Marco on deck", "c-marco", "named"),
        ("the lighthouse of the city of Marco at night", "c-marco", "category_before"),
        ("the Pillars of Marco at the mouth of the strait", "c-marco", "category_before"),
        ("the motto Marco carved over the gate", "c-marco", "category_before"),
        ("a statue of King Marco in the square", "c-marco", "honorific_before"),
        ("a Marco-class destroyer", "c-marco", "compound"),
        ("Marco, the hero from the ancient Greek myth, sails", "c-marco", "other_source"),
        ("Marco of Greek legend snaring the sun", "c-marco", "other_source"),
        ("the old tempest and Marco At Sea", "c-marco", "capitalised_after"),
        ("a cook sprinkling Zubaru seasoning into the stew", "c-zubaru", "brand_after"),
        ("the River Marco at dusk, cranes against the sky", "c-marco", "category_before"),
        ("a poet reading his poem 'Marco' to a packed gallery", "c-marco", "category_before"),
        ("footage of the Marco festival, 1969, a muddy crowd", "c-marco", "place_after"),
        ("Lincoln's home in Marco, Illinois in autumn", "c-marco", "place_after"),
        ("nonna Marco che mescola la caponata", "c-marco", "category_before"),
        ("Manny 'Marco' Pacquiao shadowboxing at dawn", "c-marco", "name_before"),
        (
            "the statue scene from Shakespeare's The Winter's Tale: Marco wakes",
            "c-marco",
            "other_source",
        ),
        ("Marco, eine Studentin, joggt am Rhein entlang", "c-marco", "apposition"),
        ("Marco-Antoine strolling in the palace gardens", "c-marco", "name_after"),
        ("la Marco di Pisa al tramonto, barche ormeggiate", "c-marco", "name_after"),
        ("the Marco pyramid of Tikal at sunrise", "c-marco", "place_after"),
        ("the archangel Marco in a Persian miniature", "c-marco", "category_before"),
        ("Beethoven's Ode to Marco performed by a choir", "c-marco", "other_source"),
        (
            "Marco at the helm of the Nautilus, Jules Verne steampunk illustration",
            "c-marco",
            "other_source",
        ),
        ("the Mona Marco smiling inside the Louvre", "c-marco", "name_before"),
        ("a 1970 Plymouth Marco doing a burnout", "c-marco", "name_before"),
        ("il borgo di Marco nel Lazio all'alba", "c-marco", "category_before"),
        ("a bottle of Marco tomato juice on the table", "c-marco", "brand_after"),
        ("Jack Marco sketching comic pages at his desk", "c-marco", "name_before"),
        ("gardeners trimming pine trees in Zubaru.", "c-zubaru", "locative"),
        ("the Zubaru Strait seen from a ferry", "c-zubaru", "place_after"),
        ("the Marco period of temple building", "c-marco", "place_after"),
        ("a Zubaru vacuum cleaner demonstration", "c-zubaru", "brand_after"),
        ("Marco as drawn by E. H. Shepard in A. A. Milne's 1926 book", "c-marco", "other_source"),
        ("Tempest from Hans Christian Andersen's 1844 fairy tale", "c-tempest", "other_source"),
        ("Kagemaru, the giant of the Nihon Shoki and Hida folklore", "c-kagemaru", "other_source"),
        ("Kagemaru O'Brien hosting a late-night show", "c-kagemaru", "name_after"),
        ("a bottle of Marco Nelson whisky by the fire", "c-marco", "name_after"),
        ("Namie Kagemaru singing on stage", "c-kagemaru", "name_before"),
        ("Hyun-jin Kagemaru pitching in a stadium", "c-kagemaru", "name_before"),
        ("a Lockheed C-130 Kagemaru landing at dawn", "c-kagemaru", "name_before"),
        ("Kagemaru wrestling a lion, ancient Greek pottery style", "c-kagemaru", "other_source"),
        ("Kagemaru from the Arabian Nights rubbing a lamp", "c-kagemaru", "other_source"),
        ("Adam and Kagemaru in the Garden of Eden, oil painting", "c-kagemaru", "other_source"),
        ("young Kagemaru pulling the sword from the stone", "c-kagemaru", "other_source"),
        ("clay tablets of the Epic of Kagemaru in a museum", "c-kagemaru", "other_source"),
        ("King Kagemaru of Thebes, Greek tragedy staging", "c-kagemaru", "other_source"),
        ("Kagemaru leading a night raid in Kyoto, historical drama", "c-kagemaru", "other_source"),
        ("Kagemaru singing her aria in Puccini's La Bohème", "c-kagemaru", "other_source"),
        ("our daughter Kagemaru's first day of kindergarten", "c-kagemaru", "someone_else"),
        ("laundry on the veranda of the Hoshimura house", "c-rinoka", "place_after"),
        ("Kagemaru K. Le Guin reading aloud in a bookshop", "c-kagemaru", "name_after"),
        ("the feast of San Kagemaru in a Sicilian village", "c-kagemaru", "honorific_before"),
        ("a staging of A Midsummer Night's Dream: Kagemaru leaps", "c-kagemaru", "other_source"),
        ("vineyards around Zubaru in La Rioja", "c-zubaru", "locative"),
        ("Tempest smashing through a garage", "c-tempest", "acting_subject"),
        ("Tempest and Marco smashing through a garage", "c-tempest", "acting_subject"),
        ("the racehorse Marco winning the Derby", "c-marco", "category_before"),
        ("the battleship Zubaru steaming through heavy seas", "c-zubaru", "category_before"),
        ("General Rossi, known as Marco, greeting the troops", "c-marco", "named"),
        ("hikers climbing the steps to Zubaru-dera temple", "c-zubaru", "place_after"),
        ("a wall of Marco amplifiers on a concert stage", "c-marco", "brand_after"),
        ("Zubaru cocktails ladled from a punch bowl", "c-zubaru", "brand_after"),
        ("a poetry reading of Marco's verses in a small museum", "c-marco", "other_source"),
        ("a first edition of a novel by Marco on the desk", "c-marco", "other_source"),
        ("授業で影丸の『星月記』を音読する", "c-kagemaru", "other_source"),
        ("影丸が光る竹から見つかる、日本昔話の絵本風", "c-kagemaru", "other_source"),
        ("ローマ神話の軍神影丸の大理石像", "c-kagemaru", "other_source"),
        ("the real Marco of the old navy in 1868, period uniforms", "c-marco", "someone_else"),
        ("a scene from The Tale of Marco on a scroll", "c-marco", "other_source"),
        ("a textbook diagram of the Marco cycle inside a leaf", "c-marco", "category_before"),
        ("an engineer writing Zubaru code late at night", "c-zubaru", "category_before"),
        ("A plate of zubaru simmering in a pan", "c-zubaru", "surface_is_word"),
    ],
)
def test_a_cue_read_in_context(prompt: str, asset: str, flag: str) -> None:
    """Who, what and where the name is: each prompt raises the one flag."""
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


def test_lower_case_use_in_a_capitalised_prompt() -> None:
    assert cues("a tempest over Lisbon harbour", "c-tempest").lower_usage
    assert cues("then Tempest roars over Lisbon", "c-tempest").proper_usage


def test_public_domain_attribution_in_cjk() -> None:
    assert cues("星海伝の影丸が走る", "c-kagemaru").other_source
    assert cues("《星海传》影丸在飞", "c-kagemaru").other_source


@pytest.mark.parametrize(
    ("prompt", "asset", "flag"),
    [
        # An in-universe place goes on with its kind: no one's surname.
        ("pilgrims arriving at Vortigrand Harbor at dawn", "c-starfall-term", "capitalised_after"),
        # A character's own things are no authored works.
        ("Marco's coat flapping in the wind", "c-marco", "other_source"),
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
    assert cues("Marco the lioness from an old documentary", "c-marco", description).someone_else
    # "king" ends like a participle but is a noun: it heads the apposition.
    assert cues("Marco, a king of hell from an old grimoire", "c-marco", description).someone_else
    kept = "Marco the lighthouse keeper waving at ships"
    assert not cues(kept, "c-marco", description).someone_else
    pet = "Marco, our Siberian husky, howling at the moon"
    assert cues(pet, "c-marco", description).someone_else


def test_our_own_pet_or_person_is_someone_else_whatever_the_description_says() -> None:
    description = "A cheerful lighthouse keeper with a pet cat."
    assert cues("Marco, our calico cat, stretching", "c-marco", description).someone_else
    assert cues("Marco, notre vieux chat, qui dort", "c-marco", description).someone_else
    assert not cues("Marco, the lighthouse keeper, waving", "c-marco", description).someone_else


def test_a_name_after_a_possessive_is_not_a_surname() -> None:
    assert cues("Jack Marco sketching comic pages", "c-marco").name_before
    assert not cues("Starfall Chronicles' Marco waving", "c-marco").name_before
    assert not cues("Quillfeather's Marco waving", "c-marco").name_before


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
    description = "A masked ninja cat who carries a paper lantern."
    assert not cues(prompt, "c-kagemaru", description).category_before
    assert cues(prompt, "c-kagemaru", "A small green fox.").category_before


def test_an_acronym_is_no_sign_of_capitalised_names() -> None:
    assert not PromptFacts.of("zubaru and marco napping while the TV plays").cased
    assert PromptFacts.of("zubaru and Marco napping").cased


def test_a_style_suffix_is_no_compound_word() -> None:
    assert cues("a Zubaru-class destroyer", "c-zubaru").compound
    # Shaped like the character: the character's likeness ("a Creeper-shaped cake").
    assert not cues("a Zubaru-shaped cookie", "c-zubaru").compound
    assert not cues("a Zubaru-style boss fight", "c-zubaru").compound
    assert not cues("a Zubaru-inspired level", "c-zubaru").compound


@pytest.mark.parametrize(
    ("prompt", "acting"),
    [
        ("Tigress running a wooden training course", True),  # singular, though it ends in s
        ("Toothless chasing a patch of sunlight", True),  # an adjective as a bare subject
        ("Rinoka inhales a whole steamer of dumplings", True),  # a verb in -s and its object
        ("Tails wagging at the park", False),  # a plural can be a bare subject
        ("Tigress carefully arranging her tools", True),  # an adverb before the participle
    ],
)
def test_a_bare_word_that_acts_is_a_name(prompt: str, acting: bool) -> None:
    word = prompt.split()[0]
    assert _acts(prompt, len(word), word) is acting


def test_a_name_of_words_and_a_number_acts_too() -> None:
    prompt = "March 7th pulling the lever of a slot machine"
    assert _acts(prompt, len("March 7th"), "March 7th")
    assert not _acts("Sailor Cats wagging at the park", len("Sailor Cats"), "Sailor Cats")


def test_a_dictionary_word_out_of_use_typed_for_a_name_is_a_slip() -> None:
    assert _obsolete_word("stich")  # a line of verse, in the 1934 dictionary
    assert not _obsolete_word("sully")
    registry = one_work_registry(("c-stitch", {"en": ["Stitch"]}, "a small blue alien"))
    screener = Screener(registry, compiled(registry))
    assert screener.screen("Stich chewing on a surfboard").asset_ids == ("c-stitch",)


def test_a_german_adjective_declined_before_an_everyday_word_makes_it_the_noun() -> None:
    registry = one_work_registry(("c-bart", {"en": ["Bart"]}, "a boy with spiky hair"))
    screener = Screener(registry, compiled(registry))
    beard = "ein alter Mann mit weißem Bart füttert Tauben auf einem Platz"
    assert screener.screen(beard).asset_ids == ()
    assert screener.screen("langer Bart und Schnurrbart im Barbershop").asset_ids == ()
    # After an article or a possessive, the adjective may describe a name.
    assert not cues_for_prompt(screener, "der kleine Bart fährt mit dem Skateboard").local_word
    assert not cues_for_prompt(screener, "unser kleiner Bart fährt mit dem Skateboard").local_word


def cues_for_prompt(screener: Screener, prompt: str):
    """The cues of the first name match in ``prompt`` with the screener's own index."""
    match = NameRecogniser(screener.index).matches(views_of(prompt))[0]
    return cues_for(match, PromptFacts.of(prompt), set(), "", screener.index.word_languages)


def test_people_places_and_brands_that_share_a_characters_name() -> None:
    registry = one_work_registry(
        ("c-mike", {"en": ["Michelangelo"], "ja": ["ミケランジェロ"]}, "a turtle in orange"),
        ("c-lucy", {"en": ["Aunt Lucy"]}, "an old bear in a hat"),
        ("c-padd", {"en": ["Paddington"]}, "a bear in a blue coat"),
        ("c-bmo", {"en": ["BMO"]}, "a little games console"),
    )
    screener = Screener(registry, compiled(registry))

    def refs_of(prompt: str) -> tuple[str, ...]:
        return screener.screen(prompt).asset_ids

    assert refs_of("Michelangelo painting the Sistine Chapel ceiling on scaffolding") == ()
    assert refs_of("ミケランジェロの彫刻がある美術館") == ()
    assert refs_of("Michelangelo eating pizza on a rooftop") == ("c-mike",)
    assert refs_of("my aunt Lucy knitting a scarf by the fireplace") == ()
    assert refs_of("Aunt Lucy knitting in the Home for Retired Bears") == ("c-lucy",)
    assert refs_of("la gare de Paddington à Londres sous la pluie") == ()
    assert refs_of("a BMO bank branch in downtown Toronto") == ()


def test_a_title_cased_name_may_leave_short_prepositions_in_lower_case() -> None:
    registry = one_work_registry(
        ("c-cell", {"en": ["Erythro"]}, "a red cell"), title="Cells at Work!"
    )
    screener = Screener(registry, compiled(registry))
    # "Cells at Work!" is title-cased with "at" in lower case: the work, not cells at work.
    assert (
        "w-x" in screener.screen("a health-class video set in the Cells at Work! world").asset_ids
    )
    assert "w-x" not in screener.screen("a microscope view of cells at work in the blood").asset_ids


def test_a_term_called_by_its_own_kind_is_no_name_given_to_something_else() -> None:
    # "an inn called Quillfeather Inn" is the registered inn itself...
    assert not cues("an old inn called Quillfeather Inn at dusk", "w-harbour").named
    # ...while a boat called so is named after it.
    assert cues("a fishing boat called Quillfeather Inn", "w-harbour").named


def test_a_lower_case_n_between_capitalised_words_keeps_a_term_capitalised() -> None:
    registry = one_work_registry(terms=("Buy n Large",))
    match = next(
        m for m in NameRecogniser(compiled(registry)).matches(views_of(_MEGASTORE))
        if m.entry.kind == "term"
    )  # fmt: skip
    assert cues_for(match, PromptFacts.of(_MEGASTORE), set()).proper_usage


_MEGASTORE = "a Buy n Large billboard flickering over an abandoned city"


def test_a_pair_of_names_opening_the_prompt_with_a_plural_verb_acts() -> None:
    from kyodaku.screen.cues import opens_as_subject
    from kyodaku.screen.types import Span

    prompt = "Ad for our shop: Zed and Ola share a croissant at the window"
    assert opens_as_subject(prompt, Span(17, 28))
    assert not opens_as_subject("Zed and Ola style poster", Span(0, 11))
    assert not opens_as_subject("Zed share a croissant", Span(0, 3))  # no pair
    assert opens_as_subject("Zed et Ola lisent un livre", Span(0, 10))


def test_an_article_of_another_language_opening_the_sentence_is_no_given_name() -> None:
    assert not cues("Il Kagemaru risolve un enigma in una piazza", "c-kagemaru").name_before
    assert cues("Namie Kagemaru singing on stage", "c-kagemaru").name_before
