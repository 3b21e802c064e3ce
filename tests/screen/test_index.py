"""What the compiled index derives from registered names and titles."""

from __future__ import annotations

from kyodaku.screen.engine import Screener
from kyodaku.screen.index import compile_index

from .support import one_work_registry


def test_a_kanji_title_is_read_as_its_romanised_title_says() -> None:
    registry = one_work_registry(titles={"en": ["Urusei Yatsura"], "ja": ["うる星やつら"]})
    # A dictionary reads 星 ほし; the romanised title says せい.
    screener = Screener(registry, compile_index(registry))
    assert screener.screen("うるせいやつら ふう の がくえん こめでぃ").asset_ids == ("w-x",)


def test_a_hiragana_name_that_is_an_everyday_word_needs_corroboration() -> None:
    registry = one_work_registry(("c-kagami", {"en": ["Kagami"], "ja": ["かがみ"]}, "A girl."))
    screener = Screener(registry, compile_index(registry))
    # かがみ is a mirror, too.
    assert screener.screen("こども が かがみ の まえ で はみがき を する").asset_ids == ()
    assert screener.screen("かがみ が ほん を よむ").asset_ids == ("c-kagami",)  # the one acting
