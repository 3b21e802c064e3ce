"""Readings of registered names: romaji and kana."""

from __future__ import annotations

import pytest

from kyodaku.screen.engine import Screener
from kyodaku.screen.index_cache import IndexCache
from kyodaku.screen.readings import kana_of_romaji

from .support import one_work_registry


@pytest.mark.parametrize(
    ("name", "kana"),
    [
        ("Kurama", "くらま"),
        ("Taiga Kagami", "たいが かがみ"),
        ("Yuki Sohma", "ゆき そうま"),  # "oh" writes a long vowel
        ("Ōtani", "おうたに"),
    ],
)
def test_kana_of_a_romanised_name(name: str, kana: str) -> None:
    assert kana_of_romaji(name) == kana


@pytest.mark.parametrize("name", ["Bob Parr", "Marshall", "Tom", "Spike", "Mr. Incredible"])
def test_english_names_are_no_romaji(name: str) -> None:
    assert kana_of_romaji(name) is None


def test_a_kanji_name_is_found_in_kana_as_its_romanised_name_reads() -> None:
    registry = one_work_registry(
        ("c-kagami", {"en": ["Taiga Kagami"], "ja": ["火神大我"]}, "A tall power forward."),
    )
    screener = Screener(registry, IndexCache(disk=False).get(registry))
    # A dictionary reads 火神大我 かしんたいが; the registry's romaji says かがみ たいが.
    assert "c-kagami" in screener.screen("かがみ たいが が ダンク を きめる").asset_ids
