"""Prohibited-context detection: does the prompt put its subject in gambling, politics...?

Licences prohibit contexts ("Goku for fan videos, but never with alcohol"), so a
missed context lets a violation through and an invented one refuses a creator
for nothing. Detection is a lexicon of cues (:mod:`kyodaku.screen.context_lexicon`)
matched in one Aho–Corasick pass over a normalised view of the prompt, then
filtered by three cheap rules that remove the classic false positives:

* word boundaries for Latin-script cues ("ale" is not in "pale", "gin" not in "login");
* exclusions: a cue inside a longer phrase that means something else is dropped
  ("wine-red", "for the sake of", "killer whale", "Scotch tape", "smoking volcano");
* direct negation: "no blood", "alcohol-free", "非暴力", "アルコールなし".

Obfuscated cues ("c@sino", "s e x y", Cyrillic look-alikes) are caught by matching two
further views of the same text. Every view keeps, for each of its characters, the range
of original characters it came from, so spans always point into the original prompt
(full-width, half-width katakana and combining marks included).

The module is pure: the automaton is built once at import, and :func:`detect_contexts`
does no I/O.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick_rs

from kyodaku.registry.model import CONTEXTS
from kyodaku.screen.context_lexicon import LEXICONS, TIER_SCORES, expand
from kyodaku.screen.types import ContextHit, ScreeningError, Span

__all__ = ["detect_contexts", "normalised_view"]

# --- normalised view with offsets ----------------------------------------------------------

#: Characters that separate words the way a space does ("slot-machine", "pin-up", "ピカ・チュウ").
_SPACE_LIKE = frozenset("-_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fb\u00b7\u2027")
_QUOTES = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
}
_VARIATION_SELECTORS = range(0xFE00, 0xFE10)


@dataclass(frozen=True, slots=True)
class NormalisedView:
    """Text to match against, and for each of its characters the original range it came from."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def original_span(self, start: int, end: int) -> Span:
        return Span(self.starts[start], self.ends[end - 1])


def _fold(chunk: str) -> str:
    """NFKC + case folding + punctuation folding of one grapheme-ish cluster."""
    out = []
    for ch in unicodedata.normalize("NFKC", chunk).casefold():
        if ch in _SPACE_LIKE or ch.isspace():
            out.append(" ")
        elif ch in _QUOTES:
            out.append(_QUOTES[ch])
        elif unicodedata.category(ch) == "Cf" or ord(ch) in _VARIATION_SELECTORS:
            continue  # zero-width joiners, soft hyphens, bidi marks: invisible, so ignored
        else:
            out.append(ch)
    return "".join(out)


def _starts_combining(ch: str) -> bool:
    """True for characters that attach to the previous one (e.g. half-width ﾟ, U+0301)."""
    return unicodedata.combining(unicodedata.normalize("NFKC", ch)[:1] or " ") != 0


#: Per-character folds, memoised: prompts reuse a few thousand characters at most. Bounded
#: so that a hostile prompt cycling through all of Unicode cannot grow it without limit.
_FOLD_CACHE: dict[str, str] = {chr(c): _fold(chr(c)) for c in range(128)}
_FOLD_CACHE_LIMIT = 50_000
#: ASCII folds one character to one character, so a translation table does it in one call.
_ASCII_FOLD = str.maketrans({chr(c): _FOLD_CACHE[chr(c)] for c in range(128)})
if any(len(folded) != 1 for folded in _FOLD_CACHE.values()):  # the fast path relies on it
    raise RuntimeError("ASCII folding must map each character to exactly one character")
#: Characters seen so far that attach to the previous one; prompts with any take the slow path.
_COMBINING: set[str] = set()


def _fold_char(ch: str) -> str:
    folded = _FOLD_CACHE.get(ch)
    if folded is None:
        folded = _fold(ch)
        if _starts_combining(ch):
            _COMBINING.add(ch)
        if len(_FOLD_CACHE) < _FOLD_CACHE_LIMIT:
            _FOLD_CACHE[ch] = folded
    return folded


def normalised_view(prompt: str) -> NormalisedView:
    """Lower-case NFKC view of ``prompt`` with separators folded to single spaces.

    Characters are folded one by one (memoised), except where combining marks
    follow: then a base character and its marks are folded together, so that
    half-width ``ﾋﾟ`` becomes ``ピ`` and still maps back to both original characters.
    """
    n = len(prompt)
    if prompt.isascii():
        text, pieces = prompt.translate(_ASCII_FOLD), None
    else:
        pieces = [_fold_char(ch) for ch in prompt]
        if not _COMBINING.isdisjoint(prompt):
            return _clustered_view(prompt)
        text = "".join(pieces)
    starts: Sequence[int]
    ends: Sequence[int]
    if pieces is None or (len(text) == n and "" not in pieces):  # one character for one
        starts, ends = range(n), range(1, n + 1)
    else:
        starts = [i for i, piece in enumerate(pieces) for _ in piece]
        ends = [i + 1 for i in starts]
    if "  " not in text and not text.startswith(" "):
        return NormalisedView(text, starts, ends)
    keep = [k for k, ch in enumerate(text) if ch != " " or (k > 0 and text[k - 1] != " ")]
    return NormalisedView(
        "".join(text[k] for k in keep), [starts[k] for k in keep], [ends[k] for k in keep]
    )


def _clustered_view(prompt: str) -> NormalisedView:
    """The slow path of :func:`normalised_view`, for prompts with combining marks."""
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(prompt)
    while i < n:
        j = i + 1
        while j < n and prompt[j] in _COMBINING:
            j += 1
        for ch in _fold(prompt[i:j]) if j > i + 1 else _fold_char(prompt[i]):
            if ch == " " and (not text or text[-1] == " "):
                continue  # collapse runs of separators; drop leading ones
            text.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return NormalisedView("".join(text), starts, ends)


# --- obfuscation views ------------------------------------------------------------------

#: Digits and symbols written for letters, and Cyrillic/Greek letters that look Latin.
#: Applied only inside tokens that also contain a Latin letter, so "4k", "35mm" and real
#: Russian or Greek words are left alone.
_LOOKALIKES = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "к": "k",
        "м": "m",
        "т": "t",
        "в": "b",
        "н": "h",
        "α": "a",
        "ο": "o",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "τ": "t",
        "ρ": "p",
        "ε": "e",
    }
)
_LOOKALIKE_SET = "0-9@$аеорсухіјѕкмтвнαοικντρε"
#: A token holding both a Latin letter and a look-alike: "c@sino", "b33r", "саsino".
#: (Lookaheads from each token start keep this linear; nested stars would backtrack.)
_MIXED_TOKEN = re.compile(rf"(?<![\w@$])(?=[\w@$]*[a-z])(?=[\w@$]*[{_LOOKALIKE_SET}])[\w@$]{{3,}}")
#: Three or more single characters separated by single separators: "s e x y", "c.a.s.i.n.o".
_SPACED_OUT = re.compile(r"(?<![^\W_])[^\W_](?:[ .*][^\W_]){2,}(?![^\W_])")


def _unmask_lookalikes(view: NormalisedView) -> NormalisedView | None:
    if _MIXED_TOKEN.search(view.text) is None:
        return None
    text = _MIXED_TOKEN.sub(lambda m: m.group().translate(_LOOKALIKES), view.text)
    return None if text == view.text else NormalisedView(text, view.starts, view.ends)


def _join_spaced_letters(view: NormalisedView, keep_article: bool) -> NormalisedView | None:
    """Close up letters written apart ("s e x y" → "sexy").

    With ``keep_article`` a run that opens with "a" or "i" keeps that letter apart,
    since it is more likely the article or pronoun ("a s e x y pose") than the first
    letter of the hidden word ("a l c o h o l", which the other variant catches).
    """
    drop: set[int] = set()
    for match in _SPACED_OUT.finditer(view.text):
        first_gap = match.start() + 1
        if keep_article and view.text[match.start()] in "ai" and match.end() - first_gap > 4:
            first_gap += 2
        drop.update(range(first_gap, match.end(), 2))
    if not drop:
        return None
    keep = [k for k in range(len(view.text)) if k not in drop]
    return NormalisedView(
        "".join(view.text[k] for k in keep),
        [view.starts[k] for k in keep],
        [view.ends[k] for k in keep],
    )


# --- compiled lexicon ----------------------------------------------------------------------


def _is_word_char(ch: str) -> bool:
    """Latin, Greek, Cyrillic letters and digits: the scripts that separate words by spaces."""
    return ch.isalnum() and ord(ch) < 0x2E80


@dataclass(frozen=True, slots=True)
class _Rule:
    context: str
    score: float | None  # None: an exclusion, not a cue


@dataclass(frozen=True, slots=True)
class _Pattern:
    text: str
    bounded_left: bool
    bounded_right: bool
    latin: bool
    rules: tuple[_Rule, ...]


def _compile() -> tuple[ahocorasick_rs.AhoCorasick, tuple[_Pattern, ...]]:
    rules_by_text: dict[str, list[_Rule]] = {}
    for context, lexicon in LEXICONS.items():
        if context not in CONTEXTS:
            raise ValueError(f"context lexicon names an unknown context: {context!r}")
        entries = [(p, TIER_SCORES[t]) for t, ps in lexicon.tiers().items() for p in ps]
        entries += [(p, None) for p in lexicon.exclusions]
        for phrase, score in entries:
            for variant in expand(phrase):
                text = normalised_view(variant).text.strip()
                if not text:
                    raise ValueError(f"empty cue in the {context} lexicon: {phrase!r}")
                rule = _Rule(context, score)
                bucket = rules_by_text.setdefault(text, [])
                if all((r.context, r.score is None) != (context, score is None) for r in bucket):
                    bucket.append(rule)
    patterns = tuple(
        _Pattern(
            text=text,
            bounded_left=_is_word_char(text[0]),
            bounded_right=_is_word_char(text[-1]),
            latin=any(_is_word_char(c) for c in text),
            rules=tuple(rules),
        )
        for text, rules in rules_by_text.items()
    )
    automaton = ahocorasick_rs.AhoCorasick(
        [p.text for p in patterns], matchkind=ahocorasick_rs.MatchKind.Standard
    )
    return automaton, patterns


_AUTOMATON, _PATTERNS = _compile()

_NEGATED_BEFORE_LATIN = re.compile(r"(?:^|[^\w])(?:no|non|without|zero)\s?$")
_NEGATED_AFTER_LATIN = re.compile(r"^\s?free(?!\w)")
_NEGATED_BEFORE_CJK = ("ノン", "非", "无")
_NEGATED_AFTER_CJK = ("なし", "無し", "抜き", "禁止", "フリー", "ゼロ", "없는", "없이", " 없는")


def _negated(text: str, start: int, end: int, latin: bool) -> bool:
    before, after = text[max(0, start - 9) : start], text[end : end + 6]
    if latin:
        return bool(_NEGATED_BEFORE_LATIN.search(before) or _NEGATED_AFTER_LATIN.match(after))
    return before.endswith(_NEGATED_BEFORE_CJK) or after.startswith(_NEGATED_AFTER_CJK)


def _bounded(text: str, start: int, end: int, pattern: _Pattern) -> bool:
    if pattern.bounded_left and start > 0 and _is_word_char(text[start - 1]):
        return False
    return not (pattern.bounded_right and end < len(text) and _is_word_char(text[end]))


class _Coverage:
    """Answers "does any of these spans contain [start, end)?" in O(log n).

    Spans sorted by start, with the furthest end reached so far: the spans starting at or
    before ``start`` contain the range iff the furthest of their ends is at least ``end``.
    A hostile prompt repeating "for the sake of" thousands of times stays linear-ish.
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.reach = list(itertools.accumulate((e for _, e in spans), max))

    def covers(self, start: int, end: int) -> bool:
        k = bisect.bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end


def _hits_in_view(view: NormalisedView) -> list[tuple[str, float, int, int]]:
    """(context, score, start, end) of every cue that survives boundaries, exclusions, negation."""
    text = view.text
    cues: list[tuple[_Rule, _Pattern, int, int]] = []
    excluded: dict[str, list[tuple[int, int]]] = {}
    for index, start, end in _AUTOMATON.find_matches_as_indexes(text, overlapping=True):
        pattern = _PATTERNS[index]
        if not _bounded(text, start, end, pattern):
            continue
        for rule in pattern.rules:
            if rule.score is None:
                excluded.setdefault(rule.context, []).append((start, end))
            else:
                cues.append((rule, pattern, start, end))
    covers = {context: _Coverage(spans) for context, spans in excluded.items()}
    hits = []
    for rule, pattern, start, end in cues:
        coverage = covers.get(rule.context)
        if coverage is not None and coverage.covers(start, end):
            continue
        if _negated(text, start, end, pattern.latin):
            continue
        assert rule.score is not None
        hits.append((rule.context, rule.score, start, end))
    return hits


def _drop_nested(hits: list[ContextHit]) -> list[ContextHit]:
    """Within one context keep the longest cue: "sparkling wine", not also "wine".

    Sorted by (context, start, longest first), a hit lies inside an earlier one exactly
    when some earlier hit of its context reaches at least as far: one linear sweep.
    """
    kept: list[ContextHit] = []
    ordered = sorted(hits, key=lambda h: (h.context, _span(h).start, -_span(h).end))
    context, reach = None, -1
    for hit in ordered:
        if hit.context != context:
            context, reach = hit.context, -1
        if _span(hit).end <= reach:
            continue
        kept.append(hit)
        reach = _span(hit).end
    return kept


def _span(hit: ContextHit) -> Span:
    assert hit.span is not None  # every hit made here has one
    return hit.span


def detect_contexts(prompt: str) -> list[ContextHit]:
    """Every cue in ``prompt`` that puts its subject in a prohibited context.

    One :class:`ContextHit` per cue occurrence (the engine dedupes by context),
    ordered by position; spans index the original ``prompt``. Raises
    :class:`ScreeningError` if ``prompt`` is not text, so that a caller bug
    refuses rather than lets everything through.
    """
    if not isinstance(prompt, str):
        raise ScreeningError(
            "contexts.invalid_prompt",
            f"context detection needs the prompt as text, got {type(prompt).__name__}",
        )
    base = normalised_view(prompt)
    views = [base]
    unmasked = _unmask_lookalikes(base)
    if unmasked is not None:
        views.append(unmasked)
    for keep_article in (False, True):
        joined = _join_spaced_letters(unmasked or base, keep_article)
        if joined is not None and joined.text != views[-1].text:
            views.append(joined)

    best: dict[tuple[str, int, int], ContextHit] = {}
    for view in views:
        for context, score, start, end in _hits_in_view(view):
            span = view.original_span(start, end)
            key = (context, span.start, span.end)
            if key not in best or best[key].score < score:
                best[key] = ContextHit(context, span, prompt[span.start : span.end], score)
    hits = _drop_nested(list(best.values()))
    order = {c: k for k, c in enumerate(CONTEXTS)}
    hits.sort(key=lambda h: (_span(h).start, order[h.context], _span(h).end))
    return hits
