"""Short forms with honorifics: ズバちゃん, 즈바 씨, "Zuba-chan"."""

from __future__ import annotations

import pytest

from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
from kyodaku.screen.engine import Screener
from kyodaku.screen.index import compile_index
from kyodaku.screen.normalise import views_of
from kyodaku.screen.short_forms import ShortFormRecogniser

from .support import invented_registry, shared_index, shared_screener


def short_forms(prompt: str) -> list[tuple[str, str]]:
    found = ShortFormRecogniser(shared_index()).matches(views_of(prompt))
    return [(m.asset_id, m.surface) for m in found]


@pytest.mark.parametrize(
    ("prompt", "asset", "surface"),
    [
        ("ズバちゃんが森で眠る", "c-zubaru", "ズバ"),  # prefix of ズバルー
        ("バルーくんが走る", "c-zubaru", "バルー"),  # suffix
        ("今日のリノちゃん", "c-rinoka", "リノ"),  # prefix of a shorter registered name too
        ("星村さんが来た", "c-rinoka", "星村"),  # a family name only one character has
        ("즈바 씨가 웃는다", "c-zubaru", "즈바"),  # Hangul, honorific, then a particle
        ("Zuba-chan naps in the sun", "c-zubaru", "Zuba"),  # romaji
        ("Tempe-san and friends", "c-tempest", "Tempe"),
    ],
)
def test_a_short_form_before_an_honorific_is_an_alias(
    prompt: str, asset: str, surface: str
) -> None:
    assert (asset, surface) in short_forms(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "ズバが森で眠る",  # no honorific
        "ママさんがパンを買う",  # a very common word, not a short form
        "Zu-chan naps",  # too short
        "즈바 양말",  # 양 starts a word here, it is no honorific
    ],
)
def test_no_short_form_without_an_honorific_or_with_a_common_word(prompt: str) -> None:
    assert short_forms(prompt) == []


def test_a_part_two_characters_share_identifies_nobody() -> None:
    registry = Registry(
        rights_holders=(RightsHolder("rh", "R"),),
        works=(make_work("w", "rh", {"en": ["Tide Tales"]}, []),),
        characters=(
            make_character("c-a", "w", {"ja": ["カザミ・ヨウ"]}, (), "a kite"),
            make_character("c-b", "w", {"ja": ["カザミ・リン"]}, (), "a boat"),
        ),
        version=1,
    )
    recogniser = ShortFormRecogniser(compile_index(registry))
    assert recogniser.matches(views_of("カザミさんが来た")) == []
    assert [m.asset_id for m in recogniser.matches(views_of("リンちゃんが来た"))] == ["c-b"]


def test_the_engine_reports_a_short_form_as_a_reference() -> None:
    result = shared_screener().screen("ズバちゃんがお昼寝")
    assert result.asset_ids == ("c-zubaru",)
    evidence = result.references[0].evidence[0]
    assert evidence.kind == "alias"
    assert "honorific" in evidence.detail


def test_a_short_form_is_not_reported_twice_over_a_whole_name() -> None:
    screener = Screener(invented_registry(), shared_index())
    result = screener.screen("ズバルーちゃんがお昼寝")
    assert result.asset_ids == ("c-zubaru",)
    assert all(e.recogniser != "short_forms" for r in result.references for e in r.evidence)
