"""Kana names that are also Japanese common nouns (IPADIC's parts of speech)."""

from __future__ import annotations

import pytest

from kyodaku.screen.japanese_words import common_given_names, is_common_noun
from kyodaku.screen.lexicon import is_person_name, word_class


@pytest.mark.parametrize(
    ("text", "common"),
    [
        ("サザエ", True),  # turban shell
        ("ねこ", True),
        ("マイク", True),  # microphone
        ("ダッシュ", True),  # a noun that takes する
        ("マリオ", False),  # a given name
        ("ピカチュウ", False),  # a proper noun
        ("ズバルー", False),  # unknown: split or not listed
        ("とんかつ", False),  # split into two words in hiragana
        ("猫", False),  # not kana: Han names have their own rule
        ("ね", False),  # one kana
    ],
)
def test_is_common_noun(text: str, common: bool) -> None:
    assert is_common_noun(text) is common


def test_the_dictionary_reads_kanji_words_where_pykakasi_reads_them_otherwise() -> None:
    from kyodaku.screen.japanese_words import dictionary_reading
    from kyodaku.screen.readings import cjk_readings, latin_readings

    assert "".join(dictionary_reading("鋼の錬金術師")) == "ハガネノレンキンジュツシ"
    assert "はがねのれんきんじゅつし" in cjk_readings("鋼の錬金術師", "ja")
    assert ("haganenorenkinjutsushi", "romaji") in latin_readings("鋼の錬金術師", "ja")
    assert cjk_readings("鋼の錬金術師", "zh") == []  # Chinese forms get pinyin, not kana


def test_words_nobody_writes_are_not_asked_of_the_tokenizer(monkeypatch) -> None:
    from kyodaku.screen import japanese_words

    def forbidden(text: str) -> str:
        raise AssertionError(f"tokenizer asked about {text}")

    monkeypatch.setattr(japanese_words, "_single_word_tag", forbidden)
    assert not japanese_words.is_common_noun("ズバルーヌ")  # in no word list


def test_common_given_names_are_sounds_many_kanji_spell() -> None:
    names = common_given_names()
    assert {"akira", "tetsuo", "yusuke", "yuusuke", "tohru", "toru"} <= names
    # Names few people bear (or nobody: they are coined) are not common.
    assert not {"sasuke", "kenshin", "naruto", "pikachu"} & names


def test_a_common_japanese_given_name_is_a_persons_name_to_the_lexicon() -> None:
    assert is_person_name("Tetsuo") and word_class("Tetsuo") == "proper"
    assert word_class("Kenshin") == "coined"
