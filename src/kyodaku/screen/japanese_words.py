"""Is a name written in kana also an everyday Japanese noun?

Japanese works often name characters with plain nouns: サザエ (turban
shell), カツオ (bonito), ねこ (cat), ホタル (firefly), and loanwords name
others: フラッシュ (a camera flash), マイク (a microphone). Such a name in a
prompt may mean the thing, and needs corroboration like "Joker" or "Link"
in English. Word frequencies cannot tell these from popular names (マリオ
and マイク are about as frequent); a dictionary with parts of speech can:
IPADIC, as Janome ships it, lists サザエ and マイク as common nouns (名詞,一般)
and マリオ, ピカチュウ or ボブ as proper nouns or not at all.

The same dictionary tells the names in kanji that are common nouns (海馬
"hippocampus", 糸鋸 "jigsaw") and the kana readings that are everyday
words (なるほど, the reading of 成歩堂). Consulted only when an index is
compiled; the class is stored with every
registered form, so screening never loads the dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kyodaku.screen.wordlists import word_frequencies

#: IPADIC parts of speech of common nouns: ordinary nouns and nouns that take
#: する (ダッシュ, リンク).
_COMMON_NOUN_TAGS = ("名詞,一般", "名詞,サ変接続")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from janome.tokenizer import Tokenizer

    return Tokenizer()


def _is_kana(text: str) -> bool:
    return all("\u3041" <= c <= "\u3096" or "\u30a1" <= c <= "\u30fa" or c == "ー" for c in text)


def _single_word_tag(text: str) -> str | None:
    """IPADIC's part of speech of ``text`` when the dictionary reads it as one word."""
    tokens = list(_tokenizer().tokenize(text))
    if len(tokens) != 1 or tokens[0].surface != text:
        return None
    return str(tokens[0].part_of_speech)


@lru_cache(maxsize=65536)
def is_common_noun(text: str) -> bool:
    """Whether ``text`` (kana or kanji) is one common noun of Japanese (サザエ, マイク, 海馬).

    Text the dictionary splits into several words or does not know, and
    proper nouns, are not.
    """
    if len(text) < 2 or not _is_japanese(text) or not _in_use(text):
        return False
    tag = _single_word_tag(text)
    return tag is not None and tag.startswith(_COMMON_NOUN_TAGS)


@lru_cache(maxsize=65536)
def is_everyday_word(text: str) -> bool:
    """Whether kana ``text`` is one everyday word of any kind but a proper noun.

    For the kana readings of names written in kanji: 成歩堂 is read なるほど,
    which is also the interjection "I see".
    """
    if len(text) < 2 or not _is_kana(text) or not _in_use(text):
        return False
    tag = _single_word_tag(text)
    return tag is not None and not tag.startswith("名詞,固有名詞")


def _in_use(text: str) -> bool:
    """Whether Japanese text occurs at all in wordfreq's list: a word nobody
    writes is no everyday word, and the tokenizer need not be asked (it costs
    a tenth of a millisecond a name, seconds on a large registry)."""
    return text in word_frequencies("ja")


def _is_japanese(text: str) -> bool:
    return all(_is_kana(c) or "\u4e00" <= c <= "\u9fff" for c in text)


@lru_cache(maxsize=65536)
def dictionary_reading(text: str) -> tuple[str, ...]:
    """IPADIC's katakana reading of each word of ``text`` (鋼の錬金術師 → ハガネ, ノ, ...).

    A second opinion beside pykakasi's, which reads 鋼 as コウ where the
    title says はがね. Words the dictionary does not know are kept as written.
    """
    return tuple(
        token.reading if token.reading != "*" else token.surface
        for token in _tokenizer().tokenize(text)
    )


@dataclass(frozen=True, slots=True)
class PersonalNames:
    """Japanese given names and family names in kanji that are nothing else.

    Characters are named like people, and people share their names: 金田正一
    is a baseball pitcher, not the biker 金田正太郎; 夏目漱石 a novelist, not
    the boy 夏目貴志. A registered family name run into a given name that is
    not the character's (or a given name after another family name) names
    somebody else (:func:`kyodaku.screen.cjk_boundaries.boundary_problem`).
    """

    given: frozenset[str] = frozenset()
    family: frozenset[str] = frozenset()
    #: Common given names as written in katakana (ヒロノブ): 影山ヒロノブ is
    #: the singer, not the setter 影山飛雄.
    given_kana: frozenset[str] = frozenset()


#: Shortest name kept: one kanji (一, 透) is a given name and a word too often.
_MIN_PERSONAL_NAME = 2
_PROPER = "名詞,固有名詞,"
_KANJI_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")


def compile_personal_names() -> PersonalNames:
    """IPADIC's kanji given and family names that it lists as nothing but proper nouns.

    Family names are mostly places too (中島, 佐藤): that is kept. A surface
    that is also a common word (香水 perfume, 貴志) is left out. Read when an
    index is compiled; kept with the index.
    """
    from janome.sysdic import entries

    tags: dict[str, set[str]] = {}
    for entry in entries().values():
        surface, tag = entry[0], entry[4]
        if len(surface) >= _MIN_PERSONAL_NAME and _KANJI_ONLY.match(surface):
            tags.setdefault(surface, set()).add(tag)
    only_names = {s: t for s, t in tags.items() if all(tag.startswith(_PROPER) for tag in t)}
    return PersonalNames(
        given=frozenset(s for s, t in only_names.items() if "名詞,固有名詞,人名,名" in t),
        family=frozenset(s for s, t in only_names.items() if "名詞,固有名詞,人名,姓" in t),
        given_kana=frozenset(_given_name_spellings()),
    )


#: A given name written in this many kanji spellings or more is a common one
#: (あきら 39, てつお 19, ゆうすけ 11; さすけ 2, けんしん 1): IPADIC lists
#: each spelling of a name once, so the count measures how widely the sound
#: is used as a name.
COMMON_GIVEN_NAME_SPELLINGS = 8


@lru_cache(maxsize=1)
def common_given_names() -> frozenset[str]:
    """Common Japanese given names in romaji, long vowels as written and folded.

    あきら, てつお and ゆうすけ are everyday given names in Japan: a character
    called Akira, Tetsuo or Yusuke shares the name with many people, and needs
    corroboration like "Finn" or "Jake" (:mod:`kyodaku.screen.lexicon`).
    Read when an index is compiled.
    """
    from kyodaku.screen.readings import romaji

    names: set[str] = set()
    for reading in _given_name_spellings():
        written = romaji(reading).lower()
        names.update({written, *_folded_long_vowels(written)})
    return frozenset(n for n in names if n.isascii() and n.isalpha())


@lru_cache(maxsize=1)
def _given_name_spellings() -> frozenset[str]:
    """Katakana readings of the given names that many kanji spellings share (アキラ, ヒロノブ)."""
    return frozenset(
        r for r, n in _kanji_spellings()[0].items() if len(n) >= COMMON_GIVEN_NAME_SPELLINGS
    )


#: Most kanji spellings of one reading kept, the commonest first.
MAX_KANJI_SPELLINGS = 6


def kanji_spellings(reading: str) -> tuple[str, ...]:
    """Kanji spellings of a given name read ``reading`` (katakana), the commonest first.

    A Chinese prompt writes a Japanese character's kana given name in kanji
    that read the same: 志摩リン is 志摩凛, 星野アイ 星野爱. IPADIC's given
    names say which kanji spell a name read so (リン: 凛, 倫); a name no
    given name is read as takes the common nouns read so (ナデシコ: 撫子).
    Lower IPADIC cost is commoner. Read when an index is compiled.
    """
    given, nouns = _kanji_spellings()
    return tuple(given.get(reading) or nouns.get(reading) or ())[:MAX_KANJI_SPELLINGS]


@lru_cache(maxsize=1)
def _kanji_spellings() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(reading → kanji given names, reading → kanji common nouns), commonest first."""
    from janome.sysdic import entries

    given: dict[str, list[tuple[int, str]]] = {}
    nouns: dict[str, list[tuple[int, str]]] = {}
    for entry in entries().values():
        surface, cost, tag, reading = entry[0], entry[3], entry[4], entry[8]
        if not _KANJI_ONLY.match(surface):
            continue
        if tag == "名詞,固有名詞,人名,名":
            given.setdefault(reading, []).append((cost, surface))
        elif tag.startswith("名詞,一般,"):
            nouns.setdefault(reading, []).append((cost, surface))

    def ordered(table: dict[str, list[tuple[int, str]]]) -> dict[str, list[str]]:
        return {r: list(dict.fromkeys(s for _, s in sorted(v))) for r, v in table.items()}

    return ordered(given), ordered(nouns)


def _folded_long_vowels(name: str) -> set[str]:
    """Spellings of a romaji name with its long vowels written as people write them."""
    out = {name}
    for long, short in (("ou", "o"), ("uu", "u"), ("oo", "o"), ("ou", "oh"), ("oo", "oh")):
        out |= {n.replace(long, short) for n in out}
    return out
