"""Near misses, found through the deletion index rather than by brute force."""

from __future__ import annotations

from kyodaku.screen.fuzzy import FuzzyRecogniser, FuzzyTable, allowed_distance, deletions, windows
from kyodaku.screen.normalise import latin_view, views_of

from .support import shared_index


def test_deletions() -> None:
    assert deletions("abc") == {"abc", "bc", "ac", "ab"}


def test_table_finds_keys_one_edit_away_only() -> None:
    keys = ["zubaru", "rinoka", "velloria"]
    table = FuzzyTable.build(keys, [0, 1, 2])
    assert 0 in table.candidates("zubaro")  # substitution
    assert 0 in table.candidates("zbaru")  # deletion
    assert 0 in table.candidates("zuubaru")  # insertion
    assert 0 in table.candidates("zuabru")  # transposition
    assert table.candidates("kitchen") == set()


def test_allowed_distance_scales_with_length() -> None:
    assert allowed_distance(4) == 0
    assert allowed_distance(6) == 1
    assert allowed_distance(12) == 2


def test_windows_are_whole_words() -> None:
    view = latin_view("belts out a song")
    spans = {(s, e) for s, e, _ in windows(view)}
    for start, end in spans:
        assert start in view.boundaries and end in view.boundaries


def test_misspellings_are_found() -> None:
    fuzzy = FuzzyRecogniser(shared_index())
    for prompt, asset in [
        ("Zubaro running", "c-zubaru"),
        ("Velloria Qiunt at the inn", "c-velloria"),
        ("Rinokka Hoshimora on deck", "c-rinoka"),
    ]:
        matches = fuzzy.matches(views_of(prompt))
        assert asset in {m.asset_id for m in matches}, prompt


def test_plain_dictionary_words_are_not_misspelt_names() -> None:
    fuzzy = FuzzyRecogniser(shared_index())
    assert fuzzy.matches(views_of("a tempest and a temple and a velvet robe")) == []
