"""Foreign names written in Hangul by their sound: 그로밋 for Gromit, 아스테릭스 for Asterix.

Korean gives every consonant of a foreign word a vowel of its own, the
plain ㅡ (eu): "Gromit" is 그로밋 (geu-ro-mit), "Asterix" 아스테릭스
(a-seu-te-rik-seu). A registry lists a character's Korean name only where
it knows one. Read back with those added vowels dropped and the final
consonants as English has them ("gromit", "asteriks"), a Korean word keys
(:func:`~kyodaku.screen.normalise.latin_key`) like the registered Latin
name, and is looked up among the index's Latin keys.

Only whole Korean words count (a noun before its particles: 그로밋이,
:func:`~kyodaku.screen.cjk_boundaries.korean_ending`), and only where a
dropped vowel made the difference: words read as they are written are the
name recogniser's. The evidence is a transliteration, scored as one.
Pure: no I/O.
"""

from __future__ import annotations

import re

from kyodaku.screen.automata import KeyAutomaton
from kyodaku.screen.cjk_boundaries import korean_ending
from kyodaku.screen.index import CompiledIndex
from kyodaku.screen.matches import Match
from kyodaku.screen.normalise import PromptViews, latin_key
from kyodaku.screen.types import Span

#: Shortest Latin key compared (three letters match too much at random).
MIN_KEY = 4
#: Longest Hangul word read (a name and its particles).
MAX_WORD = 24
_HANGUL_WORD = re.compile("[\uac00-\ud7a3]{2,}")

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")  # fmt: skip
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip
#: Final consonants as a loanword has them: 밋 is "mit", 릭 "rik".
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip
_EU = _VOWELS.index("eu")
_SILENT_INITIAL = 11  # ㅇ


def english_reading(word: str) -> tuple[str, bool]:
    """The Latin letters a Hangul word stands for, and whether an added ㅡ was dropped."""
    out: list[str] = []
    dropped = False
    for syllable in word:
        code = ord(syllable) - 0xAC00
        initial, vowel, final = code // 588, (code % 588) // 28, code % 28
        if vowel == _EU and final == 0 and initial != _SILENT_INITIAL:
            out.append(_INITIALS[initial])  # 그 of 그로밋: a consonant and no vowel
            dropped = True
        else:
            out.append(_INITIALS[initial] + _VOWELS[vowel] + _FINALS[final])
    return "".join(out), dropped


class HangulLoanwordRecogniser:
    """Korean words read back into the Latin names they render by sound."""

    name = "transliteration"

    def __init__(self, index: CompiledIndex, automaton: KeyAutomaton | None) -> None:
        self.index = index
        self._automaton = automaton

    def matches(self, views: PromptViews, taken: list[Match] | None = None) -> list[Match]:
        prompt = views.prompt
        if self._automaton is None or not views.latin.text:
            return []
        covered = [(m.span.start, m.span.end) for m in taken or ()]
        out: list[Match] = []
        for found in _HANGUL_WORD.finditer(prompt):
            word, offset = found.group(), found.start()
            if len(word) > MAX_WORD or (found.start() > 0 and prompt[found.start() - 1].isalnum()):
                continue  # no name runs that long; a word glued to letters is no name
            for end in range(len(word), 1, -1):  # the longest noun before its particles
                if end < len(word) and not korean_ending(word[end:]):
                    continue
                reading, dropped = english_reading(word[:end])
                if not dropped:
                    continue
                # x is written ks (아스테릭스, "Asterix")
                keys = {latin_key(reading), latin_key(reading.replace("ks", "x"))}
                ids = [self._automaton.key_id(k) for k in sorted(keys) if len(k) >= MIN_KEY]
                key_id = next((i for i in ids if i is not None), None)
                if key_id is None:
                    continue
                span = Span(offset, offset + end)
                if any(s <= span.start and span.end <= e for s, e in covered):
                    break
                out.extend(self._entries(key_id, span, span.text(prompt)))
                break
        return out

    def _entries(self, key_id: int, span: Span, surface: str) -> list[Match]:
        """Registered Latin names (not readings, parts or terms) keyed ``key_id``."""
        out: list[Match] = []
        for entry_id in self.index.latin_entries_of(key_id):
            entry = self.index.entry(int(entry_id))
            if entry.derived in ("", "reversed") and entry.kind in ("name", "alias", "title"):
                out.append(Match(entry, span, surface, "transliteration", self.name))
        return out
