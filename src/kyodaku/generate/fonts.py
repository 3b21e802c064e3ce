"""Finding a font that can draw Japanese.

Pillow draws Japanese as identical boxes ("tofu") with a Latin-only font, and
a storyboard whose caption is a row of boxes is worse than none: it looks
like it worked. So the renderer asks this module for a font that really has
Japanese glyphs, and gets a clear error naming the fix when there is none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from kyodaku.generate.base import BackendConfigError

#: Environment variable that names a font file to use for captions.
FONT_ENV = "KYODAKU_CJK_FONT"

#: Where common systems keep a Japanese-capable font (Debian/Ubuntu IPA and
#: Noto CJK packages, macOS, Windows). Checked in order before asking fontconfig.
CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:/Windows/Fonts/meiryo.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
)

#: Two kana that any Japanese font draws differently and that a font without
#: them draws as the same missing-glyph box.
_PROBE_CHARS = ("あ", "い", "語")


class MissingFontError(BackendConfigError):
    """No font that can draw Japanese text is available."""

    default_code = "generate.missing_cjk_font"


def draws_japanese(font_path: str | Path) -> bool:
    """Whether the font at ``font_path`` has real glyphs for kana and kanji.

    A font without them renders every such character as the same box, so the
    check compares the bitmaps of distinct characters.
    """
    try:
        font = ImageFont.truetype(str(font_path), 32)
    except OSError:
        return False
    masks = [bytes(font.getmask(ch)) for ch in _PROBE_CHARS]
    return len(set(masks)) == len(masks) and all(any(m) for m in masks)


@lru_cache(maxsize=1)
def find_cjk_font() -> Path:
    """Locate a font that draws Japanese; raise :class:`MissingFontError` if none."""
    configured = os.environ.get(FONT_ENV)
    if configured:
        if not Path(configured).is_file():
            raise MissingFontError(f"{FONT_ENV}={configured} does not name a font file")
        if not draws_japanese(configured):
            raise MissingFontError(f"{FONT_ENV}={configured} has no Japanese glyphs")
        return Path(configured)
    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).is_file() and draws_japanese(candidate):
            return Path(candidate)
    for candidate in _fontconfig_japanese_fonts():
        if draws_japanese(candidate):
            return candidate
    raise MissingFontError(
        "no font that can draw Japanese was found; install one "
        "(Debian/Ubuntu: apt-get install fonts-ipafont-gothic) or set "
        f"{FONT_ENV} to a .ttf/.otf/.ttc file"
    )


def _fontconfig_japanese_fonts() -> list[Path]:
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


@lru_cache(maxsize=64)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """Load (and cache) a font at a pixel size."""
    try:
        return ImageFont.truetype(path, size)
    except OSError as exc:
        raise MissingFontError(f"cannot load font {path}: {exc}") from exc
