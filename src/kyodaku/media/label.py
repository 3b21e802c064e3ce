"""Visible "AI生成 / AI-generated" label burnt into every frame of a generated video.

Why it cannot be switched off: the label is the disclosure a viewer sees without any tool, so
the only settings are the corner it sits in, its wording (which must still say "AI") and the
font; its size follows the frame with a floor, and there is no "off" or "transparent" option.
It is applied before the invisible watermark, so the watermark covers the final pixels.

Japanese needs a CJK font. The font is looked up once, in this order: the ``font_path`` given,
fonts shipped in ``kyodaku/media/fonts/``, then well-known system locations (Debian's
``fonts-ipafont-gothic`` and Noto CJK). A font that cannot draw every character of the text is
refused with a clear error rather than rendering boxes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kyodaku.media.fonts import draws, japanese_font_candidates, missing_glyphs
from kyodaku.messages import render

DEFAULT_TEXT = f"{render('label.ai_generated', 'ja')} / {render('label.ai_generated', 'en')}"
POSITIONS = ("top-left", "top-right", "bottom-left", "bottom-right")

TEXT_HEIGHT_FRACTION = 0.032  # of the frame's height: small, but readable on a phone
MIN_FONT_PX = 12  # floor: the label never shrinks below this, whatever the frame
BOX_OPACITY = 0.55  # dark box behind the text
TEXT_OPACITY = 0.92
MARGIN_FRACTION = 0.02  # gap to the frame's edges, of the smaller side


class LabelError(ValueError):
    """The label cannot be rendered as configured (bad position or text, frame too small)."""


class LabelFontError(LabelError):
    """No font able to draw the label's text (Japanese included) was found."""


def find_font(text: str = DEFAULT_TEXT, font_path: str | None = None) -> str:
    """Path of a font that draws every character of ``text``; raise LabelFontError otherwise."""
    if font_path is not None:
        if not Path(font_path).is_file():
            raise LabelFontError(f"label font not found: {font_path}")
        try:
            missing = missing_glyphs(font_path, text)
        except OSError as exc:
            raise LabelFontError(f"label font {font_path} cannot be loaded: {exc}") from exc
        if missing:
            raise LabelFontError(f"label font {font_path} cannot draw {''.join(missing)}")
        return font_path
    candidates = japanese_font_candidates()
    for candidate in candidates:
        if draws(candidate, text):
            return str(candidate)
    raise LabelFontError(
        "no font able to draw the label text "
        f"{text!r} was found (tried {len(candidates)} locations); install a Japanese font "
        "(Debian: apt-get install fonts-ipafont-gothic) or pass font_path"
    )


@dataclass(frozen=True)
class _RenderedLabel:
    """The label pre-rendered for one frame size: where it goes, its colour and its opacity."""

    top: int
    left: int
    colour: np.ndarray  # (h, w, 3) uint16
    alpha: np.ndarray  # (h, w, 1) uint16, 0..255


class VisibleLabel:
    """Burns the AI-generation label into frames, in one corner, at a size set by the frame."""

    def __init__(
        self,
        position: str = "bottom-right",
        text: str | None = None,
        font_path: str | None = None,
    ) -> None:
        if position not in POSITIONS:
            raise LabelError(f"label position must be one of {', '.join(POSITIONS)}: {position!r}")
        text = DEFAULT_TEXT if text is None else text.strip()
        if "AI" not in unicodedata.normalize("NFKC", text):
            raise LabelError(f"label text must disclose AI generation (contain 'AI'): {text!r}")
        self.position = position
        self.text = text
        self.font_path = find_font(text, font_path)
        self._rendered: dict[tuple[int, int], _RenderedLabel] = {}

    def apply(self, frame: np.ndarray) -> np.ndarray:
        """Return a copy of ``frame`` (H, W, 3) uint8 RGB with the label drawn on it."""
        if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8:
            raise LabelError("frame must be a uint8 numpy array")
        if frame.ndim != 3 or frame.shape[2] != 3:
            raise LabelError(f"frame must have shape (H, W, 3), got {frame.shape}")
        height, width = frame.shape[:2]
        label = self._rendered.get((height, width))
        if label is None:
            label = self._render(height, width)
            self._rendered[(height, width)] = label
        out = frame.copy()
        rows = slice(label.top, label.top + label.alpha.shape[0])
        cols = slice(label.left, label.left + label.alpha.shape[1])
        region = out[rows, cols].astype(np.uint16)
        blended = (region * (255 - label.alpha) + label.colour * label.alpha + 127) // 255
        out[rows, cols] = blended.astype(np.uint8)
        return out

    def font_px(self, frame_height: int) -> int:
        """Text size for a frame height: a fixed fraction of it, never below the floor."""
        return max(MIN_FONT_PX, round(frame_height * TEXT_HEIGHT_FRACTION))

    def _render(self, height: int, width: int) -> _RenderedLabel:
        size = self.font_px(height)
        font = ImageFont.truetype(self.font_path, size)
        left_ink, top_ink, right_ink, bottom_ink = font.getbbox(self.text)
        pad_x, pad_y = max(4, size // 2), max(3, size // 3)
        box_w = right_ink - left_ink + 2 * pad_x
        box_h = bottom_ink - top_ink + 2 * pad_y
        margin = max(2, round(min(height, width) * MARGIN_FRACTION))
        if box_w + 2 * margin > width or box_h + 2 * margin > height:
            raise LabelError(
                f"frame {width}×{height} is too small for the label ({box_w}×{box_h} px at the "
                f"minimum text size {MIN_FONT_PX} px)"
            )
        text_alpha = Image.new("L", (box_w, box_h), 0)
        ImageDraw.Draw(text_alpha).text(
            (pad_x - left_ink, pad_y - top_ink), self.text, font=font, fill=255
        )
        ink = np.asarray(text_alpha, dtype=np.float64)[:, :, None] / 255.0
        # White text at TEXT_OPACITY over a black box at BOX_OPACITY, as one colour and alpha.
        alpha = 1.0 - (1.0 - BOX_OPACITY) * (1.0 - TEXT_OPACITY * ink)
        colour = 255.0 * TEXT_OPACITY * ink / alpha
        top = margin if self.position.startswith("top") else height - margin - box_h
        left = margin if self.position.endswith("left") else width - margin - box_w
        return _RenderedLabel(
            top=top,
            left=left,
            colour=np.repeat(np.clip(np.rint(colour), 0, 255), 3, axis=2).astype(np.uint16),
            alpha=np.rint(alpha * 255).astype(np.uint16),
        )
