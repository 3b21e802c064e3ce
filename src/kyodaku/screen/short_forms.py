"""Affectionate short forms: part of a registered name followed by an honorific.

Japanese and Korean fans shorten a name and add an honorific: キティちゃん
for ハローキティ, ドラちゃん for ドラえもん, 에렌 씨 for 에렌 예거, and in
romaji "Dora-chan". The short
form alone is too weak to match (ドラ is also a gong, キティ a loanword); the
honorific after it says that a person or character is meant. So this
recogniser looks only at the run of katakana, kanji or Hangul (or the Latin
word) right before an honorific, and reports it when that run is the
beginning or the end of the registered name or reading of exactly one
character, compared in the same normal form as names are matched (a shared part, such as a
family name, identifies nobody). A run that is itself a very common
Japanese word (ママさん, パンちゃん) is never a short form.

Candidates come from two orders of the index's name keys (one read forwards
for prefixes, one backwards for suffixes), sorted when the index is compiled
(:class:`~kyodaku.screen.index.SegmentOrder`), so the cost per prompt is a
regular-expression scan and a few bisections. Pure: no I/O.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import threading
from collections.abc import Sequence

import numpy as np

from kyodaku.screen.index import CompiledIndex, NameEntry
from kyodaku.screen.matches import Match
from kyodaku.screen.normalise import PromptViews, cjk_key, latin_key
from kyodaku.screen.types import Span
from kyodaku.screen.wordlists import common_words, common_words_of

#: Honorifics and familiar titles that follow a (short) name.
JAPANESE_HONORIFICS: tuple[str, ...] = (
    "ちゃん", "ちゃま", "くん", "君", "さん", "さま", "様", "たん", "氏", "殿", "先輩", "先生",
)  # fmt: skip
KOREAN_HONORIFICS: tuple[str, ...] = (
    "씨", "님", "군", "양", "선배", "오빠", "언니", "형", "누나", "병장", "선생님",
)  # fmt: skip
#: Korean particles that may follow the honorific (씨가, 님이, 병장은).
KOREAN_PARTICLES: tuple[str, ...] = (
    "이", "가", "은", "는", "을", "를", "의", "에", "도", "와", "과", "랑",
    "께서", "께", "에게", "한테",
)  # fmt: skip
#: Shortest short form, in characters of its key (one kana or syllable is noise).
MIN_SEGMENT = 2
#: A run at least this frequent in Japanese (wordfreq's Zipf scale) is a word.
COMMON_WORD_ZIPF = 4.5

_KATAKANA_RUN = "[\u30a1-\u30fa\u30fc\uff66-\uff9d]"
_KANJI_RUN = "[\u4e00-\u9fff\u3400-\u4dbf\u3005]"
_HANGUL_RUN = "[\uac00-\ud7a3]"


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: Japanese honorifics written in Latin letters after a name ("Dora-chan").
ROMAJI_HONORIFICS: tuple[str, ...] = (
    "chan", "chama", "kun", "san", "sama", "tan", "senpai", "sempai", "sensei", "dono", "shi",
)  # fmt: skip
#: Shortest Latin short form, in letters of its phonetic key.
MIN_LATIN_SEGMENT = 3
_LATIN_SHORT_FORM = re.compile(
    rf"(?<![\w'’-])(?P<word>[^\W\d_]{{2,20}})[-‐ ](?:{_alternatives(ROMAJI_HONORIFICS)})\b",
    re.IGNORECASE,
)
_JAPANESE_AFTER = f"(?={_alternatives(JAPANESE_HONORIFICS)})"
_SHORT_FORM = re.compile(
    rf"(?<!{_KATAKANA_RUN})(?P<kata>{_KATAKANA_RUN}{{2,12}}){_JAPANESE_AFTER}"
    rf"|(?<!{_KANJI_RUN})(?P<kanji>{_KANJI_RUN}{{2,6}}){_JAPANESE_AFTER}"
    rf"|(?<!{_HANGUL_RUN})(?P<hangul>{_HANGUL_RUN}{{2,8}})"
    rf"(?= ?(?:{_alternatives(KOREAN_HONORIFICS)})(?:{_alternatives(KOREAN_PARTICLES)})?"
    rf"(?!{_HANGUL_RUN}))"
)


def _common_japanese() -> frozenset[str]:
    """Very common Japanese words (wordfreq's list needs no tokenizer to read)."""
    return common_words("ja", COMMON_WORD_ZIPF)


class _SortedKeys(Sequence[str]):
    """The keys of a :class:`SegmentOrder`, in its order, for ``bisect`` (no copy)."""

    def __init__(self, keys: Sequence[str], key_ids: np.ndarray, backwards: bool) -> None:
        self._keys = keys
        self._ids = key_ids
        self._backwards = backwards

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
        key = self._keys[int(self._ids[i])]
        return key[::-1] if self._backwards else key


class _SegmentTable:
    """Character name keys sorted forwards and backwards, for prefix/suffix lookups."""

    def __init__(self, index: CompiledIndex, script: str) -> None:
        if script == "cjk":
            keys, order = index.cjk_keys, index.cjk_segments
        else:
            keys, order = index.latin_keys, index.latin_segments
        self.keys = _SortedKeys(keys, order.forward_keys, backwards=False)
        self.entries = order.forward_entries
        self.reversed_keys = _SortedKeys(keys, order.backward_keys, backwards=True)
        self.reversed_entries = order.backward_entries

    def owners(self, segment: str, index: CompiledIndex) -> tuple[set[int], int | None]:
        """Characters whose name key starts or ends with ``segment`` (and one entry)."""
        owners: set[int] = set()
        example: int | None = None
        for keys, entries, probe in (
            (self.keys, self.entries, segment),
            (self.reversed_keys, self.reversed_entries, segment[::-1]),
        ):
            lo = bisect.bisect_left(keys, probe)
            hi = bisect.bisect_left(keys, probe + "\U0010ffff", lo)
            for e in entries[lo:hi].tolist():
                owners.add(int(index.entry_asset[e]))
                if example is None:
                    example = e
                if len(owners) > 1:
                    return owners, example
        return owners, example


class ShortFormRecogniser:
    """Part of one character's CJK name right before an honorific."""

    name = "short_forms"

    def __init__(self, index: CompiledIndex) -> None:
        self.index = index
        self._tables: dict[str, _SegmentTable] = {}
        self._lock = threading.Lock()
        self._common = common_words_of(index, "ja", COMMON_WORD_ZIPF)

    def _segments(self, script: str) -> _SegmentTable:
        table = self._tables.get(script)
        if table is None:
            with self._lock:
                table = self._tables.get(script)
                if table is None:
                    table = self._tables[script] = _SegmentTable(self.index, script)
        return table

    def matches(self, views: PromptViews, taken: list[Match] | None = None) -> list[Match]:
        """Short forms in the prompt, skipping spans a whole registered name covers."""
        prompt = views.prompt
        covered = [
            (m.span.start, m.span.end)
            for m in taken or ()
            if m.entry.derived != "partial" and m.mode in ("exact", "obfuscated", "reading")
        ]
        out: list[Match] = []
        if views.cjk.text:
            for found in _SHORT_FORM.finditer(prompt):
                surface = found.group()
                if found.lastgroup != "hangul" and surface in self._common:
                    continue
                out.extend(self._short_form(found.span(), surface, cjk_key(surface), "cjk"))
        if "-" in prompt or " " in prompt:
            for found in _LATIN_SHORT_FORM.finditer(prompt):
                surface = found.group("word")
                span = (found.start("word"), found.end("word"))
                out.extend(self._short_form(span, surface, latin_key(surface), "latin"))
        return [
            m for m in out if not any(s <= m.span.start and m.span.end <= e for s, e in covered)
        ]

    def _short_form(
        self, span: tuple[int, int], surface: str, segment: str, script: str
    ) -> list[Match]:
        shortest = MIN_SEGMENT if script == "cjk" else MIN_LATIN_SEGMENT
        if len(segment) < shortest:
            return []
        owners, example = self._segments(script).owners(segment, self.index)
        if len(owners) != 1 or example is None:
            return []
        registered = self.index.entry(example)
        entry = dataclasses.replace(
            registered, kind="alias", derived="segment", form=surface, shared=1,
            lexical="coined",
        )  # fmt: skip
        return [_match(entry, Span(*span), surface)]


def _match(entry: NameEntry, span: Span, surface: str) -> Match:
    return Match(entry, span, surface, "reading", "short_forms")
