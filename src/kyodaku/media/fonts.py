"""Finding fonts that really draw Japanese (labels and captions share this).

Pillow draws Japanese as identical boxes ("tofu") with a Latin-only font; a
label reading "□□ / AI-generated" looks like it worked and is worse than an
error. So every font is checked glyph by glyph before it is used. A Japanese
font ships with kyodaku as a Python dependency (Noto Sans CJK JP, SIL Open
Font License, from PyPI), so a fresh install draws Japanese without system
packages; system fonts and fontconfig are the fallbacks.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

#: Environment variable that names a font file to use instead.
FONT_ENV = "KYODAKU_CJK_FONT"

#: Fonts in the package's own folder (if an operator drops one there).
PACKAGED_FONTS_DIR = Path(__file__).with_name("fonts")

#: Where common systems keep a Japanese-capable font.
SYSTEM_FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansJP-Regular.ttf",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:/Windows/Fonts/meiryo.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
)


def bundled_fonts() -> list[Path]:
    """Fonts that come with the installation: the package folder, then the PyPI font."""
    found = sorted(PACKAGED_FONTS_DIR.glob("*.tt[fc]")) + sorted(PACKAGED_FONTS_DIR.glob("*.otf"))
    try:
        import noto_cjk_sans_jp_regular as noto
    except ImportError:
        return found
    path = Path(str(noto.FONT_PATH))
    return [*found, path] if path.is_file() else found


def japanese_font_candidates() -> list[Path]:
    """Every font worth trying for Japanese text, best first (not yet checked)."""
    system = [Path(p) for p in SYSTEM_FONT_CANDIDATES if Path(p).is_file()]
    return [*bundled_fonts(), *system, *fontconfig_japanese_fonts()]


def fontconfig_japanese_fonts() -> list[Path]:
    """Fonts fontconfig says support Japanese (empty when fontconfig is absent)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listing = subprocess.run(
            [fc_list, ":lang=ja", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    paths = (line.split(":", 1)[0].strip() for line in listing.splitlines())
    return sorted(Path(p) for p in paths if p)


def _glyph_bitmap(font: ImageFont.FreeTypeFont, character: str) -> bytes:
    image = Image.new("L", (64, 64), 0)
    ImageDraw.Draw(image).text((8, 8), character, font=font, fill=255)
    return image.tobytes()


@lru_cache(maxsize=256)
def missing_glyphs(font_path: str, text: str) -> tuple[str, ...]:
    """Characters of ``text`` the font draws as its missing-glyph box, or not at all.

    Raises OSError when the file is not a font Pillow can load.
    """
    font = ImageFont.truetype(font_path, 32)
    tofu = _glyph_bitmap(font, "\U0010fffd")  # a private-use code point no font draws
    blank = bytes(64 * 64)
    return tuple(
        sorted(
            ch for ch in set(text) if not ch.isspace() and _glyph_bitmap(font, ch) in (tofu, blank)
        )
    )


def draws(font_path: str | Path, text: str) -> bool:
    """Whether the font at ``font_path`` has real glyphs for every character of ``text``."""
    try:
        return not missing_glyphs(str(font_path), text)
    except OSError:
        return False
