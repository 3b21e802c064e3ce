"""Exact names in every normalised view: one Aho–Corasick pass per view.

Every registered name, alias, title and term, with its readings, is keyed
in the Latin or the CJK view (:mod:`kyodaku.screen.index`); the prompt's
views are scanned once each (:mod:`kyodaku.screen.automata`), overlapping matches
included. A Latin match must start and end on a word boundary. Scripts
without spaces get the nearest thing: a katakana name must not sit inside a
longer katakana word (キラ in キラキラ), a hiragana reading must not sit
inside running hiragana unless a particle or honorific follows (ねずこちゃん),
a Hangul name must be a word of its own before its particles (지지 is not in
지지하는), a Han name must not be cut out of a longer dictionary word (超人
is not in 超人气) nor name a place (埼玉県): :mod:`kyodaku.screen.cjk_boundaries`.
Matches set aside by those rules are kept, with the reason, by
:meth:`NameRecogniser.screened_matches`.
"""

from __future__ import annotations

import re
import unicodedata

from kyodaku.screen.automata import KeyAutomaton
from kyodaku.screen.cjk_boundaries import BoundaryProblem, boundary_problem
from kyodaku.screen.index import CompiledIndex, NameEntry
from kyodaku.screen.languages import prompt_languages
from kyodaku.screen.matches import MIN_SOUND_ALIKE_LIKENESS, Match, plural_refused, spelt_alike
from kyodaku.screen.normalise import (
    PromptViews,
    View,
    fine_key,
    fold,
    is_cjk,
    is_cyrillic,
    is_cyrillic_word,
    is_hangul,
    is_hiragana,
    is_katakana,
    latin_view,
    plain_key,
    views_of,
)
from kyodaku.screen.types import Evidence, ScreeningError, Span
from kyodaku.screen.wordlists import EVERYDAY_ZIPF, common_words_of

#: Shortest sound key on which a differently spelt word counts as the name:
#: three letters of sound match too many short words.
MIN_PHONETIC_KEY = 4
#: Fewest Hangul syllables compared with the romanised reading of a name in
#: another script (Korean writes Japanese names by their sound).
MIN_HANGUL_TO_READING = 3
#: Zipf frequency from which a Hangul word is an everyday Korean word, not a
#: foreign name written by its sound: 사이 ("between", 5.4) is no "Sai",
#: while 조지 (George, 4.75) stays a name.
KOREAN_WORD_ZIPF = 5.0
#: Raw automaton hits allowed per view before the prompt is refused: real
#: prompts produce dozens; only crafted input produces more.
MAX_RAW_MATCHES = 200_000

_WORD_SPLIT = re.compile(r"[^\w]+|_", re.UNICODE)
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30faー]+")
#: "1" or "|" against a letter: leet for "l" as often as for "i" ("Hu1k", "Ze1da").
_L_LEET = re.compile(r"(?<=[^\W\d_])[1|]|[1|](?=[^\W\d_])")


class NameRecogniser:
    """Registered names (and their readings) wherever they appear in a view."""

    name = "names"

    def __init__(self, index: CompiledIndex) -> None:
        self.index = index
        # Compiled with the index and loaded from its disk cache with it:
        # building them at every start took over a second on a large registry.
        self._latin = index.latin_automaton
        self._cjk = index.cjk_automaton
        self._korean_words = common_words_of(index, "ko", KOREAN_WORD_ZIPF)

    @property
    def latin_automaton(self) -> KeyAutomaton | None:
        """The automaton over the index's Latin keys (shared with the transliterator)."""
        return self._latin

    def find(self, prompt: str) -> list[Evidence]:
        return [m.evidence(1.0) for m in self.matches(views_of(prompt))]

    def matches(self, views: PromptViews) -> list[Match]:
        return self.screened_matches(views)[0]

    def screened_matches(
        self, views: PromptViews
    ) -> tuple[list[Match], list[tuple[Match, BoundaryProblem]]]:
        """(matches, matches set aside as inside a longer CJK word or a place name).

        A match whose span holds CJK or Hangul characters is tested by
        :func:`~kyodaku.screen.cjk_boundaries.boundary_problem`; a neighbour
        that belongs to another registered form found around the name (a
        longer full name, a registered katakana compound) is no objection.
        """
        raw = self._latin_matches(views) + self._cjk_matches(views) + self._short_katakana(views)
        prompt = views.prompt
        people = self.index.personal_names
        problems: dict[tuple[int, int], BoundaryProblem | None] = {}
        for match in raw:
            key = (match.span.start, match.span.end)
            if key not in problems and _has_cjk(match.surface):
                problems[key] = boundary_problem(prompt, match.span, (), people)
        if any(problems.values()):
            passed = [k for k, p in problems.items() if p is None]
            passed += [(m.span.start, m.span.end) for m in raw if not _has_cjk(m.surface)]
            for key, problem in problems.items():
                if problem is not None:
                    problems[key] = boundary_problem(prompt, Span(*key), passed, people)
        found: dict[tuple[int, int, int], Match] = {}
        rejected: dict[tuple[int, int, int], tuple[Match, BoundaryProblem]] = {}
        for match in raw:
            problem = problems.get((match.span.start, match.span.end))
            if problem is None:
                _keep_best(found, match)
            else:
                rejected.setdefault(_key(match), (match, problem))
        return list(found.values()), list(rejected.values())

    # -- Latin view ------------------------------------------------------------
    def _latin_matches(self, views: PromptViews) -> list[Match]:
        if self._latin is None or not views.latin.text:
            return []
        out = self._view_matches(views.latin, views.prompt)
        if _L_LEET.search(views.prompt):
            # The views read "1" as "i" ("P1kachu"); read it as "l" too ("Hu1k").
            as_l = _L_LEET.sub("l", views.prompt)  # same length: offsets hold
            read = [i for i, (a, b) in enumerate(zip(views.prompt, as_l, strict=True)) if a != b]
            for match in self._view_matches(latin_view(as_l), views.prompt, as_l):
                if any(match.span.start <= i < match.span.end for i in read):
                    out.append(match)
        return out

    def _view_matches(self, view: View, prompt: str, read_as: str | None = None) -> list[Match]:
        """Registered keys in one Latin view; ``read_as`` is the prompt it was built from.

        A view of the prompt with a leet digit read another way (``read_as``)
        judges the spelling on that reading, and a match there is leet:
        obfuscated, not exact.
        """
        assert self._latin is not None  # callers check
        raw = self._latin.find_matches_as_indexes(view.text, overlapping=True)
        if len(raw) > MAX_RAW_MATCHES:
            raise ScreeningError("prompt_too_complex", "prompt matches too many names to screen")
        out = []
        for key_id, start, end in raw:
            plural = False
            if not view.at_boundaries(start, end):
                plural = _plural_end(view, prompt, start, end)
                if not plural:
                    continue
                end += 1
            span = view.span(start, end)
            surface = span.text(prompt)
            for entry_id in self.index.latin_entries_of(key_id):
                entry = self.index.entry(int(entry_id))
                if plural and plural_refused(entry, surface):
                    continue  # "Finns" are people of Finland
                if plural:
                    mode = latin_mode(entry, surface[:-1])  # the name as typed, then its s
                elif read_as is None:
                    mode = latin_mode(entry, surface)
                else:
                    mode = latin_mode(entry, span.text(read_as))
                    mode = "obfuscated" if mode in ("exact", "reading") else mode
                if (
                    mode == "phonetic"
                    and end - start < MIN_PHONETIC_KEY
                    and not _doubled_letters_only(surface, entry.form)
                ):
                    continue  # "les" sounds like "Rex" to a three-letter key; "Gruu" is "Gru"
                if mode == "transliteration" and (
                    (
                        entry.derived in ("romaji", "pinyin")
                        and sum(map(is_hangul, surface)) < MIN_HANGUL_TO_READING
                    )
                    or surface in self._korean_words
                ):
                    continue  # 리바이 reads as リヴァイ; 파도 ~ バート is chance; 사이 is "between"
                if mode == "phonetic" and self._local_word(prompt, surface):
                    continue  # "einem roten Ballon": a German balloon, whatever it sounds like
                romaji = entry.derived == "romaji"
                likeness = MIN_READING_LIKENESS if romaji else MIN_SOUND_ALIKE_LIKENESS
                if mode == "phonetic" and not spelt_alike(surface, entry.form, likeness):
                    # "Pisa" keys like "bittsaa" (ビッツァー), "Meiji" like "Mercy", but
                    # nobody spells them so
                    continue
                out.append(Match(entry, span, surface, mode, "names"))
        return out

    def _local_word(self, prompt: str, surface: str) -> bool:
        """Whether ``surface`` is an everyday word of the (non-English) language of ``prompt``."""
        word = surface.lower()
        return any(
            word in common_words_of(self.index, lang, EVERYDAY_ZIPF)
            for lang in prompt_languages(prompt)
        )

    # -- katakana names too short for the CJK view ----------------------------
    def _short_katakana(self, views: PromptViews) -> list[Match]:
        """ポー, ブー: a whole katakana word of the prompt that is such a name.

        The CJK view folds them to one kana, so they are looked up word by
        word in the folded prompt (NFKC: ﾎﾟｰ is ポー); a whole word only, so
        ポーズ ("pose") is no ポー.
        """
        names = self.index.short_katakana
        if not names or not views.cjk.text:
            return []
        folded = views.folded
        out = []
        for found in _KATAKANA_WORD.finditer(folded.text):
            for entry_id in names.get(found.group(), ()):
                entry = self.index.entry(int(entry_id))
                span = folded.span(found.start(), found.end())
                surface = span.text(views.prompt)
                mode = "exact" if surface == entry.form else "obfuscated"
                out.append(Match(entry, span, surface, mode, "names"))
        return out

    # -- CJK view --------------------------------------------------------------
    def _cjk_matches(self, views: PromptViews) -> list[Match]:
        if self._cjk is None or not views.cjk.text:
            return []
        view = views.cjk
        raw = self._cjk.find_matches_as_indexes(view.text, overlapping=True)
        if len(raw) > MAX_RAW_MATCHES:
            raise ScreeningError("prompt_too_complex", "prompt matches too many names to screen")
        out = []
        for key_id, start, end in raw:
            span = view.span(start, end)
            surface = span.text(views.prompt)
            entries = [self.index.entry(int(i)) for i in self.index.cjk_entries_of(key_id)]
            in_hiragana = all(is_hiragana(c) or c == "ー" for c in surface)
            # A katakana name whose hiragana spelling is a word (ヨル, よる "night"):
            # typed in hiragana it is that word; typed in katakana, the name.
            as_word = {e.asset_id for e in entries if _katakana_name_word(e)}
            for entry in entries:
                if _katakana_name_word(entry) and not in_hiragana:
                    continue
                if in_hiragana and entry.derived == "" and entry.asset_id in as_word:
                    continue
                if entry.derived == "gloss":
                    mode = "translation"
                elif entry.derived == "kana" and entry.lexical == "ordinary":
                    mode = "exact"  # the reading is an everyday word typed as such (なるほど)
                else:
                    exact = entry.derived != "kana" and _squash(surface) == _squash(entry.form)
                    mode = "exact" if exact else "reading"
                    if exact and _spaced_out_cjk(surface, entry.form):
                        mode = "obfuscated"  # 프 론 트 맨: nobody spaces out a word so
                out.append(Match(entry, span, surface, mode, "names"))
        return out


def _spaced_out_cjk(surface: str, form: str) -> bool:
    """Separators typed between the characters of a CJK name that has none there."""
    letters = [c for c in surface if not c.isspace() and c not in _CJK_SPACERS]
    gaps = len(surface) - len(letters)
    registered_gaps = sum(1 for c in form if c.isspace() or c in _CJK_SPACERS)
    return len(letters) >= 2 and gaps >= len(letters) - 1 and gaps > registered_gaps


#: Marks typed between the characters of a spaced-out CJK name.
_CJK_SPACERS = frozenset("・･.-_·*")


def _katakana_name_word(entry: NameEntry) -> bool:
    """The hiragana word a katakana name is spelt as (よる for ヨル; kyodaku.screen.index)."""
    return (
        entry.derived == "kana"
        and entry.lexical == "ordinary"
        and all(is_katakana(c) or c == "ー" for c in entry.source)
    )


def _plural_end(view: View, prompt: str, start: int, end: int) -> bool:
    """Whether the word at ``[start, end)`` goes on only with a plural s ("Inklings")."""
    return (
        start in view.boundaries
        and end + 1 in view.boundaries
        and end < len(view.text)
        and view.text[end] == "s"
        and prompt[view.starts[end] : view.ends[end]] in ("s", "S")
    )


def _key(match: Match) -> tuple[int, int, int]:
    return (match.entry.index, match.span.start, match.span.end)


def _keep_best(found: dict[tuple[int, int, int], Match], match: Match) -> None:
    key = _key(match)
    if key not in found:
        found[key] = match


def _has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)


def _squash(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def latin_mode(entry: NameEntry, surface: str) -> str:
    """How the typed surface relates to the entry's registered form."""
    if any(is_hangul(c) for c in surface) and not any(is_hangul(c) for c in entry.form):
        return "transliteration"
    if is_cyrillic_word(_squash(surface)) and not any(is_cyrillic(c) for c in entry.form):
        return "transliteration"  # Хацунэ Мику
    reading = entry.derived in ("romaji", "pinyin", "hangul", "kana")
    if plain_key(surface) == plain_key(entry.form):
        if _spaced_out(surface, entry.form) or _compatibility_forms(surface, entry.form):
            return "obfuscated"
        return "reading" if reading else "exact"
    if fine_key(surface) == fine_key(entry.form):
        return "obfuscated"
    if _MACRONS.search(surface) and any(
        plain_key(spelling) == plain_key(entry.form) for spelling in _long_vowels_spelt(surface)
    ):
        return "reading"  # "Batō" is "Batou" with its long vowel marked
    return "phonetic"


_MACRONS = re.compile("[āīūēōĀĪŪĒŌ]")
_LONG_VOWELS = {"ā": ("aa",), "ī": ("ii",), "ū": ("uu",), "ē": ("ei", "ee"), "ō": ("ou", "oo")}


def _long_vowels_spelt(surface: str) -> list[str]:
    """``surface`` with each macron written out as Hepburn's long vowels are ("ō": ou, oo)."""
    spellings = [surface.lower()]
    for mark, written in _LONG_VOWELS.items():
        if mark in spellings[0]:
            spellings = [s.replace(mark, w) for s in spellings for w in written]
    return spellings


#: Share of letters a Latin word must have in common, in order, with a
#: romaji reading it only sounds like: "Pikachoo" for "pikachuu" (0.75).
MIN_READING_LIKENESS = 0.6


def _spaced_out(surface: str, form: str) -> bool:
    """More words typed than registered: letters spelt out one by one."""
    typed = [w for w in _WORD_SPLIT.split(surface) if w]
    registered = [w for w in _WORD_SPLIT.split(form) if w]
    return len(typed) > len(registered)


def _doubled_letters_only(surface: str, form: str) -> bool:
    """Whether the two spell the same letters but for doubled ones ("Gruu", "Gru")."""
    return _DOUBLED.sub(r"\1", fine_key(surface)) == _DOUBLED.sub(r"\1", fine_key(form))


_DOUBLED = re.compile(r"(.)\1+")


def _compatibility_forms(surface: str, form: str) -> bool:
    """Full-width letters, ligatures or circled letters where the registered form has none.

    Nobody types "Ｓｎｏｏｐｙ" for the English word: like leet, such forms
    are chosen to slip past a filter.
    """
    return unicodedata.normalize("NFKC", surface) != surface and (
        unicodedata.normalize("NFKC", form) == form
    )


def cjk_boundaries_ok(prompt: str, span: Span) -> bool:
    """Word-boundary substitutes for scripts written without spaces.

    True when :func:`~kyodaku.screen.cjk_boundaries.boundary_problem` finds
    nothing wrong with the span (no registered forms around it considered).
    """
    return boundary_problem(prompt, span) is None
