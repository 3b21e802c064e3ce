"""The visible AI-generation label: drawn on every frame, in a corner, never switched off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kyodaku.media import label as label_module
from kyodaku.media.fonts import missing_glyphs
from kyodaku.media.label import (
    DEFAULT_TEXT,
    MIN_FONT_PX,
    POSITIONS,
    LabelError,
    LabelFontError,
    VisibleLabel,
    find_font,
)
from kyodaku.messages import CATALOGUE

LATIN_ONLY_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _cjk_font_or_skip() -> str:
    try:
        return find_font()
    except LabelFontError as error:
        pytest.skip(f"no Japanese font installed: {error}")


@pytest.fixture(scope="module")
def label() -> VisibleLabel:
    _cjk_font_or_skip()
    return VisibleLabel()


def _changed(original: np.ndarray, labelled: np.ndarray) -> np.ndarray:
    return (original != labelled).any(axis=2)


def test_default_text_is_japanese_and_english() -> None:
    assert DEFAULT_TEXT == "AI生成 / AI-generated"
    assert CATALOGUE["label.ai_generated"] == {"ja": "AI生成", "en": "AI-generated"}


def test_label_is_small_and_in_the_bottom_right_corner(label: VisibleLabel) -> None:
    frame = np.full((720, 1280, 3), 200, dtype=np.uint8)
    changed = _changed(frame, label.apply(frame))
    rows, cols = np.nonzero(changed)
    assert rows.min() > 720 * 0.85 and cols.min() > 1280 * 0.6
    assert changed.mean() < 0.03  # unobtrusive: under 3% of the picture


def test_box_is_semi_transparent(label: VisibleLabel) -> None:
    frame = np.zeros((360, 640, 3), dtype=np.uint8)
    frame[:, :, 0] = (np.arange(640) // 3).astype(np.uint8)[None, :]  # background varies
    labelled = label.apply(frame)
    rows, cols = np.nonzero(_changed(frame, labelled))
    # The box's top row holds no text: the picture shows through it, darker.
    box = labelled[rows.min(), cols.min() : cols.max() + 1, 0].astype(int)
    under = frame[rows.min(), cols.min() : cols.max() + 1, 0].astype(int)
    assert np.corrcoef(box, under)[0, 1] > 0.99
    assert (box < under).all() and (box > 0.3 * under).all()


def test_text_is_drawn_in_light_ink(label: VisibleLabel) -> None:
    frame = np.full((360, 640, 3), 30, dtype=np.uint8)
    labelled = label.apply(frame)
    assert labelled.max() > 180  # white text on the dark box


@pytest.mark.parametrize("position", POSITIONS)
def test_each_corner(position: str) -> None:
    _cjk_font_or_skip()
    frame = np.full((360, 640, 3), 128, dtype=np.uint8)
    rows, cols = np.nonzero(_changed(frame, VisibleLabel(position).apply(frame)))
    top, left = position.split("-")
    assert (rows.max() < 180) if top == "top" else (rows.min() > 180)
    assert (cols.max() < 320) if left == "left" else (cols.min() > 320)


def test_label_scales_with_the_frame_but_has_a_floor(label: VisibleLabel) -> None:
    assert label.font_px(1080) > label.font_px(720) > label.font_px(360)
    assert label.font_px(180) == MIN_FONT_PX
    assert label.font_px(10) == MIN_FONT_PX


def test_every_frame_is_labelled_and_input_untouched(label: VisibleLabel) -> None:
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (180, 320, 3), dtype=np.uint8) for _ in range(3)]
    copies = [f.copy() for f in frames]
    for frame, copy in zip(frames, copies, strict=True):
        labelled = label.apply(frame)
        assert _changed(frame, labelled).sum() > 200
        assert np.array_equal(frame, copy)


def test_same_size_frames_reuse_one_rendering(label: VisibleLabel) -> None:
    frame = np.zeros((240, 426, 3), dtype=np.uint8)
    first = label.apply(frame)
    assert np.array_equal(first, label.apply(frame))
    assert (240, 426) in label._rendered


def test_japanese_is_rendered_not_boxes() -> None:
    path = _cjk_font_or_skip()
    assert missing_glyphs(path, DEFAULT_TEXT) == ()
    if Path(LATIN_ONLY_FONT).is_file():
        assert missing_glyphs(LATIN_ONLY_FONT, "生成") == ("成", "生")


def test_font_without_japanese_is_refused() -> None:
    if not Path(LATIN_ONLY_FONT).is_file():
        pytest.skip("DejaVu not installed")
    with pytest.raises(LabelFontError, match="cannot draw"):
        VisibleLabel(font_path=LATIN_ONLY_FONT)


def test_missing_font_path_is_refused() -> None:
    with pytest.raises(LabelFontError, match="not found"):
        VisibleLabel(font_path="/nonexistent/font.ttf")


def test_no_cjk_font_anywhere_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(label_module, "japanese_font_candidates", lambda: [Path(LATIN_ONLY_FONT)])
    with pytest.raises(LabelFontError, match="fonts-ipafont-gothic"):
        VisibleLabel()


def test_font_path_override_is_used() -> None:
    path = _cjk_font_or_skip()
    assert VisibleLabel(font_path=path).font_path == path


def test_custom_text_must_still_disclose_ai() -> None:
    _cjk_font_or_skip()
    assert VisibleLabel(text="ＡＩ生成コンテンツ").text == "ＡＩ生成コンテンツ"
    for text in ("", "   ", "generated", "生成"):
        with pytest.raises(LabelError, match="AI"):
            VisibleLabel(text=text)


def test_unknown_position_is_refused() -> None:
    with pytest.raises(LabelError, match="position"):
        VisibleLabel(position="off")


def test_frame_too_small_for_the_label_is_refused(label: VisibleLabel) -> None:
    with pytest.raises(LabelError, match="too small"):
        label.apply(np.zeros((40, 80, 3), dtype=np.uint8))


@pytest.mark.parametrize(
    "frame",
    [np.zeros((180, 320), dtype=np.uint8), np.zeros((180, 320, 3), dtype=np.float32)],
)
def test_bad_frames_are_refused(label: VisibleLabel, frame: np.ndarray) -> None:
    with pytest.raises(LabelError):
        label.apply(frame)
