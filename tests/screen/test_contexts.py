"""Prohibited-context detection: cues per context and language, traps, spans, edge cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodaku.registry.model import CONTEXTS
from kyodaku.screen.context_lexicon import LEXICONS, expand
from kyodaku.screen.contexts import detect_contexts, normalised_view
from kyodaku.screen.types import ContextHit, ScreeningError, Span


def contexts_of(prompt: str) -> set[str]:
    return {hit.context for hit in detect_contexts(prompt)}


@pytest.mark.parametrize(
    ("prompt", "context"),
    [
        # gambling
        ("Goku at a pachinko parlour staring at the reels", "gambling"),
        ("Pikachu dealing cards at a casino blackjack table", "gambling"),
        ("Mario pulling the lever of a slot-machine in Las Vegas", "gambling"),
        ("Sonic placing bets at the racetrack", "gambling"),
        ("Isabelle running a bingo night at the town hall", "gambling"),
        ("Peppa leading a hate march against immigrants", "hate"),
        ("ピカチュウを使ったパチンコ台のプロモーション映像", "gambling"),
        ("のび太が競馬場で馬券を買う", "gambling"),
        ("ドラえもんが賭け麻雀をする", "gambling"),
        # political
        ("Goku holding a 'Vote for Tanaka' sign at an election campaign rally", "political"),
        ("Hello Kitty handing out flyers for a political party", "political"),
        ("Kirby marching with protesters against the government", "political"),
        ("ピカチュウが選挙ポスターに登場する", "political"),
        ("ハローキティが政党のCMに出演する", "political"),
        # sexual
        ("Hello Kitty as a pin-up model in a risqué lingerie photoshoot", "sexual"),
        ("Nami posing nude on a beach", "sexual"),
        ("ナミのセクシーな写真集", "sexual"),
        ("性的な表現を含むピカチュウの動画", "sexual"),
        ("エロい衣装のキャラクター", "sexual"),
        # violence
        ("Kuromi hacking at zombies with a chainsaw, blood splatter and gore", "violence"),
        ("Pikachu getting brutally beaten with a bat in a street fight", "violence"),
        ("Mario stabbing a shopkeeper in a dark alley", "violence"),
        ("Luigi punches a stranger in the face", "violence"),
        ("Goku sparring with a monk at a mountain temple", "violence"),
        ("ドラえもんが血まみれで倒れている", "violence"),
        ("孫悟空が人を殺すシーン", "violence"),
        ("ピカチュウが男を殴る", "violence"),
        # alcohol
        ("Goku chugging beer at an izakaya after training", "alcohol"),
        ("Totoro drinking sake with villagers at a night festival", "alcohol"),
        ("Hello Kitty raising a glass of sparkling wine", "alcohol"),
        ("Pikachu drunk after a pub crawl", "alcohol"),
        ("ピカチュウがビールを飲む", "alcohol"),
        ("トトロが居酒屋で酔っ払う", "alcohol"),
        ("ハローキティが日本酒で乾杯する", "alcohol"),
        # tobacco
        ("Pikachu smoking a cigarette in a dark alley", "tobacco"),
        ("Hello Kitty puffing on a vape in a club", "tobacco"),
        ("Snoopy lighting a cigar", "tobacco"),
        ("ルフィがタバコを吸う", "tobacco"),
        ("ピカチュウが喫煙所にいる", "tobacco"),
        # hate
        ("Pikachu wearing a Nazi uniform", "hate"),
        ("Mario shouting racial slurs at immigrants", "hate"),
        ("ピカチュウがヘイトスピーチをする", "hate"),
        ("ドラえもんが人種差別的な発言をする", "hate"),
    ],
)
def test_detects_each_context_in_english_and_japanese(prompt: str, context: str) -> None:
    assert contexts_of(prompt) == {context}


@pytest.mark.parametrize(
    ("prompt", "context"),
    [
        ("皮卡丘在赌场玩老虎机", "gambling"),
        ("피카츄가 카지노에서 도박하는 장면", "gambling"),
        ("皮卡丘喝啤酒", "alcohol"),
        ("피카츄가 소주를 마시는 장면", "alcohol"),
        ("Pikachu boit du vin rouge à Paris", "alcohol"),
        ("Pikachu tomando cerveza en la playa", "alcohol"),
        ("皮卡丘在抽烟", "tobacco"),
        ("Pikachu fumant une cigarette", "tobacco"),
        ("凯蒂猫为总统候选人竞选拉票", "political"),
        ("皮卡丘杀人的画面，血腥", "violence"),
    ],
)
def test_detects_chinese_korean_french_spanish_cues(prompt: str, context: str) -> None:
    assert contexts_of(prompt) == {context}


@pytest.mark.parametrize(
    "prompt",
    [
        "Shot 1: drone push-in over a volcano. Shot 2: a wide shot of the crater.",
        "Charizard bursts out of the smoke above an active volcano",
        "a smoking volcano under a red sky",
        "a bar of soap on a white sink",
        "Goku searching for the seven dragon-balls",
        "a bowl of fruit punch at a kids' birthday party",
        "Pikachu and friends at a surprise party",
        "a wine-red sofa in a minimalist living room",
        "a dress in a deep wine red colour",
        "for the sake of simplicity, a plain background",
        "for goodness' sake, Doraemon, hurry up",
        "wrapping a present with Scotch tape",
        "Nezuko running across rooftops under a blood-red moon",
        "a killer whale breaching off the coast",
        "Goku training under a waterfall",
        "Goku in a battle pose, hair glowing gold",
        "Charizard launching a fireball at a boulder",
        "a photographer shoots her portrait in golden light",
        "a magician flips over the joker card during a card trick",
        "a poker-faced butler serving tea",
        "a one-piece swimsuit fashion shoot on a windy beach",
        "a jazz trio playing in a dim basement bar",
        "a snowy cabin with smoke curling from the chimney",
        "ginger ale and root beer floats at a diner",
        "a violent storm hits the coast",
        "a beat-up old pickup truck on a dirt road",
        "夜の屋台で焼き鳥を焼くおじさん、煙と提灯",
        "必殺技を放つ孫悟空",
        "鬼殺隊の隊服を着た少年",
        "テロップ付きの料理動画",
        "ナチュラルな雰囲気のカフェ",
        "ヌードルを食べるピカチュウ",
        "裸足で砂浜を歩く",
        "ワインレッドのドレス",
        "酒井さんの家でお茶会",
        "差別化されたデザインの商品紹介",
        "スロットルを全開にするバイク",
        "命を賭けて仲間を守る",
        "一个小孩在酒店大堂里玩耍",
        "지나치게 귀여운 고양이",
    ],
)
def test_classic_false_positives_are_not_contexts(prompt: str) -> None:
    assert detect_contexts(prompt) == []


@pytest.mark.parametrize(
    ("prompt", "context"),
    [
        ("a hot fruit punch? no: Luigi punches him in the face", "violence"),
        ("a rally for the Liberal Party before the election", "political"),
        ("a camera shot of a gangster: the boss is shot dead", "violence"),
        ("a whisky, neat, at the bar", "alcohol"),
    ],
)
def test_trap_words_still_count_in_their_prohibited_sense(prompt: str, context: str) -> None:
    assert contexts_of(prompt) == {context}


@pytest.mark.parametrize(
    "prompt",
    ["a cartoon chase, no blood", "alcohol-free sparkling juice", "非暴力を訴える集会の後片付け"],
)
def test_directly_negated_cues_do_not_count(prompt: str) -> None:
    assert "violence" not in contexts_of(prompt)
    assert "alcohol" not in contexts_of(prompt)


@pytest.mark.parametrize(
    ("prompt", "cue", "context"),
    [
        ("Pikachu at a c@sino", "c@sino", "gambling"),
        ("a s e x y pose", "s e x y", "sexual"),
        ("Goku drinking b33r", "b33r", "alcohol"),
        ("Goku at a са\u0455ino", "са\u0455ino", "gambling"),  # Cyrillic а, с, ѕ
        ("Goku sm\u200boking a cigarette", "sm\u200boking a cigarette", "tobacco"),
    ],
)
def test_obfuscated_cues_are_found_with_their_original_text(
    prompt: str, cue: str, context: str
) -> None:
    hits = detect_contexts(prompt)
    assert [(h.context, h.cue) for h in hits] == [(context, cue)]


@pytest.mark.parametrize(
    ("prompt", "cue"),
    [
        ("Ｇｏｋｕ　ａｔ　ａ　ＣＡＳＩＮＯ", "ＣＡＳＩＮＯ"),  # full-width Latin and space
        ("ﾋﾟｶﾁｭｳがﾊﾟﾁﾝｺで遊ぶ", "ﾊﾟﾁﾝｺ"),  # half-width katakana with a split voicing mark
        ("ﾀﾊﾞｺを吸うﾙﾌｨ", "ﾀﾊﾞｺ"),
        ("Goku sipping ros\u0065\u0301 by the pool", "ros\u0065\u0301"),  # combining accent
        ("a \ufb01stfight in the rain", "\ufb01stfight"),  # ligature that NFKC expands
        ("a   slot  -  machine   ad", "slot  -  machine"),  # collapsed separators
    ],
)
def test_spans_index_the_original_prompt(prompt: str, cue: str) -> None:
    hits = detect_contexts(prompt)
    assert len(hits) == 1
    hit = hits[0]
    assert hit.cue == cue
    assert hit.span == Span(prompt.index(cue), prompt.index(cue) + len(cue))
    assert hit.span.text(prompt) == cue


def test_hit_carries_context_span_cue_and_score() -> None:
    prompt = "Pikachu smoking a cigarette"
    assert detect_contexts(prompt) == [
        ContextHit("tobacco", Span(8, 27), "smoking a cigarette", 0.9)
    ]


def test_one_hit_per_cue_in_order_and_nested_cues_kept_once() -> None:
    prompt = "sparkling wine, then beer, then more beer at the casino"
    hits = detect_contexts(prompt)
    assert [(h.context, h.cue) for h in hits] == [
        ("alcohol", "sparkling wine"),
        ("alcohol", "beer"),
        ("alcohol", "beer"),
        ("gambling", "casino"),
    ]
    assert [h.span.start for h in hits if h.span] == sorted(h.span.start for h in hits if h.span)


def test_a_cue_can_count_for_two_contexts() -> None:
    assert contexts_of("a documentary about genocide") == {"violence", "hate"}


def test_weak_cues_score_lower_than_strong_ones() -> None:
    (sparring,) = detect_contexts("Goku sparring at dawn")
    (blood,) = detect_contexts("Goku covered in blood")
    assert sparring.score < blood.score


def test_empty_and_whitespace_prompts_have_no_contexts() -> None:
    assert detect_contexts("") == []
    assert detect_contexts(" \n\t　") == []


def test_very_long_prompt_is_scanned_to_the_end() -> None:
    padding = "a quiet walk through the park with friends, " * 5000
    prompt = padding + "then a cold beer " + "ピカチュウが散歩する。" * 5000 + "最後にタバコ"
    hits = detect_contexts(prompt)
    assert [(h.context, h.cue) for h in hits] == [("alcohol", "beer"), ("tobacco", "タバコ")]
    assert all(h.span and h.span.text(prompt) == h.cue for h in hits)


def test_non_text_prompt_fails_closed() -> None:
    with pytest.raises(ScreeningError) as excinfo:
        detect_contexts(b"casino")  # type: ignore[arg-type]
    assert excinfo.value.code == "contexts.invalid_prompt"


def test_normalised_view_maps_every_character_back() -> None:
    prompt = "ﾊﾟﾁﾝｺ – Ｂｅｅｒ"
    view = normalised_view(prompt)
    assert view.text == "パチンコ beer"
    assert view.original_span(0, 1) == Span(0, 2)  # パ came from ﾊ + ﾟ
    assert view.original_span(5, 9).text(prompt) == "Ｂｅｅｒ"


def test_every_context_has_a_lexicon_and_no_cue_is_its_own_exclusion() -> None:
    assert set(LEXICONS) == set(CONTEXTS)
    for context, lexicon in LEXICONS.items():
        cues = {
            normalised_view(v).text
            for tier in lexicon.tiers().values()
            for phrase in tier
            for v in expand(phrase)
        }
        excluded = {normalised_view(v).text for p in lexicon.exclusions for v in expand(p)}
        assert cues, context
        assert not cues & excluded, (context, cues & excluded)


def test_expand_multiplies_out_alternatives() -> None:
    assert expand("cigarette{,s}") == ["cigarette", "cigarettes"]
    assert expand("{a,the} {man,woman}") == ["a man", "a woman", "the man", "the woman"]
    assert expand("beer") == ["beer"]


_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdeinorst -'.,@3ｶﾞﾟアイ酒血\u0301\u200b　Ｂ")), max_size=80
)


@given(_TEXT)
def test_any_text_gives_well_formed_hits(prompt: str) -> None:
    for hit in detect_contexts(prompt):
        assert hit.context in CONTEXTS
        assert 0 < hit.score <= 1
        assert hit.span is not None
        assert 0 <= hit.span.start < hit.span.end <= len(prompt)
        assert hit.cue == hit.span.text(prompt)


@given(
    st.text(alphabet=st.sampled_from(list("xyz ,.")), max_size=30),
    st.sampled_from(
        ["casino", "cigarette", "propaganda", "lingerie", "bloodshed", "whisky", "swastika"]
    ),
)
def test_a_cue_between_neutral_words_is_always_found(padding: str, cue: str) -> None:
    prompt = f"{padding} {cue} {padding}"
    found = [h for h in detect_contexts(prompt) if h.cue == cue]
    assert found and found[0].span == Span(len(padding) + 1, len(padding) + 1 + len(cue))
