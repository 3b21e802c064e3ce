"""Automata kept with the index: same answers as ahocorasick-rs, and they pickle."""

from __future__ import annotations

import gc
import pickle
import random

import ahocorasick_rs
import pytest

from kyodaku.screen.automata import KeyAutomaton, build_key_automaton
from kyodaku.screen.engine import Screener
from kyodaku.screen.index_cache import paused_gc
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import views_of

from .support import invented_registry, shared_index

KEYS = ["he", "she", "his", "hers", "ズバルー", "バル", "ル", "😀x", "x😀x", "a", "aa", "aaa"]


def reference(keys: list[str], text: str) -> list[tuple[int, int, int]]:
    automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)
    return automaton.find_matches_as_indexes(text, overlapping=True)


def test_same_matches_in_the_same_order_as_ahocorasick_rs() -> None:
    automaton = KeyAutomaton(KEYS)
    rng = random.Random(5)
    pieces = [*KEYS, " ", "h", "e", "r", "s", "😀", "ズ", "aaaa"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert automaton.find_matches_as_indexes(text, overlapping=True) == reference(KEYS, text)


def test_it_pickles_and_answers_the_same() -> None:
    automaton = KeyAutomaton(KEYS)
    loaded = pickle.loads(pickle.dumps(automaton, protocol=pickle.HIGHEST_PROTOCOL))
    text = "ushers 😀x😀x ズバルーのバル aaaa"
    assert loaded.find_matches_as_indexes(text, overlapping=True) == reference(KEYS, text)
    assert len(loaded) == len(KEYS)


def test_bad_key_lists_are_refused() -> None:
    assert build_key_automaton([]) is None
    with pytest.raises(ValueError):
        KeyAutomaton(["a", "a"])
    with pytest.raises(ValueError):
        KeyAutomaton(["a", ""])
    with pytest.raises(NotImplementedError):
        KeyAutomaton(["a"]).find_matches_as_indexes("a")


def test_the_screener_uses_the_index_automata_and_finds_what_names_finds() -> None:
    index = shared_index()
    screener = Screener(invented_registry(), index)
    assert screener.names.latin_automaton is index.latin_automaton
    rebuilt = NameRecogniser(index)  # ahocorasick-rs over the same keys
    found = 0
    for prompt in (
        "Zubaru and Captain Rinoka over the Moonblade Order",
        "ズバルーが走る、星村リノカ と かげまる",
        "Z u b a r u, Zub4ru, 즈바루가 달린다, Tenpesuto roars",
        "库巴 and nothing else",
    ):
        views = views_of(prompt)
        assert screener.names.matches(views) == rebuilt.matches(views)
        found += len(rebuilt.matches(views))
    assert found >= 8


def test_the_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_a_pause_that_leaves_many_objects_collects_them_once(monkeypatch) -> None:
    import weakref

    from kyodaku.screen import index_cache

    class Node:
        pass

    monkeypatch.setattr(index_cache, "SETTLE_AFTER_OBJECTS", 10)
    with paused_gc():
        assert not gc.isenabled()
        kept = [[i] for i in range(100)]  # new objects: the pause settles them
        cycle = Node()
        cycle.self = cycle  # type: ignore[attr-defined]
        gone = weakref.ref(cycle)
        del cycle
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gone() is None  # the garbage cycle made during the pause was collected
    assert len(kept) == 100


def test_the_index_holds_the_word_lists_the_recognisers_ask_for() -> None:
    from kyodaku.screen import short_forms, transliteration
    from kyodaku.screen.wordlists import WORD_LISTS, common_words, common_words_of

    index = shared_index()
    assert ("zh", transliteration.COMMON_WORD_ZIPF) in WORD_LISTS
    assert ("ja", short_forms.COMMON_WORD_ZIPF) in WORD_LISTS
    for lang, zipf in WORD_LISTS:
        held = common_words_of(index, lang, zipf)
        assert held is index.word_lists[(lang, zipf)] and held == common_words(lang, zipf)
    assert "大发" in index.word_lists[("zh", transliteration.COMMON_WORD_ZIPF)]
    assert common_words_of(index, "ja", 9.0) == common_words("ja", 9.0)  # not held: read
