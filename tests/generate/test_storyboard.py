"""The built-in storyboard renderer: output format, length, determinism, looks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kyodaku.generate import audio as sound
from kyodaku.generate import fonts
from kyodaku.generate.base import GenerationRequest, UnsupportedRequest
from kyodaku.generate.fonts import MissingFontError
from kyodaku.generate.storyboard import StoryboardBackend, StoryboardRenderer, plan_storyboard
from kyodaku.media.video_io import iter_frames, probe, read_audio

PROMPT = "Shot 1: wide shot of a harbour at dawn. Shot 2: close-up of a gull. Shot 3: pan left"


def small(**overrides) -> GenerationRequest:
    fields = {"prompt": PROMPT, "duration_s": 1.5, "width": 320, "height": 180, "seed": 5}
    return GenerationRequest(**{**fields, **overrides})


def frames_of(request: GenerationRequest) -> list[np.ndarray]:
    return list(StoryboardRenderer(plan_storyboard(request, request.seed)).frames())


@pytest.fixture
def quiet() -> StoryboardBackend:
    """Speech off: keeps tests independent of espeak-ng unless they ask for it."""
    return StoryboardBackend({"speech": False})


def test_generates_h264_aac_mp4_of_the_requested_shape(quiet, tmp_path: Path) -> None:
    output = quiet.generate(small(request_id="abc/1"), tmp_path)
    assert output.path == tmp_path / "storyboard-abc_1.mp4"
    info = probe(output.path)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height, info.fps, info.frame_count) == (320, 180, 24.0, 36)
    assert output.backend == "storyboard" and output.provider_job_id is None
    params = output.parameters
    assert params["seed"] == 5 and params["style"] == "live-action"
    assert [s["camera"] for s in params["shots"]] == ["wide", "close-up", "pan-left"]
    assert sum(s["frames"] for s in params["shots"]) == 36
    assert set(output.timings) >= {"total_s", "render_encode_s"}


@pytest.mark.parametrize(("duration", "fps"), [(1.0, 24), (1.3, 30), (0.7, 25), (2.2, 12)])
def test_duration_is_exact(quiet, tmp_path, duration, fps) -> None:
    output = quiet.generate(small(duration_s=duration, fps=fps, prompt="a gull"), tmp_path)
    info = probe(output.path)
    assert info.duration_s == pytest.approx(duration, abs=0.1)
    assert info.frame_count == round(duration * fps)
    samples, rate = read_audio(output.path)
    assert samples.shape[0] / rate == pytest.approx(duration, abs=0.1)


def test_same_seed_gives_identical_frames_and_sound() -> None:
    request = small(style="anime")
    first, second = frames_of(request), frames_of(request)
    assert len(first) == 36
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    plan = plan_storyboard(request, 5)
    audio_a, _ = StoryboardRenderer(plan).audio(speech=False)
    audio_b, _ = StoryboardRenderer(plan).audio(speech=False)
    assert np.array_equal(audio_a, audio_b)


def test_different_seed_gives_different_frames() -> None:
    a, b = frames_of(small(seed=1)), frames_of(small(seed=2))
    assert not np.array_equal(a[0], b[0])


def test_frames_move_within_a_shot_and_change_between_shots() -> None:
    frames = frames_of(small())
    assert np.abs(frames[0].astype(int) - frames[11].astype(int)).mean() > 1.0  # camera moves
    means = [np.mean(frames[i], axis=(0, 1)) for i in (5, 17, 29)]  # one frame per shot
    assert np.abs(means[0] - means[1]).sum() > 3 and np.abs(means[1] - means[2]).sum() > 3


def test_cinematic_look_is_letterboxed() -> None:
    frame = frames_of(small(style="cinematic", prompt="a quiet lake"))[10]
    assert frame[:10].max() == 0 and frame[-10:-4].max() == 0  # black bars (bar above progress)
    assert frame[90].mean() > 5


def test_styles_look_different() -> None:
    looks = [
        frames_of(small(style=s, prompt="a quiet lake"))[0]
        for s in ("live-action", "cinematic", "anime")
    ]
    assert not np.array_equal(looks[0], looks[1]) and not np.array_equal(looks[0], looks[2])


def test_audio_bed_changes_chord_at_each_cut() -> None:
    plan = plan_storyboard(small(), 5)
    bed, spoken = StoryboardRenderer(plan).audio(speech=False)
    assert bed.shape == (72000, 2) and spoken == 0
    assert 0.01 < np.abs(bed).max() <= 0.2
    shots = [bed[i * 24000 + 6000 : i * 24000 + 18000, 0] for i in range(3)]
    spectra = [np.abs(np.fft.rfft(s)) for s in shots]
    peaks = [int(np.argmax(s)) for s in spectra]
    assert len(set(peaks)) == 3


def test_no_audio_requested_means_no_audio_stream(quiet, tmp_path) -> None:
    output = quiet.generate(small(audio=False), tmp_path)
    assert not probe(output.path).has_audio


def test_unseeded_request_records_the_seed_it_used(quiet, tmp_path) -> None:
    output = quiet.generate(small(seed=None, duration_s=0.5, prompt="a gull"), tmp_path)
    seed = output.parameters["seed"]
    assert isinstance(seed, int)
    again = frames_of(small(seed=seed, duration_s=0.5, prompt="a gull"))
    first = next(iter_frames(output.path))[1]
    assert np.abs(first.astype(int) - again[0].astype(int)).mean() < 4  # same picture, encoded


def test_progress_is_reported_up_to_done(quiet, tmp_path) -> None:
    seen: list[tuple[float, str]] = []
    quiet.generate(small(), tmp_path, lambda fraction, stage: seen.append((fraction, stage)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and seen[-1] == (1.0, "done")
    assert {stage for _, stage in seen} == {"render", "done"}


def test_refuses_before_writing_anything(quiet, tmp_path) -> None:
    with pytest.raises(UnsupportedRequest, match="odd"):
        quiet.generate(small(width=321), tmp_path)
    with pytest.raises(UnsupportedRequest, match="at most 2") as caught:
        quiet.generate(small(duration_s=1.0), tmp_path)  # three shots in one second
    assert caught.value.code == "generate.unsupported.too_many_shots"
    assert list(tmp_path.iterdir()) == []


def test_japanese_prompt_without_a_japanese_font_fails_closed(quiet, monkeypatch, tmp_path):
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    monkeypatch.setattr(fonts, "japanese_font_candidates", list)
    fonts.find_cjk_font.cache_clear()
    try:
        with pytest.raises(MissingFontError):
            quiet.generate(small(prompt="港の朝、カモメが鳴く"), tmp_path)
    finally:
        fonts.find_cjk_font.cache_clear()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sound.espeak_path() is None, reason="espeak-ng is not installed")
def test_quoted_dialogue_is_spoken(tmp_path) -> None:
    request = small(prompt='Shot 1: a gull says "hello there". ショット2：猫が「こんにちは」と言う')
    output = StoryboardBackend().generate(request, tmp_path)
    assert output.parameters["speech_lines"] == 2
    assert output.parameters["speech_engine"] == "espeak-ng"
    plan = plan_storyboard(request, 5)
    with_voice, _ = StoryboardRenderer(plan).audio(speech=True)
    without, _ = StoryboardRenderer(plan).audio(speech=False)
    assert np.abs(with_voice - without).max() > 0.05


def test_dialogue_is_skipped_cleanly_without_espeak(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sound, "espeak_path", lambda: None)
    output = StoryboardBackend().generate(small(prompt='a gull says "hello there"'), tmp_path)
    assert output.parameters["speech_lines"] == 0 and output.parameters["speech_engine"] is None
    assert probe(output.path).has_audio
