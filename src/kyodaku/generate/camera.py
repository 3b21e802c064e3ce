"""Camera framing: how each camera instruction moves the storyboard's view.

The storyboard paints each shot once on an oversized canvas and films it with
a virtual camera: every frame is a crop of the canvas scaled to the output
size. A camera instruction becomes a path of that crop over the shot — a
slow push for a close-up, a lateral drift for a pan, a rising view for a tilt
— which is cheap (one resize per frame) and reads at a glance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kyodaku.generate.shotlist import Camera

#: The canvas is this much larger than the frame, leaving room to move.
CANVAS_MARGIN = 1.35


@dataclass(frozen=True, slots=True)
class View:
    """Centre (fractions of the canvas) and size (fraction of canvas width) of the crop."""

    cx: float
    cy: float
    scale: float


@dataclass(frozen=True, slots=True)
class Move:
    """A camera path: views at the start and end of the shot, and how to get there."""

    start: View
    end: View
    eased: bool = True


_MOVES: dict[Camera, Move] = {
    Camera.STATIC: Move(View(0.5, 0.5, 0.80), View(0.5, 0.5, 0.78)),
    Camera.WIDE: Move(View(0.5, 0.5, 0.97), View(0.5, 0.5, 0.90)),
    Camera.CLOSE_UP: Move(View(0.5, 0.52, 0.62), View(0.5, 0.52, 0.48)),
    Camera.PUSH_IN: Move(View(0.5, 0.5, 0.95), View(0.5, 0.52, 0.55)),
    Camera.PULL_OUT: Move(View(0.5, 0.52, 0.55), View(0.5, 0.5, 0.95)),
    Camera.PAN_LEFT: Move(View(0.64, 0.5, 0.70), View(0.36, 0.5, 0.70)),
    Camera.PAN_RIGHT: Move(View(0.36, 0.5, 0.70), View(0.64, 0.5, 0.70)),
    Camera.TILT_UP: Move(View(0.5, 0.64, 0.70), View(0.5, 0.36, 0.70)),
    Camera.TILT_DOWN: Move(View(0.5, 0.36, 0.70), View(0.5, 0.64, 0.70)),
    Camera.TRACKING: Move(View(0.34, 0.52, 0.72), View(0.66, 0.52, 0.72), eased=False),
    Camera.AERIAL: Move(View(0.45, 0.55, 0.70), View(0.55, 0.45, 0.92)),
    Camera.LOW_ANGLE: Move(View(0.5, 0.62, 0.74), View(0.5, 0.56, 0.70)),
    Camera.HIGH_ANGLE: Move(View(0.5, 0.40, 0.74), View(0.5, 0.46, 0.70)),
    Camera.HANDHELD: Move(View(0.5, 0.5, 0.78), View(0.5, 0.5, 0.78)),
}


def move_for(camera: Camera) -> Move:
    return _MOVES[camera]


def view_at(camera: Camera, u: float, *, shake: bool = False, phase: float = 0.0) -> View:
    """The view ``u`` of the way through the shot (0 ≤ u ≤ 1).

    ``shake`` adds a hand-held wobble (a sum of slow sines, so it is smooth
    and reproducible; ``phase`` comes from the seed).
    """
    move = _MOVES[camera]
    u = min(1.0, max(0.0, u))
    t = u * u * (3 - 2 * u) if move.eased else u  # smoothstep: starts and stops gently
    cx = move.start.cx + (move.end.cx - move.start.cx) * t
    cy = move.start.cy + (move.end.cy - move.start.cy) * t
    scale = move.start.scale + (move.end.scale - move.start.scale) * t
    if shake or camera is Camera.HANDHELD:
        w = 2 * math.pi * u
        cx += 0.010 * math.sin(3.1 * w + phase) + 0.005 * math.sin(7.3 * w + 2 * phase)
        cy += 0.008 * math.sin(2.7 * w + 3 * phase) + 0.004 * math.sin(6.1 * w + phase)
    return View(cx, cy, scale)


def crop_box(view: View, canvas_w: int, canvas_h: int) -> tuple[float, float, float, float]:
    """The crop rectangle for ``view``, kept inside the canvas."""
    w = view.scale * canvas_w
    h = view.scale * canvas_h
    x0 = min(max(view.cx * canvas_w - w / 2, 0.0), canvas_w - w)
    y0 = min(max(view.cy * canvas_h - h / 2, 0.0), canvas_h - h)
    return (x0, y0, x0 + w, y0 + h)
