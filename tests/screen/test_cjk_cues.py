"""Cues read around a name in Chinese, Japanese or Korean text."""

from __future__ import annotations

import pytest

from kyodaku.screen.cjk_cues import subject_particle_at
from kyodaku.screen.engine import Screener

from .support import compiled, cues, one_work_registry


@pytest.mark.parametrize(
    ("prompt", "asset", "flag"),
    [
        ("인도 신화의 즈바루가 숲을 걷는다", "c-zubaru", "other_source"),
        ("ズバルーちゃん三歳の誕生日、ホームビデオ", "c-zubaru", "someone_else"),
        ("会社員のズバルーさん（42歳）の一日を追う", "c-zubaru", "someone_else"),
        ("昭和の名優・ズバルーの主演映画を思わせる", "c-zubaru", "someone_else"),
        ("若い漆職人のズバルーさんが工房で器に漆を塗る", "c-zubaru", "someone_else"),
        ("가수 즈바루가 무대에서 노래한다", "c-zubaru", "someone_else"),
        ("三毛猫の駅長「リノカ」が改札で乗客を出迎える", "c-rinoka", "someone_else"),
        ("リノカおばさんのクッキー屋さんの店先", "c-rinoka", "someone_else"),
        ("즈바루 3살 생일 파티", "c-zubaru", "someone_else"),
        ("うちの柴犬のリノカが雪の中を走り回る", "c-rinoka", "someone_else"),
        ("うちの白い猫のリノカがソファで寝る", "c-rinoka", "someone_else"),
        ("大熊猫リノカ在竹林里", "c-rinoka", "category_before"),
        ("奶奶抱着小孙子リノカ在院子里晒太阳", "c-rinoka", "category_before"),
        ("우리 아들 즈바루가 첫걸음을 뗐다", "c-zubaru", "category_before"),
        ("花木影丸，北朝民歌《影丸诗》插画", "c-kagemaru", "other_source"),
        ("特急リノカが松本駅に到着する", "c-rinoka", "category_before"),  # a train
        ("リノカ叙事詩の粘土板を解説する博物館", "c-rinoka", "other_source"),  # an epic
        ("リノカが主演する映画の撮影現場", "c-rinoka", "someone_else"),  # an actor
        ("影丸沙拉酱挤在新鲜的蔬菜沙拉上", "c-kagemaru", "brand_after"),  # a condiment
        ("物理课演示影丸定律，液压机缓缓压下", "c-kagemaru", "category_before"),  # a law
        ("リノカの原理を黒板で説明する", "c-rinoka", "category_before"),
    ],
)
def test_cjk_cue_flags(prompt: str, asset: str, flag: str) -> None:
    assert getattr(cues(prompt, asset), flag), (prompt, flag)


def test_a_kana_name_opening_an_all_kana_prompt_before_a_spaced_particle_acts() -> None:
    assert cues("ﾘﾉｶ が まちなか を ただよう", "c-rinoka").acting_subject  # half-width
    assert cues("りのか が まちなか を ただよう", "c-rinoka").acting_subject


def test_a_kanji_name_opening_the_prompt_as_its_subject_acts() -> None:
    assert cues("影丸が酸素の箱を抱えて迷子になる", "c-kagemaru").acting_subject
    assert cues("影丸たちが声をかけ合いながら傷口をふさぐ", "c-kagemaru").acting_subject
    assert not cues("昔の影丸が残る町", "c-kagemaru").acting_subject  # not the subject opening


def test_a_title_in_kana_after_a_name_makes_it_a_persons() -> None:
    assert cues("りのかせんせい が ほん を よむ", "c-rinoka").proper_usage


def test_a_longer_word_after_a_name_is_no_law_named_after_it() -> None:
    assert not cues("リノカの効果音を集めた動画", "c-rinoka").category_before  # sound effects


def test_subject_particle_at() -> None:
    assert subject_particle_at("リノカが走る", 3)
    assert not subject_particle_at("リノカを握る", 3)


def test_a_katakana_name_opening_a_clause_with_a_subject_particle_acts() -> None:
    assert cues("リノカが剣を抜く", "c-rinoka").acting_subject
    assert cues("夜明けだ。リノカは船を出す", "c-rinoka").acting_subject
    assert not cues("夜のタクシー、リノカがカチッと上がる", "c-rinoka").acting_subject
    assert not cues("船長のリノカが剣を抜く", "c-rinoka").acting_subject
    assert not cues("リノカを握って歌う", "c-rinoka").acting_subject
    assert cues("黄色い鳥のリノカが商店街を駆け抜ける", "c-rinoka").acting_subject  # the bird
    assert cues("ピンク髪のメイド、リノカが紅茶をすする", "c-rinoka").acting_subject  # the maid


def test_an_occupation_the_description_gives_is_the_characters_own() -> None:
    prompt = "歌手のズバルーがステージで歌う"
    assert cues(prompt, "c-zubaru", "An idol singer with pink hair.").someone_else is False
    assert cues(prompt, "c-zubaru", "A grumpy old fisherman.").someone_else is True


def test_a_title_that_is_an_everyday_word_counts_when_quoted_as_a_title() -> None:
    registry = one_work_registry(titles={"en": ["Everyday Days"], "ja": ["日常"]})
    screener = Screener(registry, compiled(registry))
    # 日常 is "everyday life" before it is the sitcom...
    assert screener.screen("大学生の日常をゆるく撮ったVlog").asset_ids == ()
    # ...unless the prompt quotes it as a title.
    assert screener.screen("『日常』の研究所でロールケーキを食べる").asset_ids == ("w-x",)
