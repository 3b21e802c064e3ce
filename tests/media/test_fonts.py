from pathlib import Path

from kyodaku.media.fonts import bundled_fonts, draws, japanese_font_candidates, missing_glyphs


def test_a_japanese_font_comes_with_the_installation():
    fonts = bundled_fonts()
    assert fonts, "the noto-cjk-sans-jp-regular dependency should provide a font"
    assert draws(fonts[-1], "AI生成 / AI-generated ピカチュウ")
    assert japanese_font_candidates()[: len(fonts)] == fonts


def test_a_file_that_is_not_a_font_draws_nothing(tmp_path: Path):
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font")
    assert not draws(fake, "あ")


def test_missing_glyphs_ignores_spaces():
    font = bundled_fonts()[-1]
    assert missing_glyphs(str(font), "あ い") == ()
