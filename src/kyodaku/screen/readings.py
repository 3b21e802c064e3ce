"""Readings of registered names in other scripts, made once per registry version.

A Japanese name is also written in romaji ("Rizādon", "Son Gokū") and in
kana ("ねずこ" for 禰豆子); a Chinese or Korean name may be typed in pinyin or
in Revised Romanisation. Maintained libraries give these readings: pykakasi
(kanji and kana to Hepburn and hiragana), pypinyin, hangul-romanize. Readings
are evidence of a weaker kind than the registered spelling: the engine scores
them lower and explains them as "reads as".
"""

from __future__ import annotations

import re
from functools import lru_cache

from kyodaku.screen.japanese_words import dictionary_reading
from kyodaku.screen.normalise import (
    is_han,
    is_hangul,
    is_kana,
    is_katakana,
    romanise_hangul_syllable,
)

#: Katakana digraphs that pykakasi reads the old way (ティ → "tei"); the
#: Hepburn spelling people type is substituted first.
_KATAKANA_DIGRAPHS = {
    "イェ": "ye", "ティ": "ti", "ディ": "di", "トゥ": "tu", "ドゥ": "du", "ウィ": "wi",
    "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo",
    "ヴ": "vu", "シェ": "she", "ジェ": "je", "チェ": "che", "ファ": "fa", "フィ": "fi",
    "フェ": "fe", "フォ": "fo", "ツァ": "tsa", "ツェ": "tse", "ツォ": "tso", "テュ": "tyu",
    "デュ": "dyu", "フュ": "fyu",
}  # fmt: skip
_DIGRAPH_RE = re.compile(
    "(" + "|".join(sorted(_KATAKANA_DIGRAPHS, key=len, reverse=True)) + ")(ー?)"
)
_PART_SEPARATORS = re.compile(r"[\s・･·‧=＝]+")


@lru_cache(maxsize=1)
def _kakasi():  # type: ignore[no-untyped-def]
    import pykakasi

    return pykakasi.kakasi()


def has_japanese(text: str) -> bool:
    return any(is_kana(c) or is_han(c) for c in text)


def romaji(text: str, separator: str = "") -> str:
    """Hepburn reading of Japanese text, one word per separated part ("eren yeegaa").

    ``separator`` goes between pykakasi's words inside a part: people type
    both "Shingeki no Kyojin" and "Doraemon" (not "Dora emon").
    """
    parts = []
    for part in _PART_SEPARATORS.split(text):
        if not part:
            continue

        def latin(m: re.Match[str]) -> str:
            roman = _KATAKANA_DIGRAPHS[m.group(1)]
            return roman + (roman[-1] if m.group(2) else "")

        prepared = _DIGRAPH_RE.sub(latin, part)
        if all(is_katakana(c) or c in "ー" or c.isascii() for c in prepared):
            # kana alone needs no dictionary: a table lookup is 20x faster than pykakasi
            words = [_kana_romaji(prepared)]
        else:
            words = [item["hepburn"].replace("-", "") for item in _kakasi().convert(prepared)]
        parts.append(separator.join(w for w in words if w))
    return " ".join(p for p in parts if p)


def _kana_romaji(text: str) -> str:
    """Hepburn for katakana (long-vowel mark doubles the vowel, sokuon the consonant)."""
    import jaconv

    roman = jaconv.kana2alphabet(jaconv.kata2hira(text))
    out: list[str] = []
    for ch in roman:
        if ch == "-":
            vowel = next((c for c in reversed(out) if c in "aeiou"), "")
            out.append(vowel)
        else:
            out.append(ch)
    return "".join(out)


def kana_reading(text: str) -> str:
    """Hiragana reading of Japanese text with kanji (孫悟空 → そんごくう)."""
    return "".join(item["hira"] for item in _kakasi().convert(text))


def pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    parts = [" ".join(lazy_pinyin(p)).replace(" ", "") for p in _PART_SEPARATORS.split(text) if p]
    return " ".join(p for p in parts if p)


def hangul_romanised(text: str) -> str:
    words = []
    for part in _PART_SEPARATORS.split(text):
        words.append("".join(romanise_hangul_syllable(c) if is_hangul(c) else c for c in part))
    return " ".join(w for w in words if w)


def latin_readings(form: str, lang: str) -> list[tuple[str, str]]:
    """(reading, how) pairs in Latin letters for a registered form in another script."""
    out: list[tuple[str, str]] = []
    if any(is_hangul(c) for c in form):
        out.append((hangul_romanised(form), "hangul"))
    elif has_japanese(form):
        if lang == "zh" or (lang != "ja" and not any(is_kana(c) for c in form)):
            out.append((pinyin(form), "pinyin"))
        else:
            joined, spaced = romaji(form), romaji(form, " ")
            out.append((joined, "romaji"))
            if spaced != joined:
                out.append((spaced, "romaji"))
            if lang == "ja" and any(is_han(c) for c in form):
                words = [romaji(w) for w in dictionary_reading(form)]
                for reading in ("".join(words), " ".join(w for w in words if w)):
                    if (reading, "romaji") not in out:
                        out.append((reading, "romaji"))
    return [(r, how) for r, how in out if r and r.isascii()]


def cjk_readings(form: str, lang: str) -> list[str]:
    """Kana readings of a Japanese form that contains kanji (for kana-written prompts).

    Two dictionaries read it: pykakasi and IPADIC; where they differ
    (鋼の錬金術師: こうの… and はがねの…) both readings are kept.
    """
    if lang != "ja" or not any(is_han(c) for c in form):
        return []
    readings = [kana_reading(form), hiragana("".join(dictionary_reading(form)))]
    return list(dict.fromkeys(r for r in readings if r and r != form))


def hiragana(text: str) -> str:
    """Katakana to hiragana (IPADIC reads in katakana; kana readings are kept in hiragana)."""
    import jaconv

    return str(jaconv.kata2hira(text))


def katakana(text: str) -> str:
    """Hiragana to katakana, as IPADIC gives its readings."""
    import jaconv

    return str(jaconv.hira2kata(text))


#: A romanised name's letters: plain Latin words, as Hepburn writes them.
_ROMAJI_NAME = re.compile(r"^[A-Za-zāīūēōĀĪŪĒŌ]+(?: [A-Za-zāīūēōĀĪŪĒŌ]+){0,2}$")
#: Long vowels as names are romanised: macrons and "oh" ("Sohma", "Tohru").
_LONG_VOWELS = (("ā", "aa"), ("ī", "ii"), ("ū", "uu"), ("ē", "ei"), ("ō", "ou"))
_OH = re.compile(r"oh(?=[^aeiouy]|$)")
_KANA_WORD = re.compile(r"^[\u3041-\u3096ー]+$")


def kana_of_romaji(name: str) -> str | None:
    """Hiragana of a name romanised in Hepburn ("Kazuma Kuwabara" → かずま くわばら).

    The romanised name a registry gives beside a kanji name tells how the
    kanji are read, where a dictionary guesses (蔵馬 is Kurama, not くらうま).
    None when the letters are no romaji ("Bob", "Luffy" leave letters over
    or double consonants no Japanese word has).
    """
    import jaconv

    if not _ROMAJI_NAME.match(name):
        return None
    text = name.lower()
    for long, written in _LONG_VOWELS:
        text = text.replace(long, written)
    text = _OH.sub("ou", text)
    words = str(jaconv.alphabet2kana(text)).split()
    if not words or not all(_KANA_WORD.match(w) for w in words):
        return None
    # Read back, the kana must spell the same letters: "Marshall" comes out
    # まっしゃっる, read "masshassharu", so it was no romaji.
    if romaji("".join(words)).lower() != text.replace(" ", ""):
        return None
    return " ".join(words)
