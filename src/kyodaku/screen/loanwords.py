"""English words that a registered Japanese name was made from: "Freezer" for フリーザ.

Many Japanese names are English words in katakana (フリーザ from "freezer",
セル from "cell", トランクス from "trunks"), and some translations go back to
the English word instead of the official English name: a French prompt
writes "Freezer riant dans son vaisseau" for the character registered as
Frieza / フリーザ. No spelling rule gets from "Freezer" to "Frieza", but the
word's Japanese reading does: "freezer" is フリーザー in katakana, which reads
(long vowels folded) exactly as the registered フリーザ.

The reading comes from ``e2k`` (a small English-to-katakana model shipped in
its wheel, run offline on NumPy). It is asked only about capitalised English
dictionary words in a prompt that is not English: there such a word is
foreign to the sentence, so it is used as a name; in an English prompt
"Freezer" is a freezer. The reading must equal the romaji reading of a
registered katakana name or alias, key for key. Matches are "translation"
evidence of a proper name: they count on their own, and disambiguation can
still set them aside.

Optional: :func:`available` tells whether ``e2k`` is installed; the engine
makes this recogniser only then.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from functools import lru_cache
from typing import Any

from kyodaku.screen.automata import KeyAutomaton
from kyodaku.screen.index import CompiledIndex
from kyodaku.screen.languages import prompt_languages
from kyodaku.screen.lexicon import is_word
from kyodaku.screen.matches import Match
from kyodaku.screen.normalise import PromptViews, is_katakana, latin_key
from kyodaku.screen.readings import latin_readings
from kyodaku.screen.types import Span

__all__ = ["LoanwordRecogniser", "available", "foreign_prompt"]

#: Articles: a capitalised English word after one is a thing ("le Freezer").
FOREIGN_ARTICLES = frozenset(
    [
        *("le", "la", "les", "l", "un", "une", "des", "du", "el", "los", "las", "una"),
        *("il", "lo", "gli", "der", "die", "das", "ein", "eine", "einen", "o", "os", "um"),
        *("uma",),
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")


def available() -> bool:
    """Whether the English-to-katakana model is installed (without importing it)."""
    return importlib.util.find_spec("e2k") is not None


def foreign_prompt(prompt: str) -> bool:
    """Whether the prompt is written in another European language than English."""
    return bool(prompt_languages(prompt))


@lru_cache(maxsize=1)
def _model() -> Any:
    from e2k import C2K

    return C2K()


@lru_cache(maxsize=4096)
def katakana_reading(word: str) -> str:
    """The katakana an English word is written with in Japanese ("freezer" → フリーザー)."""
    reading = _model()(word.lower())
    return reading if reading and all(is_katakana(c) or c == "ー" for c in reading) else ""


class LoanwordRecogniser:
    """Capitalised English words of a foreign prompt read as registered katakana names."""

    name = "loanword"

    def __init__(self, index: CompiledIndex, automaton: KeyAutomaton | None) -> None:
        self.index = index
        self._automaton = automaton

    def matches(self, views: PromptViews, taken: list[Match] | None = None) -> list[Match]:
        prompt = views.prompt
        if self._automaton is None or not foreign_prompt(prompt):
            return []
        covered = [(m.span.start, m.span.end) for m in taken or ()]
        out: list[Match] = []
        for found in _CAPITALISED.finditer(prompt):
            word = found.group()
            span = Span(found.start(), found.end())
            if not is_word(word) or any(s < span.end and span.start < e for s, e in covered):
                continue
            before = _WORD.findall(prompt[max(0, span.start - 12) : span.start])
            if before and before[-1].lower() in FOREIGN_ARTICLES:
                continue  # "le Freezer est plein": a thing with an article, not a name
            out.extend(self._readings_of(word, span))
        return out

    def _readings_of(self, word: str, span: Span) -> list[Match]:
        kana = katakana_reading(word)
        if not kana:
            return []
        out: list[Match] = []
        seen: set[int] = set()
        for reading, how in latin_readings(kana, "ja"):
            if how != "romaji":
                continue
            key = latin_key(reading)
            for key_id, start, end in self._automaton.find_matches_as_indexes(  # type: ignore[union-attr]
                key, overlapping=True
            ):
                if start != 0 or end != len(key):
                    continue
                for entry_id in self.index.latin_entries_of(key_id):
                    entry = self.index.entry(int(entry_id))
                    if (
                        entry.derived != "romaji"
                        or entry.kind == "term"
                        or entry.index in seen
                        or not any(is_katakana(c) for c in entry.source)
                    ):
                        continue
                    seen.add(entry.index)
                    read = dataclasses.replace(entry, lexical="proper")
                    out.append(Match(read, span, word, "translation", self.name))
        return out
