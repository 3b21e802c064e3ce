"""Visual looks for the storyboard, one per requested style.

A look is a few palettes (so consecutive shots are told apart), outline and
finish choices and an optional letterbox. They are plain data so that a new
style is a new entry here, not new drawing code.
"""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Palette:
    sky_top: RGB
    sky_bottom: RGB
    ground_top: RGB
    ground_bottom: RGB
    light: RGB  # sun / moon / lamp
    shapes: tuple[RGB, ...]


@dataclass(frozen=True, slots=True)
class Look:
    name: str
    palettes: tuple[Palette, ...]
    #: Dark outline around shapes (cel shading) and its width per 720 px of height.
    outline: RGB | None = None
    outline_width: int = 0
    #: Soften the painted canvas (photographic depth), radius per 720 px of height.
    blur: float = 0.0
    #: Darken the canvas corners, 0 (none) to 1.
    vignette: float = 0.0
    #: Picture aspect ratio inside black bars (e.g. 2.39 scope), if letterboxed.
    letterbox: float | None = None
    particle: RGB = (255, 255, 255)
    accent: RGB = (255, 200, 80)


LIVE_ACTION = Look(
    name="live-action",
    palettes=(
        Palette(
            (118, 160, 204),
            (206, 222, 232),
            (104, 126, 88),
            (60, 78, 52),
            (255, 244, 214),
            ((150, 110, 80), (90, 96, 110), (176, 160, 130), (70, 90, 70)),
        ),
        Palette(
            (64, 74, 112),
            (222, 150, 110),
            (86, 80, 72),
            (40, 38, 36),
            (255, 210, 150),
            ((120, 84, 70), (60, 62, 80), (160, 120, 96), (90, 70, 60)),
        ),
        Palette(
            (16, 22, 40),
            (48, 62, 92),
            (34, 38, 44),
            (16, 18, 22),
            (236, 236, 214),
            ((70, 80, 100), (110, 96, 70), (50, 60, 70), (140, 130, 110)),
        ),
    ),
    blur=1.6,
    vignette=0.35,
    particle=(255, 250, 235),
    accent=(240, 200, 120),
)

CINEMATIC = Look(
    name="cinematic",
    palettes=(
        Palette(
            (18, 52, 66),
            (70, 120, 130),
            (40, 44, 46),
            (16, 20, 22),
            (255, 170, 90),
            ((214, 130, 70), (30, 80, 96), (180, 96, 56), (60, 110, 120)),
        ),
        Palette(
            (30, 26, 48),
            (190, 100, 70),
            (50, 40, 40),
            (20, 16, 18),
            (255, 190, 120),
            ((220, 120, 60), (40, 70, 90), (150, 70, 50), (70, 100, 120)),
        ),
        Palette(
            (8, 20, 28),
            (24, 60, 72),
            (20, 26, 30),
            (6, 8, 10),
            (255, 150, 80),
            ((200, 110, 60), (20, 70, 84), (120, 60, 40), (40, 90, 100)),
        ),
    ),
    blur=2.2,
    vignette=0.6,
    letterbox=2.39,
    particle=(255, 200, 140),
    accent=(255, 170, 90),
)

ANIME = Look(
    name="anime",
    palettes=(
        Palette(
            (92, 170, 255),
            (190, 232, 255),
            (120, 210, 120),
            (70, 170, 90),
            (255, 255, 235),
            ((255, 120, 150), (255, 210, 80), (120, 140, 255), (255, 255, 255)),
        ),
        Palette(
            (255, 140, 170),
            (255, 214, 170),
            (150, 120, 200),
            (100, 80, 160),
            (255, 250, 200),
            ((255, 90, 120), (255, 230, 120), (90, 200, 255), (250, 250, 250)),
        ),
        Palette(
            (40, 40, 120),
            (120, 90, 200),
            (60, 60, 130),
            (30, 30, 80),
            (255, 250, 190),
            ((255, 120, 200), (120, 255, 220), (255, 230, 90), (240, 240, 255)),
        ),
    ),
    outline=(30, 24, 48),
    outline_width=4,
    particle=(255, 255, 255),
    accent=(255, 90, 140),
)

LOOKS: dict[str, Look] = {look.name: look for look in (LIVE_ACTION, CINEMATIC, ANIME)}
DEFAULT_LOOK = "live-action"


def look_for(style: str | None) -> Look:
    """The look for a requested style (``None`` → live-action)."""
    return LOOKS[style or DEFAULT_LOOK]
