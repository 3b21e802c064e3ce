"""Chinese phonetic renderings of registered names, read in pinyin."""

from __future__ import annotations

import pytest

from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
from kyodaku.screen.engine import Screener
from kyodaku.screen.index import compile_index
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import views_of
from kyodaku.screen.transliteration import TransliterationRecogniser


@pytest.fixture(scope="module")
def screener() -> Screener:
    registry = Registry(
        rights_holders=(RightsHolder("rh", "R"),),
        works=(make_work("w-kasai", "rh", {"en": ["Kasai Saga"]}, ["Ember Gate"]),),
        characters=(
            make_character("c-kuparo", "w-kasai", {"ja": ["クッパロ"]}, (), "a turtle king"),
            make_character("c-medora", "w-kasai", {"en": ["Medora"]}, (), "a pale witch"),
            make_character("c-mushu", "w-kasai", {"en": ["Mushu"]}, (), "a small red dragon"),
        ),
        version=1,
    )
    return Screener(registry, compile_index(registry))


def _found(screener: Screener, prompt: str) -> list[tuple[str, str]]:
    recogniser = TransliterationRecogniser(screener.index, screener.names.latin_automaton)
    return [(m.asset_id, m.surface) for m in recogniser.matches(views_of(prompt))]


def test_a_chinese_rendering_of_a_katakana_name_is_found(screener: Screener) -> None:
    # 库巴洛 reads "kubaluo", クッパロ "kupparo": one key (b/p, doubled p, l/r, uo/o).
    assert ("c-kuparo", "库巴洛") in _found(screener, "库巴洛在城堡里大发脾气")


def test_a_chinese_rendering_of_an_english_name_is_found(screener: Screener) -> None:
    assert ("c-medora", "梅多拉") in _found(screener, "梅多拉在月光下施法")


def test_each_window_of_syllables_is_keyed_on_its_own(screener: Screener) -> None:
    # Read as one string, "meiduola de" would key across the name's end.
    assert ("c-medora", "梅多拉") in _found(screener, "勇者梅多拉的銅像沐浴在晨光中")


def test_a_rendering_inside_a_longer_dictionary_word_is_that_word(screener: Screener) -> None:
    assert ("c-mushu", "木须") in _found(screener, "木须在长城上跳舞")
    assert _found(screener, "木须肉在铁锅里翻炒，特写") == []  # moo shu pork, however rare


def test_the_engine_reports_it_as_a_transliteration(screener: Screener) -> None:
    result = screener.screen("库巴洛在城堡里大发脾气")
    assert result.asset_ids == ("c-kuparo",)
    evidence = result.references[0].evidence[0]
    assert evidence.recogniser == "transliteration"
    assert 0.5 <= evidence.score < 0.9


@pytest.mark.parametrize(
    "prompt",
    [
        "库巴洛が城で怒る",  # Japanese (kana): kanji are not read in pinyin
        "我们在城堡里吃饭",  # nothing that sounds like a name
    ],
)
def test_no_transliteration(screener: Screener, prompt: str) -> None:
    assert _found(screener, prompt) == []


def test_it_needs_the_names_automaton() -> None:
    registry = Registry(rights_holders=(RightsHolder("rh", "R"),), version=1)
    index = compile_index(registry)
    recogniser = TransliterationRecogniser(index, NameRecogniser(index).latin_automaton)
    assert recogniser.matches(views_of("库巴洛在城堡里")) == []
