"""Exact names in every normalised view: one Aho–Corasick pass per view.

Every registered name, alias, title and term, with its readings, is keyed
in the Latin or the CJK view (:mod:`kyodaku.screen.index`); the prompt's
views are scanned once each with ahocorasick-rs, overlapping matches
included. A Latin match must start and end on a word boundary. Scripts
without spaces get the nearest thing: a katakana name must not sit inside a
longer katakana word (キラ in キラキラ), a hiragana reading must not sit
inside running hiragana unless a particle or honorific follows (ねずこちゃん),
and a Hangul name must start a word.
"""

from __future__ import annotations

import re

import ahocorasick_rs

from kyodaku.screen.index import CompiledIndex, NameEntry
from kyodaku.screen.matches import Match
from kyodaku.screen.normalise import (
    PromptViews,
    fine_key,
    fold,
    is_hangul,
    is_hiragana,
    is_katakana,
    plain_key,
    views_of,
)
from kyodaku.screen.types import Evidence, ScreeningError, Span

#: Raw automaton hits allowed per view before the prompt is refused: real
#: prompts produce dozens; only crafted input produces more.
MAX_RAW_MATCHES = 200_000

_PARTICLES = ("ちゃん", "くん", "さん", "さま", "たち", "って", "が", "の", "は", "を", "に", "と",
              "も", "へ", "で", "や", "か", "よ", "ね")  # fmt: skip
_WORD_SPLIT = re.compile(r"[^\w]+|_", re.UNICODE)


def build_automaton(keys: list[str]) -> ahocorasick_rs.AhoCorasick | None:
    """One automaton over unique keys; None for an empty registry."""
    if not keys:
        return None
    return ahocorasick_rs.AhoCorasick(
        keys,
        matchkind=ahocorasick_rs.MatchKind.Standard,
        implementation=ahocorasick_rs.Implementation.NoncontiguousNFA,
    )


class NameRecogniser:
    """Registered names (and their readings) wherever they appear in a view."""

    name = "names"

    def __init__(self, index: CompiledIndex) -> None:
        self.index = index
        self._latin = build_automaton(index.latin_keys)
        self._cjk = build_automaton(index.cjk_keys)

    @property
    def latin_automaton(self) -> ahocorasick_rs.AhoCorasick | None:
        """The automaton over the index's Latin keys (shared with the transliterator)."""
        return self._latin

    def find(self, prompt: str) -> list[Evidence]:
        return [m.evidence(1.0) for m in self.matches(views_of(prompt))]

    def matches(self, views: PromptViews) -> list[Match]:
        found: dict[tuple[int, int, int], Match] = {}
        for match in self._latin_matches(views):
            _keep_best(found, match)
        for match in self._cjk_matches(views):
            _keep_best(found, match)
        return list(found.values())

    # -- Latin view ------------------------------------------------------------
    def _latin_matches(self, views: PromptViews) -> list[Match]:
        if self._latin is None or not views.latin.text:
            return []
        view = views.latin
        raw = self._latin.find_matches_as_indexes(view.text, overlapping=True)
        if len(raw) > MAX_RAW_MATCHES:
            raise ScreeningError("prompt_too_complex", "prompt matches too many names to screen")
        out = []
        for key_id, start, end in raw:
            if not view.at_boundaries(start, end):
                continue
            span = view.span(start, end)
            surface = span.text(views.prompt)
            for entry_id in self.index.latin_entries_of(key_id):
                entry = self.index.entry(int(entry_id))
                out.append(Match(entry, span, surface, latin_mode(entry, surface), "names"))
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
            if not cjk_boundaries_ok(views.prompt, span):
                continue
            surface = span.text(views.prompt)
            for entry_id in self.index.cjk_entries_of(key_id):
                entry = self.index.entry(int(entry_id))
                if entry.derived == "gloss":
                    mode = "translation"
                else:
                    exact = entry.derived != "kana" and _squash(surface) == _squash(entry.form)
                    mode = "exact" if exact else "reading"
                out.append(Match(entry, span, surface, mode, "names"))
        return out


def _keep_best(found: dict[tuple[int, int, int], Match], match: Match) -> None:
    key = (match.entry.index, match.span.start, match.span.end)
    if key not in found:
        found[key] = match


def _squash(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def latin_mode(entry: NameEntry, surface: str) -> str:
    """How the typed surface relates to the entry's registered form."""
    if any(is_hangul(c) for c in surface) and not any(is_hangul(c) for c in entry.form):
        return "transliteration"
    reading = entry.derived in ("romaji", "pinyin", "hangul", "kana")
    if plain_key(surface) == plain_key(entry.form):
        if _spaced_out(surface, entry.form):
            return "obfuscated"
        return "reading" if reading else "exact"
    if fine_key(surface) == fine_key(entry.form):
        return "obfuscated"
    return "phonetic"


def _spaced_out(surface: str, form: str) -> bool:
    """More words typed than registered: letters spelt out one by one."""
    typed = [w for w in _WORD_SPLIT.split(surface) if w]
    registered = [w for w in _WORD_SPLIT.split(form) if w]
    return len(typed) > len(registered)


def cjk_boundaries_ok(prompt: str, span: Span) -> bool:
    """Word-boundary substitutes for scripts written without spaces."""
    first, last = prompt[span.start], prompt[span.end - 1]
    before = prompt[span.start - 1] if span.start > 0 else ""
    after = prompt[span.end] if span.end < len(prompt) else ""
    if is_katakana(first) and before and (is_katakana(before) or before == "ー"):
        return False
    if (is_katakana(last) or last == "ー") and after and (is_katakana(after) or after == "ー"):
        return False
    if is_hiragana(first) and before and is_hiragana(before):
        return False
    if is_hiragana(last) and after and is_hiragana(after):
        return prompt.startswith(_PARTICLES, span.end)
    return not (is_hangul(first) and before and is_hangul(before))
