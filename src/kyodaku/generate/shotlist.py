"""Prompt → shot list: how a multi-shot instruction is cut into shots.

People write video prompts as little scripts: "Shot 1: … Shot 2: …", "a wide
shot of the harbour, then a close-up of the cat", "A → B → C", 「ショット1：…」,
「…。次に…」. The storyboard renderer draws one card per shot, so it needs the
shots, each shot's camera instruction and its quoted dialogue. This parser is
pure text work (no I/O) and deliberately forgiving: a prompt with no structure
is simply one shot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Camera(StrEnum):
    """Camera instructions the storyboard knows how to animate."""

    STATIC = "static"
    WIDE = "wide"
    CLOSE_UP = "close-up"
    PUSH_IN = "push-in"
    PULL_OUT = "pull-out"
    PAN_LEFT = "pan-left"
    PAN_RIGHT = "pan-right"
    TILT_UP = "tilt-up"
    TILT_DOWN = "tilt-down"
    TRACKING = "tracking"
    AERIAL = "aerial"
    LOW_ANGLE = "low-angle"
    HIGH_ANGLE = "high-angle"
    HANDHELD = "handheld"


@dataclass(frozen=True, slots=True)
class Line:
    """A quoted line of dialogue, to be spoken."""

    text: str
    lang: str  # "ja" or "en"


@dataclass(frozen=True, slots=True)
class Shot:
    """One shot: its text (numbering and transition words removed) and what it asks for."""

    index: int  # 1-based, in order of appearance
    text: str
    cameras: tuple[Camera, ...] = ()
    dialogue: tuple[Line, ...] = ()
    lang: str = "en"
    #: Length the prompt asked for ("Shot 1 (2s): …"), if any.
    duration_hint_s: float | None = None

    @property
    def camera(self) -> Camera:
        """The shot's main camera move: the first one mentioned.

        "Handheld" describes how the camera moves, not where, so it yields to
        any other instruction ("handheld tracking shot" tracks, with a shake).
        """
        moves = [c for c in self.cameras if c is not Camera.HANDHELD]
        if moves:
            return moves[0]
        return Camera.HANDHELD if self.cameras else Camera.STATIC


@dataclass(frozen=True, slots=True)
class ShotList:
    """The shots of a prompt, plus any text before the first numbered shot."""

    shots: tuple[Shot, ...]
    context: str = ""


# --------------------------------------------------------------------------- patterns

_JA_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")

_QUOTES = re.compile(r'"([^"\n]{2,})"|“([^”\n]{2,})”|「([^」\n]{2,})」|『([^』\n]{2,})』')

_DURATION = r"(?:[(（]\s*(?P<dur>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?|秒)\s*[)）])?"

#: "Shot 1:", "Scene 2 (3s).", "shot #3 -", "ショット1：", "シーン２、", "カット三"
_NUMBERED = re.compile(
    r"(?:\b(?:shot|scene|cut)\s*#?\s*(?P<en>\d+)\s*" + _DURATION + r"\s*[:.\-–—)]"
    r"|(?:ショット|シーン|カット)\s*(?P<ja>[0-9]+|[一二三四五六七八九十]+)\s*"
    + _DURATION.replace("dur", "jdur")
    + r"\s*[:：.．、。\-)）]?)",
    re.IGNORECASE,
)

#: Transitions between unnumbered shots.
_TRANSITION = re.compile(
    r"\s*(?:,|;|\.)?\s*(?:\band then\b|\bthen\b|\bcut to\b|\bafter that\b|\bnext,)\s*"
    r"|\s*(?:→|->|=>|⇒|⟶)\s*"
    r"|[、。]?\s*(?:次に|その後|それから|続いて)[、,]?\s*",
    re.IGNORECASE,
)

_CAMERA_PATTERNS: tuple[tuple[Camera, str], ...] = (
    (
        Camera.CLOSE_UP,
        r"\b(?:extreme\s+)?close[\s-]?ups?\b|クローズアップ|ドアップ|どアップ|寄りの?画",
    ),
    (
        Camera.PUSH_IN,
        r"\b(?:push(?:es|ing)?[\s-]in|dolly[\s-]in|zoom(?:s|ing)?[\s-]in)\b|ズームイン|寄っていく",
    ),
    (
        Camera.PULL_OUT,
        r"\b(?:zoom(?:s|ing)?[\s-]out|pull(?:s|ing)?[\s-](?:back|out)|dolly[\s-]out)\b"
        r"|ズームアウト|引いていく",
    ),
    (Camera.PAN_LEFT, r"\bpan(?:s|ning)?\s+(?:to\s+the\s+)?left\b|左に?パン|パンして左"),
    (
        Camera.PAN_RIGHT,
        r"\bpan(?:s|ning)?\b|右に?パン|パンして|パンする|パンショット",
    ),
    (Camera.TILT_UP, r"\btilt(?:s|ing)?\s+up\b|[テチ]ィ?ルトアップ"),
    (Camera.TILT_DOWN, r"\btilt(?:s|ing)?\s+down\b|[テチ]ィ?ルトダウン"),
    (
        Camera.TRACKING,
        r"\btracking\b|\bfollow(?:s|ing)?\s+shot\b|\bsteadicam\b|\bdolly\b"
        r"|トラッキング|フォローショット|追跡ショット|ドリー",
    ),
    (
        Camera.AERIAL,
        r"\baerial\b|\bdrone\b|\bbird[’']?s[\s-]eye\b|\boverhead\b|空撮|ドローン|俯瞰|鳥瞰",
    ),
    (Camera.LOW_ANGLE, r"\blow[\s-]angle\b|\bworm[’']?s[\s-]eye\b|ローアングル|あおり|煽り"),
    (Camera.HIGH_ANGLE, r"\bhigh[\s-]angle\b|ハイアングル"),
    (
        Camera.WIDE,
        r"\b(?:wide|establishing|long|full)[\s-](?:shot|angle)\b|\bwide\b"
        r"|ワイドショット|ロングショット|引きの?画|引きで|全景|遠景",
    ),
    (Camera.HANDHELD, r"\bhand[\s-]?held\b|\bshaky\s+cam\b|手持ち|ハンドヘルド"),
    (Camera.STATIC, r"\bstatic\s+shot\b|\blocked[\s-]off\b|固定カメラ|フィックス"),
    (Camera.PUSH_IN, r"\bzoom(?:s|ing)?\b|ズーム"),
)
_CAMERA_RE = tuple(
    (camera, re.compile(pattern, re.IGNORECASE)) for camera, pattern in _CAMERA_PATTERNS
)

_TRIM = " \t\r\n,.;:、。，．：；!！?？-–—"


# --------------------------------------------------------------------------- parsing


def parse_shot_list(prompt: str) -> ShotList:
    """Cut ``prompt`` into shots. Always returns at least one shot for a non-blank prompt."""
    text = unicodedata.normalize("NFKC", prompt)  # full-width digits and colons → ASCII
    quoted = _quoted_ranges(text)
    numbered = [m for m in _NUMBERED.finditer(text) if not _inside(m.start(), quoted)]
    if numbered:
        context = text[: numbered[0].start()].strip(_TRIM)
        pieces: list[tuple[str, float | None]] = []
        for i, match in enumerate(numbered):
            end = numbered[i + 1].start() if i + 1 < len(numbered) else len(text)
            hint = match.group("dur") or match.group("jdur")
            pieces.append((text[match.end() : end], float(hint) if hint else None))
    else:
        context = ""
        pieces = [(piece, None) for piece in _split_transitions(text, quoted)]
    shots = []
    for body, hint in pieces:
        cleaned = body.strip(_TRIM)
        if cleaned:
            shots.append(_make_shot(len(shots) + 1, cleaned, hint))
    if not shots:
        stripped = text.strip(_TRIM) or text.strip()
        if not stripped:
            return ShotList(shots=())
        shots.append(_make_shot(1, stripped, None))
    return ShotList(shots=tuple(shots), context=context)


def _split_transitions(text: str, quoted: list[tuple[int, int]]) -> list[str]:
    pieces, start = [], 0
    for match in _TRANSITION.finditer(text):
        if _inside(match.start(), quoted) or match.start() == match.end():
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    return pieces


def _make_shot(index: int, text: str, hint: float | None) -> Shot:
    return Shot(
        index=index,
        text=text,
        cameras=camera_moves(text),
        dialogue=dialogue_lines(text),
        lang=language_of(text),
        duration_hint_s=hint if hint and hint > 0 else None,
    )


def camera_moves(text: str) -> tuple[Camera, ...]:
    """Camera instructions in ``text`` (outside quotes), in order of appearance."""
    quoted = _quoted_ranges(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Camera]] = []
    for camera, pattern in _CAMERA_RE:
        for match in pattern.finditer(text):
            span = match.span()
            if _inside(span[0], quoted) or any(_overlaps(span, t) for t in taken):
                continue
            taken.append(span)
            found.append((span[0], camera))
    ordered: list[Camera] = []
    for _, camera in sorted(found, key=lambda item: item[0]):
        if camera not in ordered:
            ordered.append(camera)
    return tuple(ordered)


def dialogue_lines(text: str) -> tuple[Line, ...]:
    """Quoted speech in ``text``: "…", “…”, 「…」, 『…』."""
    lines = []
    for match in _QUOTES.finditer(text):
        spoken = next(g for g in match.groups() if g is not None).strip()
        if spoken:
            lines.append(Line(text=spoken, lang=language_of(spoken)))
    return tuple(lines)


def language_of(text: str) -> str:
    """``"ja"`` if the text contains kana or kanji, else ``"en"``."""
    return "ja" if _JA_CHARS.search(text) else "en"


def allocate_frames(shots: tuple[Shot, ...], total_frames: int) -> list[int]:
    """Share ``total_frames`` among shots: equal, or in proportion to asked lengths.

    Shots with a length hint get their share of the requested total in
    proportion to the hint; shots without one share equally. Rounding is done
    by largest remainder so the sum is exactly ``total_frames``.
    """
    if not shots:
        return []
    hinted = [s.duration_hint_s for s in shots if s.duration_hint_s]
    default = sum(hinted) / len(hinted) if hinted else 1.0
    weights = [s.duration_hint_s or default for s in shots]
    scale = total_frames / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    remainder = total_frames - sum(counts)
    order = sorted(range(len(shots)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[:remainder]:
        counts[i] += 1
    return counts


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTES.finditer(text)]


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
