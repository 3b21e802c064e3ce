"""Names inside longer CJK words, or naming places, are not names there."""

from __future__ import annotations

import pytest

from kyodaku.screen.cjk_boundaries import BoundaryProblem, boundary_problem, korean_ending
from kyodaku.screen.japanese_words import PersonalNames, compile_personal_names
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import views_of
from kyodaku.screen.types import Span

from .support import shared_index


def problem(prompt: str, name: str, registered=()) -> BoundaryProblem | None:
    start = prompt.index(name)
    return boundary_problem(prompt, Span(start, start + len(name)), registered)


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        # Korean: the name is followed by particles only, or by a space.
        ("우리 편의점 광고: 손오공이 에너지파로 도시락을 데우는 장면", "손오공"),
        ("조로가 세 자루의 칼을 들고", "조로"),
        ("리바이 병장이 창틀의 먼지를 확인하며", "리바이"),
        ("배트맨이 비 오는 서울의 옥상 위에", "배트맨"),
        ("아가츠마 젠이츠가 벌벌 떨다가", "아가츠마 젠이츠"),
        ("피카츄에게서 배운 기술", "피카츄"),
        ("나루토와의 대결", "나루토"),
        ("나루토입니다!", "나루토"),
        ("지지야, 같이 가자", "지지"),
        # Chinese: no dictionary word straddles the name's edges.
        ("皮卡丘在下雪的北京胡同里散步", "皮卡丘"),
        ("哆啦A梦从口袋里拿出任意门", "哆啦A梦"),
        ("胖虎在空地上开演唱会", "胖虎"),
        ("库巴在熔岩城堡里", "库巴"),
        ("琉克在东京的屋顶上", "琉克"),
        ("凯蒂猫在樱花树下野餐", "凯蒂猫"),
        ("龙猫在夏夜的田野里", "龙猫"),
        ("三笠·阿克曼在雨中", "三笠·阿克曼"),
        ("超人飞过城市上空", "超人"),
        ("超人们一起飞向太阳", "超人"),
        ("一只龙猫路过田野", "龙猫"),
        ("皮卡丘都很可爱", "皮卡丘"),
        ("让路飞去吧", "路飞"),
        ("汤姆猫和杰瑞鼠在厨房里追逐打闹", "汤姆"),  # the name, then what animal it is
        # Japanese: kana around the name, a name on its own.
        ("埼玉先生がヒーロー協会で", "埼玉"),
        ("孫悟空が空を飛ぶ", "孫悟空"),
        ("五条悟先生が目隠しを外す", "五条悟"),
        ("アナが歌う", "アナ"),
        ("雪の女王アナとエルサ", "アナ"),
        ("ミカサ・アッカーマン", "ミカサ"),
        ("ズバルーが走る", "ズバルー"),
        ("ねずこちゃんが", "ねずこ"),
        ("かかしせんせいが", "かかし"),
        ("ねずこ様が", "ねずこ"),
        ("どらえもん風のイラスト", "どらえもん"),
        ("くろさき いちご が", "いちご"),
        ("第七班の次元が", "次元"),
    ],
)
def test_names_standing_on_their_own_are_kept(prompt: str, name: str) -> None:
    assert problem(prompt, name) is None


@pytest.mark.parametrize(
    ("prompt", "name", "kind", "word"),
    [
        ("선거를 앞두고 후보를 지지하는 시민들이", "지지", "hangul_word", "지지하는"),
        ("지지율이 올랐다", "지지", "hangul_word", "지지율이"),
        ("가조로", "조로", "hangul_word", "가조로"),
        ("超人气甜品店门口排起了长队", "超人", "han_word", "超人气"),
        ("超人氣甜品店", "超人", "han_word", "超人氣"),  # Traditional characters
        ("超人気ラーメン店の行列", "超人", "han_word", "人気"),
        ("埼玉県の田園地帯を走るローカル線", "埼玉", "place", "埼玉県"),
        ("鳴門海峡の渦潮", "鳴門", "place", "鳴門海峡"),
        ("哥谭市的夜晚", "哥谭", "place", "哥谭市"),
        ("女子アナウンサーがスタジオで", "アナ", "katakana_word", "アナウンサー"),
        ("大手ITベンダーのオフィスで", "ベンダー", "katakana_word", "ITベンダー"),
        ("キラキラ", "キラ", "katakana_word", "キラキラ"),
        ("おねずこが", "ねずこ", "hiragana_word", "おねずこが"),
        ("いちご狩りをする親子", "いちご", "hiragana_word", "いちご狩"),
        ("いちご大福", "いちご", "hiragana_word", "いちご大福"),
        ("二次元のイラスト", "次元", "han_word", "二次元"),
        ("かごめかごめで遊ぶ", "かごめ", "hiragana_word", "かごめかごめで"),  # a name said twice
        ("三次元に飛び出す", "次元", "han_word", "三次元"),
        ("幼稚園のお遊戯会で踊る", "遊戯", "han_word", "お遊戯会"),  # the polite prefix お
        ("ご飯を炊く", "飯", "han_word", "ご飯"),
        ("マジョリカ焼きの皿に絵付けをする", "マジョリカ", "katakana_word", "マジョリカ焼"),
    ],
)
def test_names_inside_longer_words_or_places(prompt, name, kind, word) -> None:
    found = problem(prompt, name)
    assert found == BoundaryProblem(kind, word)
    assert word in found.describe()


def test_chinese_place_suffix_that_starts_a_word_is_no_suffix() -> None:
    assert problem("超人路过城市", "超人") is None  # 路过 "pass by", not 路 "road"
    assert problem("超人都会飞", "超人") is None  # 都 "all" in Chinese
    assert problem("埼玉路", "埼玉") == BoundaryProblem("place", "埼玉路")


def test_a_list_particle_after_a_name_or_kanji_joins_two_names() -> None:
    prompt = "たぬきちとしずえが花火を見上げる"
    assert problem(prompt, "しずえ", registered=[(0, 4)]) is None  # たぬきち + と + しずえ
    assert problem("悟空としずえ", "しずえ") is None
    assert problem("ねことしずえ", "しずえ") is not None  # ねこと… is running hiragana
    assert problem("緊張感のある曲", "ある") is not None  # の runs into verbs: no list


def test_the_possessive_after_a_registered_form_joins_its_character() -> None:
    prompt = "すみっコぐらしのねこが体重計に乗る"
    assert problem(prompt, "ねこ", registered=[(0, 7)]) is None  # title + の + name
    assert problem(prompt, "ねこ") is not None  # after unregistered hiragana: running text


def test_registered_longer_forms_are_no_objection() -> None:
    # アナウンサー itself registered: アナ inside it is part of a registered form.
    assert problem("アナウンサー", "アナ", registered=[(0, 6)]) is None
    assert problem("アナウンサー", "アナ", registered=[(3, 6)]) is not None
    # The tail of a registered full name written solid.
    prompt = "아가츠마젠이츠가"
    assert problem(prompt, "젠이츠") is not None
    assert problem(prompt, "젠이츠", registered=[(0, 7)]) is None


@pytest.mark.parametrize(
    ("tail", "ok"),
    [
        ("", True),
        ("가", True),
        ("에게서", True),
        ("으로는", True),
        ("와의", True),
        ("에서는", True),
        ("만의", True),
        ("님이", True),
        ("이가", True),  # 길동이가: the hypocoristic 이, then 가
        ("들이", True),
        ("이에요", True),
        ("입니다", True),
        ("하는", False),
        ("자들이", False),
        ("율", False),
        ("층", False),
    ],
)
def test_korean_endings(tail: str, ok: bool) -> None:
    assert korean_ending(tail) is ok


def test_spans_outside_the_prompt_are_refused() -> None:
    with pytest.raises(ValueError):
        boundary_problem("조로", Span(1, 3))


# ---------------------------------------------------------------- through the recogniser


@pytest.fixture(scope="module")
def names() -> NameRecogniser:
    return NameRecogniser(shared_index())


def assets(names: NameRecogniser, prompt: str) -> set[str]:
    return {m.asset_id for m in names.matches(views_of(prompt))}


def test_recogniser_drops_names_inside_words_and_keeps_the_reason(names) -> None:
    assert "c-zubaru" in assets(names, "즈바루가 달린다")
    assert "c-zubaru" not in assets(names, "즈바루하는 사람들")
    assert "c-kagemaru" in assets(names, "影丸が夜空を飛ぶ")
    assert "c-kagemaru" not in assets(names, "影丸県の田園")
    kept, rejected = names.screened_matches(views_of("影丸県の田園"))
    assert "c-kagemaru" not in {m.asset_id for m in kept}
    reasons = {m.asset_id: p for m, p in rejected}
    assert reasons["c-kagemaru"] == BoundaryProblem("place", "影丸県")


def test_latin_names_are_untouched(names) -> None:
    assert "c-zubaru" in assets(names, "Zubaru naps in the sun")


_PEOPLE = PersonalNames(
    given=frozenset({"正一", "漱石", "敦"}),
    family=frozenset({"中島", "佐藤"}),
    given_kana=frozenset({"ヒロノブ"}),
)


@pytest.mark.parametrize(
    ("prompt", "name", "person"),
    [
        ("金田正一投手の往年の投球フォーム", "金田", "金田正一"),  # a pitcher, not the biker
        ("夏目漱石が書斎で執筆する", "夏目", "夏目漱石"),
        ("佐藤敦が駅で待つ", "敦", "佐藤敦"),
        ("影山ヒロノブがライブで熱唱する", "影山", "影山ヒロノブ"),  # the singer
    ],
)
def test_a_kanji_name_run_into_a_given_or_family_name_is_someone_elses(
    prompt: str, name: str, person: str
) -> None:
    start = prompt.index(name)
    found = boundary_problem(prompt, Span(start, start + len(name)), (), _PEOPLE)
    assert found == BoundaryProblem("person", person)


def test_the_characters_own_full_name_and_plain_neighbours_are_no_objection() -> None:
    prompt = "中島敦が白い虎に変わる"
    start = prompt.index("敦")
    # 中島敦 registered and found: the family name before belongs to it.
    assert boundary_problem(prompt, Span(start, start + 1), [(0, 3)], _PEOPLE) is None
    assert boundary_problem("金田が赤いバイクで走る", Span(0, 2), (), _PEOPLE) is None


def test_personal_names_are_kanji_names_that_are_nothing_else() -> None:
    names = compile_personal_names()
    assert {"正一", "漱石", "正太郎"} <= names.given
    assert {"中島", "斎藤"} <= names.family
    assert "ヒロノブ" in names.given_kana
    # 香水 (perfume) and 貴志 are given names too, but also common words.
    assert "香水" not in names.given and "貴志" not in names.given


def test_a_korean_verb_before_an_auxiliary_is_no_name() -> None:
    # 피어 있다: "is in bloom" (피다 + 어 + 있다), not the name it sounds like.
    prompt = "유채꽃이 피어 있다"
    found = problem(prompt, "피어")
    assert found is not None and found.kind == "hangul_word"
    assert problem("피오가 있다", "피오") is None  # a noun takes its particle first
