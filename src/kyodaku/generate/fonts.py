"""Finding a font that can draw Japanese.

Pillow draws Japanese as identical boxes ("tofu") with a Latin-only font, and
a storyboard whose caption is a row of boxes is worse than none: it looks
like it worked. So the renderer asks this module for a font that really has
Japanese glyphs, and gets a clear error naming the fix when there is none.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from kyodaku.generate.base import BackendConfigError
from kyodaku.media.fonts import FONT_ENV, draws, japanese_font_candidates

#: Kana and kanji that any Japanese font draws and a Latin-only font cannot.
_PROBE_TEXT = "あい語"


class MissingFontError(BackendConfigError):
    """No font that can draw Japanese text is available."""

    default_code = "generate.missing_cjk_font"


def draws_japanese(font_path: str | Path) -> bool:
    """Whether the font at ``font_path`` has real glyphs for kana and kanji."""
    return draws(font_path, _PROBE_TEXT)


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
    for candidate in japanese_font_candidates():
        if draws_japanese(candidate):
            return candidate
    raise MissingFontError(
        "no font that can draw Japanese was found; install one "
        "(Debian/Ubuntu: apt-get install fonts-ipafont-gothic) or set "
        f"{FONT_ENV} to a .ttf/.otf/.ttc file"
    )


@lru_cache(maxsize=64)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """Load (and cache) a font at a pixel size."""
    try:
        return ImageFont.truetype(path, size)
    except OSError as exc:
        raise MissingFontError(f"cannot load font {path}: {exc}") from exc
