"""The built-in storyboard renderer: the default backend, CPU only, no model weights.

It turns the prompt into a shot list and films each shot as an animated card:
a painted scene in the requested style, moved by a virtual camera that
follows the shot's camera instruction, with the shot's caption, a shot label
and a running timecode, over an ambient chord per shot and any quoted
dialogue spoken aloud. It is a fast offline preview, so the whole gateway —
screening, policy, generation, sealing, ledger — runs anywhere; hosted
backends produce the real footage.

Everything random is drawn from the request's seed, so the same request and
seed give byte-identical frames.
"""

from __future__ import annotations

import queue
import re
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from kyodaku.generate import audio as sound
from kyodaku.generate.base import (
    STYLES,
    BackendConfigError,
    BackendError,
    Capabilities,
    GenerationOutput,
    GenerationRequest,
    ProgressCallback,
    UnsupportedRequest,
    check_request,
)
from kyodaku.generate.camera import CANVAS_MARGIN, crop_box, view_at
from kyodaku.generate.captions import caption_font, render_caption
from kyodaku.generate.looks import Look, Palette, look_for
from kyodaku.generate.shotlist import Camera, Shot, ShotList, allocate_frames, parse_shot_list
from kyodaku.media.video_io import MediaError, write_mp4

#: Shortest shot worth showing; more shots than fit at this length are refused.
MIN_SHOT_S = 0.5

CAMERA_LABELS: dict[Camera, dict[str, str]] = {
    Camera.STATIC: {"en": "STATIC", "ja": "フィックス"},
    Camera.WIDE: {"en": "WIDE SHOT", "ja": "ワイドショット"},
    Camera.CLOSE_UP: {"en": "CLOSE-UP", "ja": "クローズアップ"},
    Camera.PUSH_IN: {"en": "PUSH IN", "ja": "ズームイン"},
    Camera.PULL_OUT: {"en": "PULL OUT", "ja": "ズームアウト"},
    Camera.PAN_LEFT: {"en": "PAN LEFT", "ja": "左パン"},
    Camera.PAN_RIGHT: {"en": "PAN RIGHT", "ja": "右パン"},
    Camera.TILT_UP: {"en": "TILT UP", "ja": "ティルトアップ"},
    Camera.TILT_DOWN: {"en": "TILT DOWN", "ja": "ティルトダウン"},
    Camera.TRACKING: {"en": "TRACKING", "ja": "トラッキング"},
    Camera.AERIAL: {"en": "AERIAL", "ja": "空撮"},
    Camera.LOW_ANGLE: {"en": "LOW ANGLE", "ja": "ローアングル"},
    Camera.HIGH_ANGLE: {"en": "HIGH ANGLE", "ja": "ハイアングル"},
    Camera.HANDHELD: {"en": "HANDHELD", "ja": "手持ち"},
}

_SHOT_WORD = {"en": "SHOT", "ja": "ショット"}


@dataclass(frozen=True, slots=True)
class StoryboardPlan:
    """Everything the renderer draws, decided up front from the request and seed."""

    request: GenerationRequest
    shot_list: ShotList
    frames_per_shot: tuple[int, ...]
    seed: int
    look: Look

    @property
    def total_frames(self) -> int:
        return sum(self.frames_per_shot)


def plan_storyboard(request: GenerationRequest, seed: int) -> StoryboardPlan:
    """Parse the prompt into shots and share the frames out among them."""
    shot_list = parse_shot_list(request.prompt)
    if not shot_list.shots:
        raise UnsupportedRequest("the prompt is empty", code="generate.unsupported.empty_prompt")
    total = max(1, round(request.duration_s * request.fps))
    max_shots = max(1, int(request.duration_s / MIN_SHOT_S + 1e-9))
    if len(shot_list.shots) > max_shots:
        raise UnsupportedRequest(
            f"the prompt asks for {len(shot_list.shots)} shots but a {request.duration_s:g} s "
            f"video holds at most {max_shots} ({MIN_SHOT_S:g} s each)",
            code="generate.unsupported.too_many_shots",
            params={
                "shots": len(shot_list.shots),
                "duration": f"{request.duration_s:g}",
                "max": max_shots,
            },
        )
    counts = allocate_frames(shot_list.shots, total)
    return StoryboardPlan(
        request=request,
        shot_list=shot_list,
        frames_per_shot=tuple(counts),
        seed=seed,
        look=look_for(request.style),
    )


# --------------------------------------------------------------------------- pictures


class StoryboardRenderer:
    """Draws a plan's frames and sound, deterministically from the plan's seed."""

    def __init__(self, plan: StoryboardPlan) -> None:
        self.plan = plan
        req = plan.request
        self.width, self.height, self.fps = req.width, req.height, req.fps
        self._unit = self.height / 720  # sizes are designed at 720p and scaled
        self._canvas_size = (
            round(self.width * CANVAS_MARGIN),
            round(self.height * CANVAS_MARGIN),
        )
        self._letterbox = self._letterbox_height()

    # -- frames

    def frames(self) -> Iterator[np.ndarray]:
        """Yield every frame of the video as an RGB uint8 array, in order."""
        shots = self.plan.shot_list.shots
        frame_number = 0
        for shot, count in zip(shots, self.plan.frames_per_shot, strict=True):
            canvas = self.paint_scene(shot)
            overlay = self._shot_overlay(shot, len(shots))
            particles = self._particles(shot)
            phase = float(self._rng(shot, "shake").uniform(0, 2 * np.pi))
            shake = Camera.HANDHELD in shot.cameras
            for i in range(count):
                u = (i + 0.5) / count
                view = view_at(shot.camera, u, shake=shake, phase=phase)
                box = crop_box(view, *canvas.size)
                frame = canvas.resize((self.width, self.height), Image.Resampling.BILINEAR, box=box)
                self._draw_frame_furniture(frame, overlay, particles, frame_number, shot)
                yield np.asarray(frame)
                frame_number += 1

    def paint_scene(self, shot: Shot) -> Image.Image:
        """The shot's scene on the oversized canvas, in the look's palette."""
        look = self.plan.look
        rng = self._rng(shot, "scene")
        palette = look.palettes[(self.plan.seed + shot.index - 1) % len(look.palettes)]
        cw, ch = self._canvas_size
        horizon = _horizon_for(shot.camera)
        canvas = Image.fromarray(_background(cw, ch, horizon, palette))
        draw = ImageDraw.Draw(canvas)
        outline = look.outline
        line_w = max(1, round(look.outline_width * self._unit)) if outline else 0
        horizon_y = horizon * ch

        light_r = ch * rng.uniform(0.05, 0.09)
        lx, ly = cw * rng.uniform(0.15, 0.85), horizon_y * rng.uniform(0.2, 0.55)
        draw.ellipse((lx - light_r, ly - light_r, lx + light_r, ly + light_r), fill=palette.light)

        for layer in range(2):  # rolling hills, back to front
            colour = _shade(palette.ground_top, 0.75 + 0.2 * layer)
            amp = ch * rng.uniform(0.03, 0.08)
            freq = rng.uniform(1.0, 3.0)
            phase = rng.uniform(0, 2 * np.pi)
            base = horizon_y + layer * ch * 0.05
            xs = np.linspace(0, cw, 48)
            ys = base - amp * (1 + np.sin(xs / cw * freq * 2 * np.pi + phase))
            points = [(0.0, float(ch)), *zip(xs.tolist(), ys.tolist(), strict=True), (cw, ch)]
            draw.polygon(points, fill=colour, outline=outline, width=line_w)

        for _ in range(int(rng.integers(3, 7))):  # blocks on the skyline
            bw = cw * rng.uniform(0.04, 0.10)
            bh = ch * rng.uniform(0.08, 0.28)
            bx = cw * rng.uniform(0.05, 0.95)
            colour = palette.shapes[int(rng.integers(len(palette.shapes)))]
            draw.rectangle(
                (bx - bw / 2, horizon_y - bh, bx + bw / 2, horizon_y + ch * 0.02),
                fill=_shade(colour, 0.8),
                outline=outline,
                width=line_w,
            )

        # The subject: a simple figure standing where the camera frames it.
        colour = palette.shapes[int(rng.integers(len(palette.shapes)))]
        sx = cw * (0.5 + rng.uniform(-0.04, 0.04))
        body_h, body_w = ch * 0.24, ch * 0.11
        foot = horizon_y + ch * 0.12
        draw.rounded_rectangle(
            (sx - body_w / 2, foot - body_h, sx + body_w / 2, foot),
            radius=body_w / 2,
            fill=colour,
            outline=outline,
            width=line_w,
        )
        head = body_w * 0.42
        hy = foot - body_h - head * 1.1
        draw.ellipse(
            (sx - head, hy - head, sx + head, hy + head),
            fill=_shade(colour, 1.15),
            outline=outline,
            width=line_w,
        )

        if look.blur:
            canvas = canvas.filter(ImageFilter.GaussianBlur(look.blur * self._unit))
        if look.vignette:
            canvas = _vignette(canvas, look.vignette)
        return canvas

    def _shot_overlay(
        self, shot: Shot, shot_count: int
    ) -> list[tuple[Image.Image, tuple[int, int]]]:
        """Caption and label for a shot: drawn once, pasted on every frame."""
        w, h, unit = self.width, self.height, self._unit
        size = max(10, round(30 * unit))
        caption = render_caption(shot.text, round(w * 0.86), size, max_lines=3)
        bottom = h - self._letterbox - round(18 * unit)
        items = [(caption, ((w - caption.width) // 2, max(0, bottom - caption.height)))]
        lang = shot.lang
        camera = CAMERA_LABELS[shot.camera][lang]
        if shot.camera is not Camera.HANDHELD and Camera.HANDHELD in shot.cameras:
            camera += f" + {CAMERA_LABELS[Camera.HANDHELD][lang]}"
        label_text = f"{_SHOT_WORD[lang]} {shot.index}/{shot_count} · {camera}"
        label_size = max(9, round(22 * unit))
        font = caption_font(label_text, label_size)
        label_w = min(w - 8, round(font.getlength(label_text)) + label_size + 4)
        top = self._letterbox + round(14 * unit)
        label = render_caption(
            label_text, label_w, label_size, max_lines=1, font=font, box=(0, 0, 0, 120)
        )
        items.append((label, (round(16 * unit), top)))
        context = self.plan.shot_list.context
        if context:
            ctx = render_caption(
                context, round(w * 0.5), label_size, max_lines=1, box=(0, 0, 0, 90)
            )
            items.append((ctx, (round(16 * unit), top + label.height + round(6 * unit))))
        return items

    def _particles(self, shot: Shot) -> np.ndarray:
        """Drifting motes (dust, snow, sparkles): start x, start y, dx/s, dy/s, radius."""
        rng = self._rng(shot, "particles")
        n = 14
        return np.column_stack(
            [
                rng.uniform(0, 1, n),
                rng.uniform(0, 1, n),
                rng.uniform(-0.04, 0.04, n),
                rng.uniform(-0.08, -0.01, n),
                rng.uniform(1.0, 3.0, n),
            ]
        )

    def _draw_frame_furniture(
        self,
        frame: Image.Image,
        overlay: list[tuple[Image.Image, tuple[int, int]]],
        particles: np.ndarray,
        frame_number: int,
        shot: Shot,
    ) -> None:
        w, h, unit = self.width, self.height, self._unit
        t = frame_number / self.fps
        draw = ImageDraw.Draw(frame)
        colour = self.plan.look.particle
        for x0, y0, dx, dy, r in particles:
            x = ((x0 + dx * t) % 1.0) * w
            y = ((y0 + dy * t) % 1.0) * h
            rr = r * unit
            draw.ellipse((x - rr, y - rr, x + rr, y + rr), fill=colour)
        if self._letterbox:
            draw.rectangle((0, 0, w, self._letterbox), fill=(0, 0, 0))
            draw.rectangle((0, h - self._letterbox, w, h), fill=(0, 0, 0))
        for image, position in overlay:
            frame.paste(image, position, image)
        total = self.plan.total_frames
        stamp = f"{int(t // 60):02d}:{t % 60:06.3f}"
        size = max(9, round(20 * unit))
        font = caption_font(stamp, size)
        tw = font.getlength(stamp)
        top = self._letterbox + round(14 * unit)
        draw.text((w - tw - round(16 * unit), top), stamp, font=font, fill=(255, 255, 255))
        bar_h = max(2, round(4 * unit))
        done = round(w * (frame_number + 1) / total)
        draw.rectangle((0, h - bar_h, done, h), fill=self.plan.look.accent)

    # -- sound

    def audio(self, *, speech: bool = True) -> tuple[np.ndarray, int]:
        """The soundtrack (stereo float32 at 48 kHz) and the number of lines spoken."""
        rate = sound.SAMPLE_RATE
        total = round(self.plan.total_frames / self.fps * rate)
        bounds = np.cumsum((0, *self.plan.frames_per_shot))
        starts = [round(b / self.fps * rate) for b in bounds[:-1]]
        lengths = [b - a for a, b in zip(starts, [*starts[1:], total], strict=True)]
        bed = sound.ambient_bed(lengths, self.plan.seed, rate)
        if not speech:
            return bed, 0
        dialogue = [shot.dialogue for shot in self.plan.shot_list.shots]
        return sound.mix_dialogue(bed, starts, dialogue, rate)

    # -- helpers

    def _rng(self, shot: Shot, purpose: str) -> np.random.Generator:
        salt = sum(purpose.encode())  # stable across runs (unlike hash())
        return np.random.default_rng([self.plan.seed, shot.index, salt])

    def _letterbox_height(self) -> int:
        aspect = self.plan.look.letterbox
        if not aspect:
            return 0
        picture = self.width / aspect
        return max(0, round((self.height - picture) / 2))


def _horizon_for(camera: Camera) -> float:
    """Where the horizon sits on the canvas: low when looking up, high when looking down."""
    if camera is Camera.LOW_ANGLE or camera is Camera.TILT_UP:
        return 0.72
    if camera in (Camera.AERIAL, Camera.HIGH_ANGLE, Camera.TILT_DOWN):
        return 0.38
    return 0.58


def _background(width: int, height: int, horizon: float, palette: Palette) -> np.ndarray:
    """Sky and ground gradients as an (height, width, 3) array."""
    split = round(height * horizon)
    sky = np.linspace(palette.sky_top, palette.sky_bottom, split)
    ground = np.linspace(palette.ground_top, palette.ground_bottom, height - split)
    column = np.concatenate([sky, ground]).astype(np.uint8)[:, None, :]
    return np.ascontiguousarray(np.broadcast_to(column, (height, width, 3)))


def _vignette(image: Image.Image, strength: float) -> Image.Image:
    w, h = image.size
    ys = np.linspace(-1.0, 1.0, h)[:, None]
    xs = np.linspace(-1.0, 1.0, w)[None, :]
    falloff = 1.0 - strength * np.clip((xs**2 + ys**2) / 2.0, 0.0, 1.0) ** 1.5
    shaded = np.asarray(image, dtype=np.float32) * falloff[:, :, None].astype(np.float32)
    return Image.fromarray(shaded.astype(np.uint8))


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    r, g, b = (min(255, max(0, round(c * factor))) for c in colour)
    return (r, g, b)


# --------------------------------------------------------------------------- backend


class StoryboardBackend:
    """The embedded default backend (see the module docstring)."""

    name = "storyboard"
    model = "kyodaku-storyboard-1"

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        config = dict(config or {})
        self.crf = int(config.pop("crf", 20))
        self.preset = str(config.pop("preset", "veryfast"))
        self.speech = bool(config.pop("speech", True))
        self.max_duration_s = float(config.pop("max_duration_s", 120.0))
        self.max_width = int(config.pop("max_width", 1920))
        self.max_height = int(config.pop("max_height", 1080))
        if config:
            raise BackendConfigError(
                f"unknown storyboard option(s): {', '.join(sorted(config))}",
                params={"detail": ", ".join(sorted(config))},
            )

    def capabilities(self) -> Capabilities:
        return Capabilities(
            max_duration_s=self.max_duration_s,
            min_duration_s=MIN_SHOT_S,
            max_width=self.max_width,
            max_height=self.max_height,
            fps_options=frozenset({12, 15, 24, 25, 30}),
            audio=True,
            styles=frozenset(STYLES),
            deterministic_seed=True,
        )

    def generate(
        self,
        request: GenerationRequest,
        out_dir: Path,
        progress: ProgressCallback | None = None,
    ) -> GenerationOutput:
        check_request(self.capabilities(), request)
        started = time.perf_counter()
        seed = request.seed if request.seed is not None else secrets.randbelow(2**31)
        plan = plan_storyboard(request, seed)
        renderer = StoryboardRenderer(plan)
        planned = time.perf_counter()

        soundtrack, lines_spoken = None, 0
        if request.audio:
            soundtrack, lines_spoken = renderer.audio(speech=self.speech)
        audio_done = time.perf_counter()

        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{_file_stem(request, seed)}.mp4"
        frames = _reporting(_rendered_ahead(renderer.frames()), plan.total_frames, progress)
        try:
            write_mp4(
                path,
                frames,
                request.fps,
                soundtrack,
                sample_rate=sound.SAMPLE_RATE,
                crf=self.crf,
                preset=self.preset,
            )
        except MediaError as exc:
            raise BackendError(
                f"storyboard: could not write the video: {exc}", params={"detail": str(exc)}
            ) from exc
        finished = time.perf_counter()
        if progress is not None:
            progress(1.0, "done")
        return GenerationOutput(
            path=path,
            backend=self.name,
            model=self.model,
            parameters={
                "seed": seed,
                "style": plan.look.name,
                "width": request.width,
                "height": request.height,
                "fps": request.fps,
                "duration_s": plan.total_frames / request.fps,
                "audio": request.audio,
                "speech_lines": lines_spoken,
                "speech_engine": "espeak-ng" if lines_spoken else None,
                "crf": self.crf,
                "preset": self.preset,
                "shots": [
                    {
                        "index": shot.index,
                        "camera": shot.camera.value,
                        "frames": count,
                        "lang": shot.lang,
                        "dialogue_lines": len(shot.dialogue),
                    }
                    for shot, count in zip(plan.shot_list.shots, plan.frames_per_shot, strict=True)
                ],
            },
            timings={
                "plan_s": planned - started,
                "audio_s": audio_done - planned,
                "render_encode_s": finished - audio_done,
                "total_s": finished - started,
            },
            provider_job_id=None,
        )


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def _rendered_ahead(frames: Iterator[np.ndarray], depth: int = 8) -> Iterator[np.ndarray]:
    """Draw frames in a worker thread while the encoder works on earlier ones.

    Pillow and x264 both release the GIL for their heavy lifting, so drawing
    and encoding overlap on a multi-core machine. One producer keeps the order,
    so the output stays deterministic; an error while drawing is re-raised here.
    """
    slots: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for frame in frames:
                if not put(frame):
                    return
            put(_END)
        except BaseException as error:  # handed to the consumer, which re-raises it
            put(_Failed(error))

    worker = threading.Thread(target=produce, name="storyboard-render", daemon=True)
    worker.start()
    try:
        while True:
            item = slots.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield cast(np.ndarray, item)
    finally:
        stop.set()
        worker.join(timeout=10)


def _reporting(
    frames: Iterator[np.ndarray], total: int, progress: ProgressCallback | None
) -> Iterator[np.ndarray]:
    step = max(1, total // 20)
    for number, frame in enumerate(frames, start=1):
        yield frame
        if progress is not None and (number % step == 0 or number == total):
            progress(0.99 * number / total, "render")


def _file_stem(request: GenerationRequest, seed: int) -> str:
    if request.request_id:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", request.request_id)[:80]
        return f"storyboard-{safe}"
    return f"storyboard-{seed}-{secrets.token_hex(4)}"
