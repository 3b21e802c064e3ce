"""Captions: Japanese drawn with a real Japanese font, wrapping rules, missing fonts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import ImageFont

from kyodaku.generate import fonts
from kyodaku.generate.captions import caption_font, render_caption, wrap
from kyodaku.generate.fonts import MissingFontError, draws_japanese, find_cjk_font

#: A Latin-only font: Pillow's own bundled one (draws Japanese as boxes).
LATIN = ImageFont.load_default(28)


@pytest.fixture
def cjk_font() -> Path:
    try:
        return find_cjk_font()
    except MissingFontError as exc:
        pytest.skip(f"no Japanese font installed here: {exc}")


def pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_japanese_caption_is_drawn_with_real_glyphs(cjk_font: Path) -> None:
    text = "港に朝日が昇る"
    real = render_caption(text, 400, 28, font_path=cjk_font, shrink=False)
    tofu = render_caption(text, 400, 28, font=LATIN, shrink=False)
    assert real.size == tofu.size
    assert np.abs(pixels(real) - pixels(tofu)).mean() > 1.0
    # Distinct characters get distinct glyphs (a missing-glyph box is the same for all).
    a = render_caption("あ", 60, 28, font_path=cjk_font, shrink=False)
    i = render_caption("い", 60, 28, font_path=cjk_font, shrink=False)
    assert not np.array_equal(pixels(a), pixels(i))


def test_latin_only_font_is_not_accepted_as_japanese(cjk_font: Path) -> None:
    assert draws_japanese(cjk_font)
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if dejavu.exists():
        assert not draws_japanese(dejavu)


def test_missing_japanese_font_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    monkeypatch.setattr(fonts, "japanese_font_candidates", list)
    fonts.find_cjk_font.cache_clear()
    try:
        with pytest.raises(MissingFontError, match="fonts-ipafont-gothic") as caught:
            caption_font("港の朝", 20)
        assert caught.value.code == "generate.missing_cjk_font"
        # English still renders with the built-in font.
        assert render_caption("harbour at dawn", 200, 20).height > 0
    finally:
        fonts.find_cjk_font.cache_clear()


def test_configured_font_without_japanese_is_refused(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "nope.ttf"))
    fonts.find_cjk_font.cache_clear()
    try:
        with pytest.raises(MissingFontError, match="does not name a font file"):
            find_cjk_font()
    finally:
        fonts.find_cjk_font.cache_clear()


def test_english_wraps_between_words() -> None:
    lines = wrap("the quick brown fox jumps over the lazy dog", LATIN, 200)
    assert len(lines) > 1
    assert " ".join(lines) == "the quick brown fox jumps over the lazy dog"
    assert all(LATIN.getlength(line) <= 200 for line in lines)


def test_japanese_wraps_between_characters_but_not_before_closing_marks(cjk_font) -> None:
    font = ImageFont.truetype(str(cjk_font), 20)
    text = "猫が「おはよう」と言った。港に朝日が昇り、カモメが鳴いている。"
    for width in range(80, 260, 7):
        lines = wrap(text, font, width)
        assert "".join(lines) == text
        assert not any(line[0] in "、。」』ー" for line in lines), lines


def test_too_many_lines_end_with_an_ellipsis() -> None:
    lines = wrap("one two three four five six seven eight nine ten", LATIN, 90, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")
