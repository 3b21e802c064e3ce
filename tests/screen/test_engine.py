"""The Screener end to end on an invented registry."""

from __future__ import annotations

import contextlib
import time

import pytest

from kyodaku.screen import Screener, ScreeningError, get_screener
from kyodaku.screen.index_cache import IndexCache

from .support import invented_registry, refs, shared_index, shared_screener


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Zubaru chasing fireflies in a meadow", {"c-zubaru"}),  # exact, English
        ("ズバルーが花火を見上げる", {"c-zubaru"}),  # exact, Japanese
        ("ずばる が こたつ で ねむる", {"c-zubaru"}),  # kana
        ("Tenpesutō over the bay", {"c-tempest"}),  # romaji with a long vowel
        ("Z.u.b.a.r.u and a kite", {"c-zubaru"}),  # obfuscated
        ("Rinokka Hoshimura at the helm", {"c-rinoka"}),  # misspelt
        ("즈바루가 달린다", {"c-zubaru"}),  # Korean
        ("a duel inside the Moonblade Order hall", {"w-starfall"}),  # work term
        ("Velloria Quint and Zubaru have tea", {"c-velloria", "c-zubaru"}),  # multi
        ("a golden retriever surfing at sunset", set()),  # negative
    ],
)
def test_screening(prompt: str, expected: set[str]) -> None:
    assert refs(prompt) == expected


def test_references_explain_themselves() -> None:
    result = shared_screener().screen("ad for our shop: Z u b a r u on a skateboard")
    (ref,) = result.references
    best = ref.best
    assert best is not None and best.span is not None
    assert best.span.text(result.prompt) == "Z u b a r u"
    assert best.recogniser == "names" and best.matched == "Zubaru"
    assert "disguised" in best.detail
    assert ref.asset_kind == "character" and ref.score >= 0.5


def test_discarded_evidence_is_kept() -> None:
    result = shared_screener().screen("Marco Rossi giving a lecture in Milan")
    assert result.references == ()
    assert any(e.asset_id == "c-marco" for e in result.discarded)


def test_prompts_over_the_limit_are_refused() -> None:
    screener = shared_screener()
    with pytest.raises(ScreeningError) as info:
        screener.screen("a" * (screener.max_prompt_length + 1))
    assert info.value.code == "prompt_too_long"
    with pytest.raises(ScreeningError):
        screener.screen(b"bytes")  # type: ignore[arg-type]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "hostile",
    [
        "Zubaru" + "\u0301" * 100_000,
        "Zu" + "\u200b" * 100_000 + "baru",
        ("Zubaru ズバルー 즈바루 Ζubaru Marco " * 3000),
        "a " * 50_000,
    ],
)
def test_hostile_input_is_bounded(hostile: str) -> None:
    screener = Screener(invented_registry(), shared_index(), max_prompt_length=2_000_000)
    started = time.perf_counter()
    with contextlib.suppress(ScreeningError):  # refusing is fine; hanging is not
        screener.screen(hostile)
    assert time.perf_counter() - started < 25


@pytest.mark.timeout(10)
def test_a_megabyte_prompt_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(ScreeningError):
        shared_screener().screen("x" * 1_000_000)
    assert time.perf_counter() - started < 1


def test_registry_changes_take_effect_without_restart(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KYODAKU_CACHE_DIR", str(tmp_path))
    first = get_screener(invented_registry(version=1))
    assert "c-rinoka" not in first.screen("the Sky Duchess waves").asset_ids
    changed = invented_registry(version=2, extra_alias="Sky Duchess")
    second = get_screener(changed)
    assert second is not first
    assert second.version == 2
    assert "c-rinoka" in second.screen("the Sky Duchess waves").asset_ids
    assert get_screener(changed) is second


def test_build_uses_the_cache(tmp_path) -> None:
    cache = IndexCache(tmp_path)
    screener = Screener.build(invented_registry(), cache=cache)
    assert screener.index is cache.get(invented_registry())


def test_translated_names_are_screened_only_with_dictionaries(monkeypatch) -> None:
    import kyodaku.screen.translated_names as translated
    from kyodaku.screen.engine import default_recognisers

    monkeypatch.setattr(translated, "available", lambda: False)
    assert translated.TranslatedNameRecogniser not in default_recognisers()
    monkeypatch.setattr(translated, "available", lambda: True)
    assert translated.TranslatedNameRecogniser in default_recognisers()


def test_a_name_inside_a_longer_word_is_kept_as_discarded_with_the_reason() -> None:
    result = shared_screener().screen("후보를 즈바루하는 시민들이 행진한다")
    assert "c-zubaru" not in result.asset_ids
    reasons = [e.detail for e in result.discarded if e.asset_id == "c-zubaru"]
    assert any("inside the longer hangul word" in r for r in reasons)


def test_screening_reads_no_word_lists(monkeypatch) -> None:
    # Word classes and languages are compiled into the index; classifying a
    # prompt's own words at screening time would load nine frequency lists
    # per new word (seconds), so it must never happen.
    screener = shared_screener()
    from kyodaku.screen import lexicon

    def forbidden(words):  # type: ignore[no-untyped-def]
        raise AssertionError(f"word lists read while screening: {sorted(words)[:5]}")

    monkeypatch.setattr(lexicon, "_foreign_zipf", forbidden)
    for prompt in (
        "Edward Quillon and Zorblaxia wandered past the Marco lighthouse at dawn",
        "the quilt velloria sailing to harbour lights",  # a near name with a word in it
        "una nonna che accende una candela in chiesa e sussurra grazie a Zubaru",
        "Wolken ziehen über den Himmel über Hamburg, Zeitraffer vom Dach",
    ):
        screener.screen(prompt)
