"""Video and audio file I/O: the one place that speaks PyAV.

Everything else in kyodaku handles frames as ``numpy`` RGB arrays and audio as
float32 sample arrays; this module turns those into H.264 + AAC MP4 files and
back. Every failure that comes from the file (missing, corrupt, truncated, not
media, no frames, absurd dimensions) is raised as :class:`MediaError` naming
the file and the problem, because a raw FFmpeg traceback tells an operator
nothing and a caller must be able to refuse the file cleanly (fail closed).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
import numpy as np

#: AAC-LC encodes 1024 samples per frame; feeding whole frames avoids the
#: encoder padding every chunk (PyAV trap noted in PACKAGES.md).
AAC_FRAME_SIZE = 1024

#: Largest frame we agree to decode or encode (8K UHD). A file that claims more
#: is either hostile or not something a generation gateway should be handling,
#: and decoding it could exhaust memory.
MAX_PIXELS = 7680 * 4320
MAX_SIDE = 8192

PathLike = str | os.PathLike[str]
FrameTransform = Callable[[np.ndarray, int], np.ndarray]


class MediaError(Exception):
    """A media file (or media data handed to a writer) cannot be used.

    The message always names the file and what is wrong with it.
    """


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What :func:`probe` learns about a file without decoding it."""

    duration_s: float
    width: int
    height: int
    fps: float
    video_codec: str
    audio_codec: str | None
    frame_count: int
    has_audio: bool


# --------------------------------------------------------------------------- writing


def write_mp4(
    path: PathLike,
    frames: Iterable[np.ndarray],
    fps: int,
    audio: np.ndarray | None = None,
    sample_rate: int = 48000,
    crf: int = 20,
    preset: str = "veryfast",
) -> None:
    """Encode RGB frames (and optional float audio) as an H.264 + AAC MP4.

    ``frames`` yields ``(height, width, 3)`` uint8 arrays, all the same shape,
    with even width and height (yuv420p halves the chroma planes). ``audio`` is
    float32 in [-1, 1], shaped ``(samples,)`` for mono or ``(samples, 2)`` for
    stereo; it is padded with silence or cut so that it lasts exactly as long
    as the video, so the two streams never drift apart.

    The output is written to a temporary name and renamed at the end, so a
    failure never leaves a half-written file at ``path``.
    """
    path = Path(path)
    if fps <= 0:
        raise MediaError(f"{path}: fps must be positive, got {fps}")
    channels = _audio_channels(path, audio) if audio is not None else 0
    iterator = iter(frames)
    first = next(iterator, None)
    if first is None:
        raise MediaError(f"{path}: no frames to write (a video needs at least one frame)")
    height, width = _check_frame(path, first, 0, None)

    tmp = path.with_name(f".{path.name}.partial")
    try:
        with av.open(str(tmp), mode="w", format="mp4") as container:
            video = container.add_stream(
                "libx264", rate=fps, options={"crf": str(crf), "preset": preset}
            )
            video.width, video.height, video.pix_fmt = width, height, "yuv420p"
            audio_writer = None
            if audio is not None:
                layout = "mono" if channels == 1 else "stereo"
                stream = container.add_stream("aac", rate=sample_rate, layout=layout)
                audio_writer = _AudioWriter(container, stream, audio, sample_rate, layout)

            count = 0
            for index, frame in enumerate(_chain(first, iterator)):
                if index:
                    _check_frame(path, frame, index, (height, width))
                av_frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
                av_frame.pts = index
                container.mux(video.encode(av_frame))
                count = index + 1
                if audio_writer is not None:
                    audio_writer.write_until(count / fps)
            container.mux(video.encode(None))
            if audio_writer is not None:
                audio_writer.finish(count / fps)
        os.replace(tmp, path)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(f"{path}: could not encode video: {exc}") from exc
    finally:  # whatever went wrong (even in the caller's frame source), leave no partial file
        tmp.unlink(missing_ok=True)


def _chain(first: np.ndarray, rest: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    yield first
    yield from rest


def _check_frame(
    path: Path, frame: np.ndarray, index: int, expected: tuple[int, int] | None
) -> tuple[int, int]:
    """Reject frames the encoder would mangle, naming the frame and the problem."""
    if not isinstance(frame, np.ndarray) or frame.ndim != 3 or frame.shape[2] != 3:
        shape = getattr(frame, "shape", type(frame).__name__)
        raise MediaError(f"{path}: frame {index} must be an (height, width, 3) array, got {shape}")
    if frame.dtype != np.uint8:
        raise MediaError(f"{path}: frame {index} must be uint8 RGB, got {frame.dtype}")
    height, width = frame.shape[:2]
    if expected is not None and (height, width) != expected:
        raise MediaError(
            f"{path}: frame {index} is {width}x{height} but the video is "
            f"{expected[1]}x{expected[0]}; all frames must be the same size"
        )
    if width % 2 or height % 2:
        raise MediaError(
            f"{path}: frame size {width}x{height} has an odd side; H.264 yuv420p "
            "needs even width and height"
        )
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise MediaError(f"{path}: frame size {width}x{height} exceeds the 8K limit")
    return height, width


def _audio_channels(path: Path, audio: np.ndarray) -> int:
    if not isinstance(audio, np.ndarray) or audio.ndim not in (1, 2):
        raise MediaError(f"{path}: audio must be a (samples,) or (samples, channels) array")
    channels = 1 if audio.ndim == 1 else audio.shape[1]
    if channels not in (1, 2):
        raise MediaError(f"{path}: audio must be mono or stereo, got {channels} channels")
    if audio.size and not np.isfinite(audio).all():
        raise MediaError(f"{path}: audio contains NaN or infinite samples")
    return channels


class _AudioWriter:
    """Feeds AAC whole 1024-sample frames, interleaved with the video by time."""

    def __init__(
        self,
        container: av.container.OutputContainer,
        stream: av.AudioStream,
        audio: np.ndarray,
        sample_rate: int,
        layout: str,
    ) -> None:
        planar = audio.reshape(-1, 1) if audio.ndim == 1 else audio
        self._planes = np.ascontiguousarray(np.clip(planar, -1.0, 1.0).T, dtype=np.float32)
        self._container = container
        self._stream = stream
        self._rate = sample_rate
        self._layout = layout
        self._written = 0

    def write_until(self, seconds: float) -> None:
        target = round(seconds * self._rate)
        while self._written + AAC_FRAME_SIZE <= target:
            self._encode(AAC_FRAME_SIZE)

    def finish(self, seconds: float) -> None:
        target = round(seconds * self._rate)
        while self._written < target:
            self._encode(min(AAC_FRAME_SIZE, target - self._written))
        self._container.mux(self._stream.encode(None))

    def _encode(self, length: int) -> None:
        start = self._written
        chunk = self._planes[:, start : start + length]
        if chunk.shape[1] < length:  # audio shorter than the video: pad with silence
            pad = np.zeros((chunk.shape[0], length - chunk.shape[1]), dtype=np.float32)
            chunk = np.concatenate([chunk, pad], axis=1)
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(chunk), format="fltp", layout=self._layout
        )
        frame.sample_rate = self._rate
        frame.pts = start
        frame.time_base = Fraction(1, self._rate)
        self._container.mux(self._stream.encode(frame))
        self._written += length


# --------------------------------------------------------------------------- reading


def probe(path: PathLike, *, max_pixels: int = MAX_PIXELS) -> MediaInfo:
    """Read a file's streams and timing without decoding frames."""
    path = Path(path)
    with _open_input(path) as container:
        video = _video_stream(path, container, max_pixels)
        audio = container.streams.audio[0] if container.streams.audio else None
        frame_count = video.frames or _count_packets(path, container, video)
        if frame_count <= 0:
            raise MediaError(f"{path}: the video stream has no frames")
        rate = video.average_rate or video.guessed_rate
        fps = float(rate) if rate else 0.0
        if video.duration is not None and video.time_base is not None:
            duration = float(video.duration * video.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        else:
            duration = frame_count / fps if fps else 0.0
        return MediaInfo(
            duration_s=duration,
            width=video.codec_context.width,
            height=video.codec_context.height,
            fps=fps,
            video_codec=video.codec_context.name,
            audio_codec=audio.codec_context.name if audio is not None else None,
            frame_count=frame_count,
            has_audio=audio is not None,
        )


def iter_frames(
    path: PathLike,
    *,
    every_s: float | None = None,
    max_frames: int | None = None,
    max_pixels: int = MAX_PIXELS,
) -> Iterator[tuple[float, np.ndarray]]:
    """Yield ``(t_seconds, rgb_frame)`` from a video file.

    ``every_s`` samples: the first frame at or after each multiple of
    ``every_s`` is yielded (so fingerprinting a long video stays cheap).
    ``max_frames`` stops after that many frames. A file that yields no frame at
    all raises :class:`MediaError`.
    """
    path = Path(path)
    if every_s is not None and every_s <= 0:
        raise ValueError(f"every_s must be positive, got {every_s}")
    if max_frames is not None and max_frames <= 0:
        return
    yielded = decoded = 0
    next_t = 0.0
    with _open_input(path) as container:
        video = _video_stream(path, container, max_pixels)
        video.thread_type = "AUTO"
        start = float(video.start_time * video.time_base) if video.start_time else 0.0
        try:
            for frame in container.decode(video):
                decoded += 1
                t = _frame_time(frame, start, yielded)
                if every_s is not None and t + 1e-6 < next_t:
                    continue
                yield t, frame.to_ndarray(format="rgb24")
                yielded += 1
                if every_s is not None:
                    while next_t <= t + 1e-6:
                        next_t += every_s
                if max_frames is not None and yielded >= max_frames:
                    return
        except av.error.FFmpegError as exc:
            raise MediaError(f"{path}: video data is corrupt or truncated: {exc}") from exc
        _check_complete(path, video, decoded)
    if yielded == 0:
        raise MediaError(f"{path}: the video stream has no decodable frames")


def _check_complete(path: Path, video: av.VideoStream, decoded: int) -> None:
    """A file whose index promises more frames than its data holds was cut short.

    FFmpeg stops quietly at the end of the data, so without this check a
    truncated download would pass as a shorter video.
    """
    if video.frames and decoded < video.frames:
        raise MediaError(
            f"{path}: video data is truncated: decoded {decoded} of the "
            f"{video.frames} frames the file declares"
        )


def _frame_time(frame: av.VideoFrame, start: float, fallback_index: int) -> float:
    if frame.pts is None or frame.time_base is None:
        return float(fallback_index)
    return float(frame.pts * frame.time_base) - start


def read_audio(path: PathLike) -> tuple[np.ndarray, int] | None:
    """Decode the first audio stream as float32 ``(samples, channels)``.

    Returns ``None`` when the file has no audio stream at all (a silent video
    is legitimate); a broken audio stream is an error.
    """
    path = Path(path)
    with _open_input(path) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="fltp", rate=rate)
        chunks: list[np.ndarray] = []
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
        except av.error.FFmpegError as exc:
            raise MediaError(f"{path}: audio data is corrupt or truncated: {exc}") from exc
    channels = stream.codec_context.channels or 1
    if not chunks:
        return np.zeros((0, channels), dtype=np.float32), rate
    samples = np.concatenate(chunks, axis=1).T.astype(np.float32, copy=False)
    if stream.duration is not None and stream.time_base is not None:
        # The decoder emits whole AAC frames; the container says where the sound ends.
        samples = samples[: round(stream.duration * stream.time_base * rate)]
    return np.ascontiguousarray(samples), rate


# --------------------------------------------------------------------------- transcoding


def transcode(
    src: PathLike,
    dst: PathLike,
    transform: FrameTransform,
    *,
    crf: int = 20,
    preset: str = "veryfast",
) -> None:
    """Re-encode ``src`` to ``dst`` passing every frame through ``transform``.

    ``transform(frame, index)`` gets an RGB uint8 frame and returns one of the
    same shape (the seal draws its label and watermark here). Frame timestamps
    are kept, and an AAC track is copied packet for packet (other audio codecs
    are re-encoded to AAC), so the sound stays in sync with the pictures.
    """
    src, dst = Path(src), Path(dst)
    tmp = dst.with_name(f".{dst.name}.partial")
    try:
        with _open_input(src) as source, av.open(str(tmp), mode="w", format="mp4") as out:
            in_video = _video_stream(src, source, MAX_PIXELS)
            in_video.thread_type = "AUTO"
            rate = in_video.average_rate or in_video.guessed_rate or Fraction(24)
            out_video = out.add_stream(
                "libx264", rate=rate, options={"crf": str(crf), "preset": preset}
            )
            out_video.width = in_video.codec_context.width
            out_video.height = in_video.codec_context.height
            out_video.pix_fmt = "yuv420p"
            out_video.time_base = in_video.time_base
            audio_path = _AudioPassage(source, out)
            count = _transcode_packets(
                src, dst, source, out, in_video, out_video, audio_path, transform
            )
            if count == 0:
                raise MediaError(f"{src}: the video stream has no decodable frames")
            _check_complete(src, in_video, count)
            out.mux(out_video.encode(None))
            audio_path.finish()
        os.replace(tmp, dst)
    except av.error.FFmpegError as exc:
        raise MediaError(f"{src}: could not transcode to {dst}: {exc}") from exc
    except OSError as exc:
        raise MediaError(f"{dst}: could not write: {exc}") from exc
    finally:  # a failing transform included: leave no partial file
        tmp.unlink(missing_ok=True)


def _transcode_packets(
    src: Path,
    dst: Path,
    source: av.container.InputContainer,
    out: av.container.OutputContainer,
    in_video: av.VideoStream,
    out_video: av.VideoStream,
    audio_path: _AudioPassage,
    transform: FrameTransform,
) -> int:
    """Demux once, in file order, so audio and video stay interleaved."""
    streams = [in_video] if audio_path.source is None else [in_video, audio_path.source]
    count = 0
    shape: tuple[int, ...] | None = None
    try:
        for packet in source.demux(streams):
            if packet.stream.type == "audio":
                audio_path.handle(packet)
                continue
            for frame in packet.decode():
                rgb = frame.to_ndarray(format="rgb24")
                shape = shape or rgb.shape
                result = transform(rgb, count)
                if (
                    not isinstance(result, np.ndarray)
                    or result.shape != shape
                    or result.dtype != np.uint8
                ):
                    got = getattr(result, "shape", type(result).__name__)
                    raise MediaError(
                        f"{dst}: transform returned {got} for frame {count}; it must return "
                        f"a uint8 array shaped {shape}"
                    )
                new = av.VideoFrame.from_ndarray(result, format="rgb24")
                new.pts = frame.pts if frame.pts is not None else count
                new.time_base = frame.time_base or in_video.time_base
                out.mux(out_video.encode(new))
                count += 1
    except av.error.FFmpegError as exc:
        raise MediaError(f"{src}: video data is corrupt or truncated: {exc}") from exc
    return count


class _AudioPassage:
    """Carries the source's first audio track into the output: copy AAC, else re-encode."""

    def __init__(
        self, source: av.container.InputContainer, out: av.container.OutputContainer
    ) -> None:
        self.source = source.streams.audio[0] if source.streams.audio else None
        self._out = out
        self._copy = self.source is not None and self.source.codec_context.name == "aac"
        self._stream = None
        self._resampler = None
        if self.source is None:
            return
        if self._copy:
            self._stream = out.add_stream_from_template(self.source)
        else:
            ctx = self.source.codec_context
            layout = "mono" if (ctx.channels or 1) == 1 else "stereo"
            self._stream = out.add_stream("aac", rate=ctx.sample_rate, layout=layout)
            self._resampler = av.AudioResampler(
                format="fltp", layout=layout, rate=ctx.sample_rate, frame_size=AAC_FRAME_SIZE
            )

    def handle(self, packet: av.Packet) -> None:
        if packet.dts is None:  # the demuxer's end-of-stream marker
            return
        if self._copy:
            packet.stream = self._stream
            self._out.mux(packet)
            return
        for frame in packet.decode():
            for out in self._resampler.resample(frame):
                self._out.mux(self._stream.encode(out))

    def finish(self) -> None:
        if self._stream is None or self._copy:
            return
        for out in self._resampler.resample(None):
            self._out.mux(self._stream.encode(out))
        self._out.mux(self._stream.encode(None))


def copy_video_only(src: PathLike, dst: PathLike) -> None:
    """Remux ``src`` without its audio (no re-encode), e.g. when no sound was asked for."""
    src, dst = Path(src), Path(dst)
    tmp = dst.with_name(f".{dst.name}.partial")
    try:
        with _open_input(src) as source, av.open(str(tmp), mode="w", format="mp4") as out:
            in_video = _video_stream(src, source, MAX_PIXELS)
            out_video = out.add_stream_from_template(in_video)
            for packet in source.demux(in_video):
                if packet.dts is None:
                    continue
                packet.stream = out_video
                out.mux(packet)
        os.replace(tmp, dst)
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(f"{src}: could not remux to {dst}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- helpers


def _open_input(path: Path) -> av.container.InputContainer:
    """Open a file for reading, translating every failure into a MediaError."""
    if not path.exists():
        raise MediaError(f"{path}: file does not exist")
    if not path.is_file():
        raise MediaError(f"{path}: not a regular file")
    if path.stat().st_size == 0:
        raise MediaError(f"{path}: file is empty")
    try:
        return av.open(str(path), mode="r")
    except av.error.InvalidDataError as exc:
        raise MediaError(
            f"{path}: not a readable media file (corrupt, truncated or not video): {exc}"
        ) from exc
    except av.error.FFmpegError as exc:
        raise MediaError(f"{path}: cannot open media: {exc}") from exc


def _video_stream(
    path: Path, container: av.container.InputContainer, max_pixels: int
) -> av.VideoStream:
    if not container.streams.video:
        raise MediaError(f"{path}: has no video stream (no video frames to read)")
    stream = container.streams.video[0]
    width, height = stream.codec_context.width, stream.codec_context.height
    if width <= 0 or height <= 0:
        raise MediaError(f"{path}: video stream has no valid frame size ({width}x{height})")
    if width * height > max_pixels or max(width, height) > MAX_SIDE:
        raise MediaError(
            f"{path}: video frame size {width}x{height} is larger than allowed "
            f"({max_pixels} pixels, {MAX_SIDE} per side)"
        )
    return stream


def _count_packets(
    path: Path, container: av.container.InputContainer, stream: av.VideoStream
) -> int:
    """Count frames by demuxing (no decode) when the container does not say."""
    try:
        count = sum(1 for packet in container.demux(stream) if packet.size)
    except av.error.FFmpegError as exc:
        raise MediaError(f"{path}: video data is corrupt or truncated: {exc}") from exc
    return count
