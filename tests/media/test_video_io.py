"""video_io: MP4 writing, probing, frame and audio reading, transcoding, bad input."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from kyodaku.media.video_io import (
    MediaError,
    copy_video_only,
    iter_frames,
    probe,
    read_audio,
    transcode,
    write_mp4,
)

W, H, FPS, RATE = 160, 96, 24, 48000


def solid_frames(count: int, width: int = W, height: int = H) -> list[np.ndarray]:
    """Frames whose grey level encodes their index (survives lossy coding)."""
    return [np.full((height, width, 3), 20 + 8 * i, dtype=np.uint8) for i in range(count)]


def tone(seconds: float, hz: float = 440.0, channels: int = 1) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    mono = (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return mono if channels == 1 else np.stack([mono, mono * 0.5], axis=1)


def dominant_hz(samples: np.ndarray) -> float:
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    spectrum = np.abs(np.fft.rfft(mono))
    return float(np.fft.rfftfreq(mono.size, 1 / RATE)[np.argmax(spectrum)])


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path / "clip.mp4"
    write_mp4(path, solid_frames(24), FPS, tone(1.0))
    return path


def test_write_then_probe_reports_h264_aac_and_exact_length(clip: Path) -> None:
    info = probe(clip)
    assert (info.video_codec, info.audio_codec, info.has_audio) == ("h264", "aac", True)
    assert (info.width, info.height, info.fps, info.frame_count) == (W, H, 24.0, 24)
    assert info.duration_s == pytest.approx(1.0, abs=0.05)


def test_frames_come_back_in_order_with_their_times(clip: Path) -> None:
    frames = list(iter_frames(clip))
    assert len(frames) == 24
    times = [t for t, _ in frames]
    assert times == pytest.approx([i / 24 for i in range(24)], abs=1e-3)
    levels = [float(f.mean()) for _, f in frames]
    assert levels == pytest.approx([20 + 8 * i for i in range(24)], abs=3)
    assert frames[0][1].shape == (H, W, 3) and frames[0][1].dtype == np.uint8


def test_iter_frames_samples_and_stops(clip: Path) -> None:
    sampled = [t for t, _ in iter_frames(clip, every_s=0.25)]
    assert sampled == pytest.approx([0.0, 0.25, 0.5, 0.75], abs=1 / 48)
    assert len(list(iter_frames(clip, max_frames=5))) == 5
    with pytest.raises(ValueError):
        list(iter_frames(clip, every_s=0))


def test_audio_round_trips_with_pitch_and_length(clip: Path) -> None:
    result = read_audio(clip)
    assert result is not None
    samples, rate = result
    assert rate == RATE and samples.dtype == np.float32 and samples.shape[1] == 1
    assert samples.shape[0] == pytest.approx(RATE, abs=1024)
    assert dominant_hz(samples) == pytest.approx(440, abs=5)


def test_audio_is_padded_or_cut_to_the_video_length(tmp_path: Path) -> None:
    short, long = tmp_path / "short.mp4", tmp_path / "long.mp4"
    write_mp4(short, solid_frames(24), FPS, tone(0.3, channels=2))
    write_mp4(long, solid_frames(24), FPS, tone(3.0, channels=2))
    for path in (short, long):
        samples, _ = read_audio(path)
        assert samples.shape == (RATE, 2)


def test_silent_video_has_no_audio(tmp_path: Path) -> None:
    path = tmp_path / "silent.mp4"
    write_mp4(path, solid_frames(12), FPS)
    assert read_audio(path) is None
    assert not probe(path).has_audio


@pytest.mark.parametrize(
    ("frames", "audio", "match"),
    [
        (solid_frames(2, W + 1, H), None, "odd side"),
        ([], None, "no frames"),
        ([*solid_frames(1), *solid_frames(1, W + 2, H)], None, "same size"),
        ([np.zeros((H, W, 3), dtype=np.float32)], None, "uint8"),
        ([np.zeros((H, W), dtype=np.uint8)], None, r"\(height, width, 3\)"),
        (solid_frames(2), np.full(100, np.nan, dtype=np.float32), "NaN"),
        (solid_frames(2), np.zeros((100, 3), dtype=np.float32), "mono or stereo"),
        (solid_frames(1, 9000, 2), None, "8K"),
    ],
)
def test_write_rejects_bad_input_and_leaves_no_file(tmp_path, frames, audio, match) -> None:
    path = tmp_path / "bad.mp4"
    with pytest.raises(MediaError, match=match) as caught:
        write_mp4(path, frames, FPS, audio)
    assert str(path) in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_transcode_applies_the_transform_and_keeps_audio_in_sync(clip, tmp_path) -> None:
    out = tmp_path / "inverted.mp4"
    seen: list[int] = []

    def invert(frame: np.ndarray, index: int) -> np.ndarray:
        seen.append(index)
        return 255 - frame

    transcode(clip, out, invert)
    assert seen == list(range(24))
    info = probe(out)
    assert (info.frame_count, info.audio_codec) == (24, "aac")
    assert info.duration_s == pytest.approx(probe(clip).duration_s, abs=0.01)
    levels = [float(f.mean()) for _, f in iter_frames(out)]
    assert levels == pytest.approx([235 - 8 * i for i in range(24)], abs=3)
    original, _ = read_audio(clip)
    copied, _ = read_audio(out)
    np.testing.assert_array_equal(copied, original)  # AAC copied, not re-encoded


def test_transcode_rejects_a_transform_that_changes_the_frame(clip, tmp_path) -> None:
    out = tmp_path / "bad.mp4"
    with pytest.raises(MediaError, match="transform returned"):
        transcode(clip, out, lambda frame, i: frame[:10])
    assert not out.exists() and not any(p.name.endswith(".partial") for p in tmp_path.iterdir())


def test_a_failing_frame_source_or_transform_leaves_no_partial_file(clip, tmp_path) -> None:
    def broken_frames():
        yield from solid_frames(3)
        raise RuntimeError("renderer broke")

    def broken_transform(frame: np.ndarray, index: int) -> np.ndarray:
        raise RuntimeError("watermark broke")

    with pytest.raises(RuntimeError, match="renderer broke"):
        write_mp4(tmp_path / "a.mp4", broken_frames(), FPS)
    with pytest.raises(RuntimeError, match="watermark broke"):
        transcode(clip, tmp_path / "b.mp4", broken_transform)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]


def test_copy_video_only_drops_the_sound(clip, tmp_path) -> None:
    out = tmp_path / "mute.mp4"
    copy_video_only(clip, out)
    info = probe(out)
    assert not info.has_audio and info.frame_count == 24


# --------------------------------------------------------------------------- bad files


def _zero_frame_file(path: Path) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        container.start_encoding()


def _audio_only_file(path: Path) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), "fltp", "mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, 0, Fraction(1, RATE)
        container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def _faststart_clip(path: Path) -> None:
    """A clip with its index at the front, so a cut-off file still opens."""
    rng = np.random.default_rng(0)
    with av.open(str(path), "w", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        for i in range(24):
            frame = av.VideoFrame.from_ndarray(
                rng.integers(0, 256, (H, W, 3), dtype=np.uint8), format="rgb24"
            )
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def make_bad(kind: str, tmp_path: Path, clip: Path) -> Path:
    path = tmp_path / f"{kind}.mp4"
    if kind == "missing":
        return path
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "random":
        path.write_bytes(np.random.default_rng(1).bytes(4000))
    elif kind == "text":
        path.write_text("definitely not a video\n" * 50)
    elif kind == "truncated":
        data = clip.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "zero_frames":
        _zero_frame_file(path)
    elif kind == "audio_only":
        _audio_only_file(path)
    elif kind == "directory":
        path.mkdir()
    return path


BAD_KINDS = [
    "missing",
    "empty",
    "random",
    "text",
    "truncated",
    "zero_frames",
    "audio_only",
    "directory",
]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_files_raise_media_error_naming_the_file(kind, tmp_path, clip) -> None:
    path = make_bad(kind, tmp_path, clip)
    readers = [
        probe,
        lambda p: list(iter_frames(p)),
        lambda p: transcode(p, tmp_path / "out.mp4", lambda f, i: f),
    ]
    if kind not in ("audio_only", "zero_frames"):  # valid (or no) audio there
        readers.append(read_audio)
    for reader in readers:
        with pytest.raises(MediaError) as caught:
            reader(path)
        assert str(path) in str(caught.value)
    assert not (tmp_path / "out.mp4").exists()


def test_data_cut_short_after_the_index_is_detected_when_decoding(tmp_path) -> None:
    full = tmp_path / "full.mp4"
    _faststart_clip(full)
    cut = tmp_path / "cut.mp4"
    data = full.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    assert probe(cut).frame_count == 24  # the index still promises every frame
    with pytest.raises(MediaError, match=r"truncated: decoded \d+ of the 24 frames"):
        list(iter_frames(cut))
    with pytest.raises(MediaError, match="truncated"):
        transcode(cut, tmp_path / "out.mp4", lambda f, i: f)


def test_enormous_dimensions_are_refused(clip) -> None:
    with pytest.raises(MediaError, match="larger than allowed"):
        probe(clip, max_pixels=W * H - 1)
    with pytest.raises(MediaError, match="larger than allowed"):
        list(iter_frames(clip, max_pixels=100))


def test_unwritable_destination_is_a_media_error(tmp_path) -> None:
    target = tmp_path / "no-such-dir" / "out.mp4"
    with pytest.raises(MediaError, match="no-such-dir"):
        write_mp4(target, solid_frames(2), FPS)
    assert not target.parent.exists() or not os.listdir(target.parent)
