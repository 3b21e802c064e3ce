"""Prompt → shot list: numbering, transitions, camera words, dialogue, lengths."""

from __future__ import annotations

import pytest

from kyodaku.generate.shotlist import (
    Camera,
    Shot,
    allocate_frames,
    camera_moves,
    dialogue_lines,
    language_of,
    parse_shot_list,
)


def texts(prompt: str) -> list[str]:
    return [shot.text for shot in parse_shot_list(prompt).shots]


def test_plain_prompt_is_one_static_shot() -> None:
    (shot,) = parse_shot_list("a cat asleep on a warm windowsill").shots
    assert shot.index == 1 and shot.camera is Camera.STATIC and shot.lang == "en"
    assert shot.text == "a cat asleep on a warm windowsill"


def test_blank_prompt_has_no_shots() -> None:
    assert parse_shot_list("   \n").shots == ()


def test_numbered_english_shots_with_context_and_length_hints() -> None:
    shot_list = parse_shot_list(
        "A rainy harbour town. Shot 1: wide shot of the harbour at dawn. "
        "Shot 2 (3s): close-up of a gull. Scene 3 - the boats leave."
    )
    assert shot_list.context == "A rainy harbour town"
    assert [s.text for s in shot_list.shots] == [
        "wide shot of the harbour at dawn",
        "close-up of a gull",
        "the boats leave",
    ]
    assert [s.camera for s in shot_list.shots] == [Camera.WIDE, Camera.CLOSE_UP, Camera.STATIC]
    assert [s.duration_hint_s for s in shot_list.shots] == [None, 3.0, None]


def test_numbered_japanese_shots_full_width_digits_and_seconds() -> None:
    shot_list = parse_shot_list(
        "ショット１：港の全景。ショット２（２秒）：カモメのクローズアップ。"
    )
    assert [s.text for s in shot_list.shots] == ["港の全景", "カモメのクローズアップ"]
    assert [s.camera for s in shot_list.shots] == [Camera.WIDE, Camera.CLOSE_UP]
    assert [s.lang for s in shot_list.shots] == ["ja", "ja"]
    assert shot_list.shots[1].duration_hint_s == 2.0


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a sunrise, then a gull takes off", ["a sunrise", "a gull takes off"]),
        ("a sunrise and then a gull", ["a sunrise", "a gull"]),
        ("the city at night. Cut to a neon sign", ["the city at night", "a neon sign"]),
        ("sunrise → tower -> sea ⇒ sky", ["sunrise", "tower", "sea", "sky"]),
        ("夜の東京。次に、ネオンサイン。その後、川", ["夜の東京", "ネオンサイン", "川"]),
    ],
)
def test_transitions_split_unnumbered_shots(prompt: str, expected: list[str]) -> None:
    assert texts(prompt) == expected


def test_transition_words_inside_quotes_do_not_split() -> None:
    shots = parse_shot_list('a girl shouts "and then what?" at the sky').shots
    assert len(shots) == 1
    assert shots[0].dialogue[0].text == "and then what?"


def test_numbering_inside_quotes_is_not_a_shot() -> None:
    shots = parse_shot_list('Shot 1: he reads "Scene 2: the end" aloud').shots
    assert len(shots) == 1


@pytest.mark.parametrize(
    ("text", "camera"),
    [
        ("extreme close-up of an eye", Camera.CLOSE_UP),
        ("closeup of hands", Camera.CLOSE_UP),
        ("slow push in on the door", Camera.PUSH_IN),
        ("camera zooms in on the clock", Camera.PUSH_IN),
        ("pull back to reveal the valley", Camera.PULL_OUT),
        ("pan left across the skyline", Camera.PAN_LEFT),
        ("camera pans over the market", Camera.PAN_RIGHT),
        ("tilt up to the tower top", Camera.TILT_UP),
        ("tracking shot alongside the train", Camera.TRACKING),
        ("aerial view of the coast", Camera.AERIAL),
        ("drone shot over the forest", Camera.AERIAL),
        ("bird's-eye view of the square", Camera.AERIAL),
        ("low angle shot of the giant robot", Camera.LOW_ANGLE),
        ("high-angle view of the crowd", Camera.HIGH_ANGLE),
        ("establishing shot of the castle", Camera.WIDE),
        ("handheld, running through the alley", Camera.HANDHELD),
        ("猫のクローズアップ", Camera.CLOSE_UP),
        ("ゆっくりズームイン", Camera.PUSH_IN),
        ("ズームアウトして街を見せる", Camera.PULL_OUT),
        ("左にパンする", Camera.PAN_LEFT),
        ("ドローンで空撮", Camera.AERIAL),
        ("ローアングルでロボットを撮る", Camera.LOW_ANGLE),
        ("トラッキングショットで列車を追う", Camera.TRACKING),
        ("街の全景", Camera.WIDE),
        ("手持ちカメラで路地を走る", Camera.HANDHELD),
    ],
)
def test_camera_words(text: str, camera: Camera) -> None:
    assert camera_moves(text)[0] is camera


def test_camera_words_keep_their_order_and_ignore_quotes() -> None:
    assert camera_moves('wide shot, then "close-up!" he cries; pan left') == (
        Camera.WIDE,
        Camera.PAN_LEFT,
    )
    assert camera_moves("a plain description") == ()


def test_handheld_yields_to_the_camera_move_it_describes() -> None:
    assert parse_shot_list("handheld tracking shot of a runner").shots[0].camera is Camera.TRACKING
    assert parse_shot_list("handheld, in the rain").shots[0].camera is Camera.HANDHELD


def test_dialogue_in_english_and_japanese_quotes() -> None:
    lines = dialogue_lines(
        'He says "Good morning" and she answers 「おはよう」 『またね』 “Bye now”'
    )
    assert [(line.text, line.lang) for line in lines] == [
        ("Good morning", "en"),
        ("おはよう", "ja"),
        ("またね", "ja"),
        ("Bye now", "en"),
    ]


def test_language_detection() -> None:
    assert language_of("ピカチュウ") == "ja"
    assert language_of("東京") == "ja"
    assert language_of("Tokyo at night") == "en"


def shot(hint: float | None = None) -> Shot:
    return Shot(index=1, text="x", duration_hint_s=hint)


@pytest.mark.parametrize(
    ("hints", "total", "expected"),
    [
        ([None, None, None], 48, [16, 16, 16]),
        ([None, None, None], 50, [17, 17, 16]),
        ([1.0, 3.0], 96, [24, 72]),
        ([2.0, None], 48, [24, 24]),  # an unhinted shot gets the average hinted length
    ],
)
def test_allocate_frames(hints, total, expected) -> None:
    counts = allocate_frames(tuple(shot(h) for h in hints), total)
    assert counts == expected and sum(counts) == total
