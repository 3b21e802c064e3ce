"""Near misses, found through the deletion index rather than by brute force."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodaku.screen.fuzzy import (
    MIN_KEY,
    FuzzyRecogniser,
    FuzzyTable,
    allowed_distance,
    deletions,
    near_keys,
    swapped_letters,
    typing_slip,
    windows,
)
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import latin_key, latin_view, views_of

from .support import compiled, one_work_registry, shared_index


def test_deletions() -> None:
    assert deletions("abc") == {"abc", "bc", "ac", "ab"}


def test_table_finds_keys_one_edit_away_only() -> None:
    keys = ["zubaru", "rinoka", "velloria"]
    table = FuzzyTable.build(keys, [0, 1, 2])
    assert 0 in table.candidates("zubaro")  # substitution
    assert 0 in table.candidates("zbaru")  # deletion
    assert 0 in table.candidates("zuubaru")  # insertion
    assert 0 in table.candidates("zuabru")  # transposition
    assert table.candidates("kitchen") == set()


@settings(max_examples=50, deadline=None)
@given(
    keys=st.lists(st.text("abcdefk", min_size=4, max_size=9), min_size=1, max_size=300),
    typed=st.lists(st.text("abcdefk", min_size=3, max_size=10), max_size=20),
)
def test_bucketed_lookup_equals_the_deletion_definition(keys, typed) -> None:
    # A table of many rows uses many buckets; every bucket must answer exactly.
    table = FuzzyTable.build(keys, list(range(len(keys))))
    for window, found in zip(typed, table.candidates_many(typed), strict=True):
        expected = {
            key_id
            for key_id, key in enumerate(keys)
            if len(window) >= MIN_KEY - 1 and deletions(key) & deletions(window)
        }
        assert found >= expected  # a CRC collision may add a candidate, never lose one
        assert len(found - expected) <= 1


def test_allowed_distance_scales_with_length() -> None:
    assert allowed_distance(3) == 0
    assert allowed_distance(4) == 1
    assert allowed_distance(6) == 1
    assert allowed_distance(12) == 2


def test_table_holds_four_letter_keys() -> None:
    table = FuzzyTable.build(["kero", "abc"], [0, 1])
    assert 0 in table.candidates("krero")  # "Krelo": a letter more on the key
    assert table.candidates("abcd") == set()  # three-letter keys stay out


def _hits(names: list[str], prompt: str) -> dict[str, tuple[int, bool]]:
    """Registered name → (edits, found only undoubled) for the windows of ``prompt``."""
    keys = [latin_key(n) for n in names]
    table = FuzzyTable.build(keys, list(range(len(keys))))
    view = latin_view(prompt)
    found = near_keys(table, keys, view, set(), prompt)
    return {names[h.key_id]: (h.distance, h.undoubled) for h in found}


def test_adjacent_swap_is_one_edit() -> None:
    # "Vlorenta" → "Vloernta": Levenshtein counts two edits, OSA one.
    assert _hits(["Vlorenta"], "Vloernta at dusk") == {"Vlorenta": (1, False)}


def test_a_left_out_letter_that_makes_a_double_is_one_edit() -> None:
    # "Dodode" keys to "tototo"; "Dodde" merges its "dd" and keys to "toto",
    # two key letters short. Written twice again, the double is one edit away.
    assert _hits(["Dodode"], "Dodde waving") == {"Dodode": (1, True)}
    assert typing_slip("Dodde", "Dodode")
    # "Dotte" keys like "Dodde" but is two letters off "Dodode" as typed.
    assert _hits(["Dodode"], "Dotte waving") == {"Dodode": (1, True)}
    assert not typing_slip("Dotte", "Dodode")


def test_a_dictionary_word_is_not_a_misspelt_short_name() -> None:
    # "Kelo" keys to "kero"; "kelp" is one edit from it but a word.
    assert _hits(["Kelo"], "a forest of kelp") == {}
    assert _hits(["Kelo"], "a forest of kelps") == {}
    # "Narby" keys to "napi" (four letters); "Nraby" is one edit from it.
    assert _hits(["Narby"], "Nraby waving") == {"Narby": (1, False)}


@pytest.mark.parametrize(
    ("typed", "name", "slip"),
    [
        ("Kleo", "Kelo", True),  # two letters swapped
        ("Vrobi", "Vorbi", True),
        ("Keto", "Kelo", False),  # a letter changed: another word
        ("Kelon", "Kelo", False),  # a letter added
        ("Kelo", "Kelo", False),  # no slip at all
        ("Oelk", "Kelo", False),
    ],
)
def test_short_names_tolerate_only_a_swap(typed: str, name: str, slip: bool) -> None:
    assert swapped_letters(typed, name) is slip


def test_windows_are_whole_words() -> None:
    view = latin_view("belts out a song")
    spans = {(s, e) for s, e, _ in windows(view)}
    for start, end in spans:
        assert start in view.boundaries and end in view.boundaries


def test_misspellings_are_found() -> None:
    fuzzy = FuzzyRecogniser(shared_index())
    for prompt, asset in [
        ("Zubaro running", "c-zubaru"),
        ("Velloria Qiunt at the inn", "c-velloria"),
        ("Rinokka Hoshimora on deck", "c-rinoka"),
    ]:
        matches = fuzzy.matches(views_of(prompt))
        assert asset in {m.asset_id for m in matches}, prompt


def test_plain_dictionary_words_are_not_misspelt_names() -> None:
    fuzzy = FuzzyRecogniser(shared_index())
    assert fuzzy.matches(views_of("a tempest and a temple and a velvet robe")) == []


def test_a_four_letter_name_is_found_with_two_letters_swapped() -> None:
    from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
    from kyodaku.screen.engine import Screener
    from kyodaku.screen.index_cache import IndexCache

    registry = Registry(
        rights_holders=(RightsHolder("rh-x", "X"),),
        works=(make_work("w-x", "rh-x", {"en": ["Cloudtop Tales"]}, []),),
        characters=(make_character("c-vexa", "w-x", {"en": ["Vexa"]}, (), "A pink puffball."),),
        version=1,
    )
    screener = Screener(registry, IndexCache(disk=False).get(registry))
    assert "c-vexa" in screener.screen("Veax napping on a cloud").asset_ids
    # A short name tolerates a swap only, not any other edit.
    assert "c-vexa" not in screener.screen("Vexo napping on a cloud").asset_ids


def _near(registry_names: dict[str, str], prompt: str) -> set[str]:
    registry = one_work_registry(
        *((asset, {"en": [name]}, "a dog") for asset, name in registry_names.items())
    )
    fuzzy = FuzzyRecogniser(compiled(registry))
    return {m.asset_id for m in fuzzy.matches(views_of(prompt))}


def test_of_two_near_names_the_closer_as_typed_wins() -> None:
    # "Snoopie" is one sound-key edit from both; as typed it is nearer "Snoopy".
    names = {"c-snoopy": "Snoopy", "c-sophie": "Sophie"}
    assert _near(names, "Snoopie sleeping on his doghouse") == {"c-snoopy"}


def test_romanised_korean_words_are_not_misspelt_names() -> None:
    assert _near({"c-jessie": "Jessie"}, "세제 광고, 거품이 가득") == set()  # 세제: detergent
    assert _near({"c-jessie": "Jessie"}, "Jessei riding a horse") == {"c-jessie"}


def test_an_everyday_word_of_the_prompts_language_is_no_slip_of_a_coined_name() -> None:
    names = {"c-world": "Teyvat"}
    # "devant" (in front of) is one sound away from "Teyvat" but French here.
    assert _near(names, "un homme qui fume sous la pluie devant un café") == set()
    assert _near(names, "a map of Teyvatt pinned to the wall") == {"c-world"}


def test_an_everyday_english_word_the_old_dictionary_lacks_is_no_slip() -> None:
    # "sushi" is not in Webster's Second, but it is everyday English.
    assert _near({"c-atsushi": "Atsushi"}, "a young sushi apprentice slicing tuna") == set()
    assert _near({"c-atsushi": "Atsushi"}, "Atsushii running through the rain") == {"c-atsushi"}


def test_a_foreign_word_near_an_english_name_may_be_its_cognate() -> None:
    # "Genio" is Spanish for a genie: near an English word it is read, not dropped.
    assert _near({"c-genie": "Genie"}, "el Genio azul saliendo de la lámpara") == {"c-genie"}
    # In lower case the cognate is the word itself: a cherry branch, no "Branch".
    assert _near({"c-branch": "Branch"}, "une branche de cerisier devant une fenêtre") == set()


def test_slips_the_sound_key_magnifies_are_one_edit_as_typed() -> None:
    # c keys k before a and s before i, and r before a consonant is silent:
    # each slip below is two sound-key edits but one typed letter.
    names = {"c-mage": "Dusk Magician", "c-kazura": "Kazuragi", "c-amer": "Captain Amerigo"}
    assert _near(names, "Dusk Magican casting a spell") == {"c-mage"}
    assert _near(names, "Kazurgi dunking the ball") == {"c-kazura"}
    assert _near(names, "Captain Amergio on a motorcycle") == {"c-amer"}


def test_a_six_letter_name_takes_a_slip_whatever_its_sound_key() -> None:
    # "Sheeta" keys to four letters ("seta"), which alone would allow only a swap.
    assert len(latin_key("Sheeta")) < 5
    assert _near({"c-sheeta": "Sheeta"}, "Sheetah clutching a pendant") == {"c-sheeta"}
    assert _near({"c-vexa": "Vexa"}, "Vexo napping on a cloud") == set()  # four letters: no


def test_the_spelling_table_holds_registered_spellings_of_six_letters_or_more() -> None:
    index = compiled(
        one_work_registry(
            ("c-long", {"en": ["Sheeta"], "ja": ["シータ"]}, "a girl"),
            ("c-short", {"en": ["Vexa"]}, "a puffball"),
        )
    )
    spellings = set(index.spelling_keys)
    assert "sheeta" in spellings
    assert "vexa" not in spellings
    assert all(len(key) >= 6 for key in spellings)
    derived = {index.entry(int(e)).derived for e in index.spelling_entries}
    assert derived <= {"", "reversed"}  # readings (the romaji of シータ) stay out


def test_cjk_windows_are_kanji_and_katakana_runs_with_their_ends() -> None:
    from kyodaku.screen.fuzzy import cjk_windows

    views = views_of("ジバニヤンが商店街を歩く")
    texts = {views.cjk.text[a:b] for a, b in cjk_windows(views.cjk, views.prompt)}
    assert "じばにやん" in texts  # the katakana run, folded to hiragana
    assert not any("が" in t for t in texts)  # particles end a run
    long_run = "灰" * 20_000  # a Chinese run of any length gives a bounded number of windows
    views = views_of(long_run)
    assert len(cjk_windows(views.cjk, views.prompt)) < 20


def test_long_cjk_names_are_found_one_character_off() -> None:
    names = {"c-naru": "成歩堂龍一", "c-jiba": "ジバニャン", "c-flash": "フラッシュ"}
    registry = one_work_registry(
        *((asset, {"ja": [name]}, "a lawyer") for asset, name in names.items())
    )
    fuzzy = FuzzyRecogniser(compiled(registry))

    def near(prompt: str) -> set[str]:
        return {m.asset_id for m in fuzzy.matches(views_of(prompt))}

    assert near("成歩道龍一が法廷で反論する") == {"c-naru"}  # one kanji changed
    assert near("ジバニヤンが夕焼けの商店街を歩く") == {"c-jiba"}  # ャ written large
    assert near("朝のラッシュで駅が混む") == set()  # a shorter word is another word
    exact_prompt = views_of("成歩堂龍一が法廷で反論する")
    exact = NameRecogniser(fuzzy.index).matches(exact_prompt)
    assert fuzzy.matches(exact_prompt, exact) == []  # the name recogniser's, and its parts


def test_four_kanji_names_take_a_slip_and_a_name_held_whole_is_no_slip() -> None:
    names = {"c-gin": "坂田銀時", "c-maj": "マジョリカ"}
    registry = one_work_registry(
        *((asset, {"ja": [name]}, "a samurai") for asset, name in names.items())
    )
    fuzzy = FuzzyRecogniser(compiled(registry))

    def near(prompt: str) -> set[str]:
        return {m.asset_id for m in fuzzy.matches(views_of(prompt))}

    assert near("坂田銀持がファミレスでパフェを食べる") == {"c-gin"}
    assert near("マジョリカ焼きの皿に絵付けをする") == set()  # the name and a ware's kanji


def test_a_plural_of_a_registered_spelling_is_no_slip_of_it() -> None:
    from kyodaku.screen.fuzzy import _plural_of

    assert _plural_of("sagas", "Saga") and _plural_of("Zubarus", "Zubaru")
    assert not _plural_of("Zubaro", "Zubaru")
