"""Storyboard sound: chords per shot and speech via espeak-ng."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pytest

from kyodaku.generate import audio as sound
from kyodaku.generate.shotlist import Line


def test_consecutive_shots_never_share_a_chord() -> None:
    for seed in range(20):
        chords = [sound.chord_for(i, seed) for i in range(12)]
        assert all(a != b for a, b in itertools.pairwise(chords))


def test_ambient_bed_shape_level_and_fades() -> None:
    bed = sound.ambient_bed([4800, 9600], seed=3)
    assert bed.shape == (14400, 2) and bed.dtype == np.float32
    assert 0.05 < np.abs(bed).max() <= 0.13
    assert np.abs(bed[0]).max() < 1e-3 and np.abs(bed[4799]).max() < 0.01  # faded at the cut


def test_kanji_become_kana_for_the_speech_engine() -> None:
    assert sound.to_kana("東京の猫") == "とうきょうのねこ"


@pytest.mark.skipif(sound.espeak_path() is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("line", [Line("Good morning", "en"), Line("おはよう、東京", "ja")])
def test_espeak_speaks_english_and_japanese(line: Line) -> None:
    voice = sound.speak(line)
    assert voice is not None and voice.dtype == np.float32
    assert 0.3 < voice.size / sound.SAMPLE_RATE < 5
    assert np.abs(voice).max() > 0.1


def test_speech_is_skipped_without_espeak(monkeypatch) -> None:
    monkeypatch.setattr(sound, "espeak_path", lambda: None)
    assert sound.speak(Line("hello", "en")) is None
    bed = sound.ambient_bed([48000], seed=1)
    mixed, spoken = sound.mix_dialogue(bed, [0], [(Line("hello", "en"),)])
    assert spoken == 0 and np.array_equal(mixed, bed)


def test_a_failing_speech_engine_is_an_error(monkeypatch, tmp_path: Path) -> None:
    broken = tmp_path / "espeak-ng"
    broken.write_text("#!/bin/sh\necho 'voice not found' >&2\nexit 1\n")
    os.chmod(broken, 0o755)
    monkeypatch.setattr(sound, "espeak_path", lambda: str(broken))
    with pytest.raises(sound.SpeechError, match="voice not found"):
        sound.speak(Line("hello", "en"))


def test_mixing_puts_the_voice_in_its_shot_and_cuts_it_at_the_end(monkeypatch) -> None:
    voice = np.full(30000, 0.5, dtype=np.float32)
    monkeypatch.setattr(sound, "speak", lambda line, rate, pitch=50: voice)
    bed = np.zeros((48000, 2), dtype=np.float32)
    mixed, spoken = sound.mix_dialogue(bed, [0, 24000], [(), (Line("hi", "en"),)])
    assert spoken == 1
    start = 24000 + int(0.25 * sound.SAMPLE_RATE)
    assert np.all(mixed[:start] == 0)
    assert mixed[start + 100, 0] == pytest.approx(0.4)
    assert mixed.shape == bed.shape
