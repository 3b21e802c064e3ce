"""Aho–Corasick automata that are compiled once and kept with the index.

The screening index holds a few hundred thousand keys; building an automaton
over them takes over half a second per view, every time a process starts,
if the automaton cannot be saved (ahocorasick-rs objects do not pickle). A
:class:`KeyAutomaton` is built on pyahocorasick, whose automaton pickles to
a flat buffer and loads in a few hundredths of a second, so it is compiled
with the index and stored in the same cache file
(:mod:`kyodaku.screen.index_cache`).

It answers the one query the recognisers ask, with ahocorasick-rs's
signature and results: ``find_matches_as_indexes(text, overlapping=True)``
gives ``(key id, start, end)`` for every occurrence of every key, in code
points, ordered by end and then longest key first. Non-overlapping search is
not offered (no recogniser uses it).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import ahocorasick


class KeyAutomaton:
    """Every occurrence of any of ``keys`` in a text; key ids are positions in ``keys``."""

    __slots__ = ("_automaton", "_lengths")

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("an automaton needs at least one key")
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key_id, key in enumerate(keys):
            if not key:
                raise ValueError("keys must not be empty")
            if not automaton.add_word(key, key_id):
                raise ValueError(f"duplicate key {key!r}")
        automaton.make_automaton()
        self._automaton = automaton
        self._lengths = array("l", map(len, keys))

    def __len__(self) -> int:
        return len(self._lengths)

    def __getstate__(self) -> tuple[object, array]:
        return self._automaton, self._lengths

    def __setstate__(self, state: tuple[ahocorasick.Automaton, array]) -> None:
        self._automaton, self._lengths = state

    def key_id(self, key: str) -> int | None:
        """The id of ``key`` when it is one of the keys (an exact lookup in the trie)."""
        found = self._automaton.get(key, -1)
        return None if found < 0 else int(found)

    def find_matches_as_indexes(
        self, haystack: str, overlapping: bool = False
    ) -> list[tuple[int, int, int]]:
        """``(key id, start, end)`` of every occurrence, as ahocorasick-rs reports them."""
        if not overlapping:
            raise NotImplementedError("only overlapping search is supported")
        lengths = self._lengths
        return [
            (key_id, end + 1 - lengths[key_id], end + 1)
            for end, key_id in self._automaton.iter(haystack)
        ]


def build_key_automaton(keys: Sequence[str]) -> KeyAutomaton | None:
    """One automaton over unique keys; None when there are none."""
    return KeyAutomaton(keys) if keys else None
