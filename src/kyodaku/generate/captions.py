"""Caption layout: wrapping English by words and Japanese by characters.

Japanese has no spaces, so it wraps between any two characters, except that a
line must not begin with closing punctuation or a small kana mark (the
*kinsoku* rule); English wraps between words. Both can appear in one caption.
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kyodaku.generate.fonts import MissingFontError, find_cjk_font, load_font
from kyodaku.generate.shotlist import language_of

#: Characters that may not start a line (kinsoku shori, the common subset).
_NO_LINE_START = set(
    "、。，．・：；？！ー」』）】〕〉》”’"  # closing punctuation
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ"  # small kana
    "!?,.:;)"
)

#: A "word" is a run of Latin letters/digits (kept together) or any other
#: single character (Japanese wraps anywhere); spaces are separate tokens.
_TOKEN = re.compile(r"[A-Za-z0-9À-ɏ'’\-_/&@#%+=.,:;!?()\"“”]+|\s+|.", re.DOTALL)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def caption_font(text: str, size: int) -> Font:
    """The font to draw ``text`` with: a Japanese-capable one, required for Japanese.

    Latin-only text falls back to Pillow's built-in scalable font when no CJK
    font is installed, so English previews work anywhere; Japanese text
    raises :class:`~kyodaku.generate.fonts.MissingFontError` instead of
    drawing boxes.
    """
    if language_of(text) == "ja":
        return load_font(str(find_cjk_font()), size)
    try:
        return load_font(str(find_cjk_font()), size)
    except MissingFontError:
        return ImageFont.load_default(size)


def wrap(text: str, font: Font, max_width: float, max_lines: int | None = None) -> list[str]:
    """Greedy line breaking that respects word boundaries and kinsoku.

    When ``max_lines`` cuts the text short, the last line ends with "…".
    """
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        candidate = current + token
        if not current.strip() or font.getlength(candidate) <= max_width:
            current = candidate
            continue
        if token.isspace():
            lines.append(current.rstrip())
            current = ""
        elif token[0] in _NO_LINE_START:
            current = candidate  # keep the closing mark on this line, overhang slightly
        else:
            lines.append(current.rstrip())
            current = token
    if current.strip():
        lines.append(current.strip())
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and font.getlength(last + "…") > max_width:
            last = last[:-1]
        kept[-1] = last.rstrip() + "…"
        return kept
    return lines


def render_caption(
    text: str,
    width: int,
    font_size: int,
    *,
    max_lines: int = 3,
    font: Font | None = None,
    font_path: str | Path | None = None,
    fill: tuple[int, int, int] = (255, 255, 255),
    box: tuple[int, int, int, int] = (0, 0, 0, 150),
    shrink: bool = True,
) -> Image.Image:
    """Draw ``text`` wrapped to ``width`` on a translucent box; returns an RGBA image.

    With ``shrink`` the box narrows to the longest line.

    ``font``/``font_path`` override the automatic choice (tests use this to
    compare a Japanese font with a Latin-only one).
    """
    if font is None:
        font = load_font(str(font_path), font_size) if font_path else caption_font(text, font_size)
    pad = max(4, font_size // 2)
    lines = wrap(text, font, width - 2 * pad, max_lines)
    line_height = round(font_size * 1.35)
    height = max(1, len(lines)) * line_height + 2 * pad
    if shrink:
        widest = max((font.getlength(line) for line in lines), default=0.0)
        width = min(width, round(widest) + 2 * pad)
    image = Image.new("RGBA", (width, height), box)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((pad, pad + i * line_height), line, font=font, fill=(*fill, 255))
    return image
