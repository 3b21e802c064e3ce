"""Chinese phonetic transliterations of registered names (库巴 for クッパ, Kuppa).

Chinese writes a foreign name with characters chosen for their sound: 库巴
reads "kuba", which is how Bowser's Japanese name クッパ ("kuppa") sounds.
No table of such renderings exists for every character, but the sound can be
compared: each run of Han characters in a Chinese prompt is read in pinyin
(``pypinyin``), and every window of two to five syllables is brought into
the same coarse phonetic key as every registered Latin name and romaji
reading (:func:`latin_key`: b/p, doubled letters, long vowels merged, so
"kuba" and "kuppa" both key to "kupa") and looked up among the index's
Latin keys. A hit counts only where the key has at least :data:`MIN_KEY`
letters and the characters
neither hold nor straddle a common Chinese word (wordfreq's list: 大发 is
"big", 脾气 "temper"; a name rendered in sound stands apart), nor lie inside
a longer dictionary word, however rare (木须 in 木须肉, "moo shu pork": the
segmentation test of :mod:`kyodaku.screen.cjk_boundaries`).

Japanese prompts are left alone (their kanji are not read in pinyin), as are
Chinese runs already matched as registered names. The evidence is a
transliteration: weaker than a registered spelling, and scored as a pinyin
reading (see :mod:`kyodaku.screen.disambiguation`).
"""

from __future__ import annotations

import dataclasses
import re

from kyodaku.screen.automata import KeyAutomaton
from kyodaku.screen.cjk_boundaries import boundary_problem
from kyodaku.screen.index import CompiledIndex
from kyodaku.screen.matches import Match
from kyodaku.screen.normalise import PromptViews, latin_key
from kyodaku.screen.types import Span
from kyodaku.screen.wordlists import common_words, common_words_of

#: Shortest Latin key compared (three letters match too much at random).
MIN_KEY = 4
MIN_SYLLABLES = 2
MAX_SYLLABLES = 5
#: Characters at least this frequent as a Chinese word (Zipf scale) are that word.
COMMON_WORD_ZIPF = 3.5

_HAN_RUN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]{2,}")
_KANA = re.compile("[\u3041-\u30ff]")
#: Derivations whose keys a transliteration may meet: registered Latin
#: spellings and readings, not a word taken out of a longer name.
_COMPARABLE = frozenset(["", "reversed", "romaji", "pinyin", "hangul"])


def _common_chinese() -> frozenset[str]:
    return common_words("zh", COMMON_WORD_ZIPF)


#: Pinyin spellings of sounds that foreign names render otherwise: 洛 "luo"
#: and 多 "duo" stand for "ro" and "do".
_PINYIN_SOUNDS = (("uo", "o"),)


def _syllables(run: str) -> list[str]:
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(run)
    for written, sound in _PINYIN_SOUNDS:
        syllables = [s.replace(written, sound) for s in syllables]
    return syllables


def _inside_words(run: str, first: int, last: int, common: frozenset[str] | None = None) -> bool:
    """Whether characters ``run[first:last]`` belong to common Chinese words.

    A name rendered in sound stands apart from the words around it: the
    window must not be, or hold, a common word (大发 "big"), nor make one
    with the character before or after it (大发脾 + 气: 脾气 "temper").
    """
    if common is None:
        common = _common_chinese()
    window = run[first:last]
    for size in range(2, len(window) + 1):
        for start in range(len(window) - size + 1):
            if window[start : start + size] in common:
                return True
    before = run[first - 1 : first + 1] if first > 0 else ""
    after = run[last - 1 : last + 1] if last < len(run) else ""
    return before in common or after in common


def warm_up() -> None:
    """Load pypinyin's dictionaries now, not in a user's request.

    The common-word list comes with the compiled index (:mod:`kyodaku.screen.wordlists`).
    """
    _syllables("库巴")


class TransliterationRecogniser:
    """Han runs of a Chinese prompt read in pinyin against registered Latin keys."""

    name = "transliteration"

    def __init__(self, index: CompiledIndex, automaton: KeyAutomaton | None) -> None:
        self.index = index
        self._automaton = automaton
        self._common = common_words_of(index, "zh", COMMON_WORD_ZIPF)

    def matches(self, views: PromptViews, taken: list[Match] | None = None) -> list[Match]:
        prompt = views.prompt
        if self._automaton is None or not views.cjk.text or _KANA.search(prompt):
            return []
        covered = [(m.span.start, m.span.end) for m in taken or ()]
        out: list[Match] = []
        for run in _HAN_RUN.finditer(prompt):
            out.extend(self._run_matches(prompt, run.start(), run.group(), covered))
        return out

    def _run_matches(
        self, prompt: str, offset: int, run: str, covered: list[tuple[int, int]]
    ) -> list[Match]:
        syllables = _syllables(run)
        if len(syllables) != len(run):
            return []  # pypinyin kept something unreadable as is: no reliable alignment
        out: list[Match] = []
        # Each window of syllables is keyed on its own: the coarse key of a
        # name depends on its letters' neighbours ("xinmeier" keys to
        # "sinmer", but inside "xinmeierde" to "sinmete").
        for first in range(len(syllables)):
            for last in range(first + MIN_SYLLABLES, min(first + MAX_SYLLABLES, len(run)) + 1):
                key = latin_key("".join(syllables[first:last]))
                if len(key) < MIN_KEY:
                    continue
                key_id = self._automaton.key_id(key)  # type: ignore[union-attr]
                if key_id is None:
                    continue
                span = Span(offset + first, offset + last)
                if (
                    _inside_words(run, first, last, self._common)
                    or any(s <= span.start and span.end <= e for s, e in covered)
                    or boundary_problem(prompt, span) is not None
                ):
                    continue
                out.extend(self._entries(key_id, span, span.text(prompt)))
        return out

    def _entries(self, key_id: int, span: Span, surface: str) -> list[Match]:
        """The registered names and readings keyed ``key_id``, read as transliterations."""
        out: list[Match] = []
        for entry_id in self.index.latin_entries_of(key_id):
            entry = self.index.entry(int(entry_id))
            if entry.derived not in _COMPARABLE or entry.kind == "term":
                continue
            read = dataclasses.replace(entry, derived="pinyin")
            out.append(Match(read, span, surface, "transliteration", self.name))
        return out
