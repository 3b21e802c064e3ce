"""Foreign names written in Hangul by their sound, read back into Latin letters."""

from __future__ import annotations

import pytest

from kyodaku.screen.engine import Screener
from kyodaku.screen.hangul_loanwords import english_reading

from .support import compiled, one_work_registry


@pytest.mark.parametrize(
    ("word", "reading", "dropped"),
    [
        ("그로밋", "gromit", True),  # 그: a consonant given a vowel of its own
        ("아스테릭스", "asteriks", True),
        ("피카츄", "pikachyu", False),  # nothing added: read as written
        ("으악", "euak", False),  # ㅡ alone (으) is a real vowel
    ],
)
def test_english_reading(word: str, reading: str, dropped: bool) -> None:
    assert english_reading(word) == (reading, dropped)


@pytest.fixture(scope="module")
def screener() -> Screener:
    registry = one_work_registry(
        ("c-gromo", {"en": ["Gromo"]}, "a silent beagle"),
        ("c-astrix", {"en": ["Astrix"]}, "a small warrior"),
    )
    return Screener(registry, compiled(registry))


def test_a_name_written_in_hangul_by_its_sound_is_found(screener: Screener) -> None:
    assert screener.screen("그로모가 기차 위에서 달린다").asset_ids == ("c-gromo",)
    assert screener.screen("아스트릭스가 물약을 마신다").asset_ids == ("c-astrix",)


def test_other_korean_words_are_not(screener: Screener) -> None:
    assert screener.screen("스트레스 받은 직장인이 그림을 그린다").asset_ids == ()
    assert screener.screen("그로모하는 사람들").asset_ids == ()  # no noun ending: a longer word
