"""Storyboard sound: a soft ambient chord per shot and spoken dialogue.

The chord changes with each shot so that cuts are audible, and quoted
dialogue is spoken by espeak-ng when it is installed. espeak-ng is GPL-3, so
it is only ever run as a separate program (never linked or imported); when
it is absent the dialogue is skipped and the preview stays silent apart from
the chords. espeak-ng reads kanji poorly, so Japanese is converted to kana
first.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from kyodaku.generate.base import BackendError
from kyodaku.generate.shotlist import Line

SAMPLE_RATE = 48000

#: Chords as semitone offsets from a root: major, minor, sus2, add9, minor 7, major 7.
_CHORDS: tuple[tuple[int, ...], ...] = (
    (0, 4, 7),
    (0, 3, 7),
    (0, 2, 7),
    (0, 4, 7, 14),
    (0, 3, 7, 10),
    (0, 4, 7, 11),
)
#: Roots around A2–A3, spread so that neighbouring shots sound different.
_ROOTS_HZ: tuple[float, ...] = (110.0, 130.81, 146.83, 164.81, 196.0, 220.0)

_AMBIENT_PEAK = 0.12
_FADE_S = 0.12
_SPEECH_GAIN = 0.8
_SPEECH_DELAY_S = 0.25


class SpeechError(BackendError):
    """espeak-ng is installed but failed to speak a line."""

    default_code = "generate.failed"


def chord_for(shot_index: int, seed: int) -> tuple[float, ...]:
    """Frequencies (Hz) of the chord for a shot; consecutive shots always differ."""
    chords = len(_CHORDS) * len(_ROOTS_HZ)
    # Step by a number coprime with the table size so shots walk through it
    # without repeating their neighbour; the seed picks the starting point.
    choice = (seed * 7 + shot_index * 11) % chords
    root = _ROOTS_HZ[choice % len(_ROOTS_HZ)]
    intervals = _CHORDS[choice // len(_ROOTS_HZ)]
    return tuple(root * 2 ** (i / 12) for i in intervals)


def ambient_bed(
    shot_samples: Sequence[int], seed: int, sample_rate: int = SAMPLE_RATE
) -> np.ndarray:
    """A stereo ``(samples, 2)`` bed: each shot's chord, faded in and out at the cuts."""
    parts = []
    for index, length in enumerate(shot_samples):
        parts.append(_chord_tone(chord_for(index, seed), length, sample_rate, seed + index))
    if not parts:
        return np.zeros((0, 2), dtype=np.float32)
    return np.concatenate(parts).astype(np.float32)


def _chord_tone(freqs: Sequence[float], length: int, rate: int, seed: int) -> np.ndarray:
    t = np.arange(length, dtype=np.float64) / rate
    rng = np.random.default_rng(seed)
    left = np.zeros(length)
    right = np.zeros(length)
    for k, f in enumerate(freqs):
        phase = rng.uniform(0, 2 * np.pi)
        weight = 1.0 / (1 + k * 0.6)
        # A slight detune between the channels gives the bed some width.
        left += weight * np.sin(2 * np.pi * f * t + phase)
        right += weight * np.sin(2 * np.pi * f * 1.003 * t + phase)
        # A quiet octave above softens the pure sine into a pad.
        left += 0.25 * weight * np.sin(4 * np.pi * f * t + 2 * phase)
        right += 0.25 * weight * np.sin(4 * np.pi * f * 1.002 * t + 2 * phase)
    swell = 0.85 + 0.15 * np.sin(2 * np.pi * 0.25 * t + rng.uniform(0, 2 * np.pi))
    envelope = swell * _fades(length, rate)
    peak = max(np.abs(left).max(initial=0), np.abs(right).max(initial=0), 1e-9)
    stereo = np.stack([left, right], axis=1) * (envelope[:, None] * _AMBIENT_PEAK / peak)
    return stereo


def _fades(length: int, rate: int) -> np.ndarray:
    fade = min(int(_FADE_S * rate), length // 2)
    envelope = np.ones(length)
    if fade > 0:
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
        envelope[:fade] = ramp
        envelope[length - fade :] = ramp[::-1]
    return envelope


# --------------------------------------------------------------------------- speech


def espeak_path() -> str | None:
    """The espeak-ng program, or ``None`` when it is not installed."""
    return shutil.which("espeak-ng")


@lru_cache(maxsize=1)
def _kakasi():  # pykakasi builds its dictionaries on first use; do it once
    import pykakasi

    return pykakasi.kakasi()


def to_kana(text: str) -> str:
    """Japanese text with kanji replaced by their hiragana readings (for espeak-ng)."""
    return "".join(item["hira"] or item["orig"] for item in _kakasi().convert(text))


def speak(line: Line, sample_rate: int = SAMPLE_RATE, *, pitch: int = 50) -> np.ndarray | None:
    """Speak one line with espeak-ng; mono float32, or ``None`` when espeak-ng is absent."""
    program = espeak_path()
    if program is None:
        return None
    voice = "ja" if line.lang == "ja" else "en-us"
    text = to_kana(line.text) if line.lang == "ja" else line.text
    with tempfile.TemporaryDirectory(prefix="kyodaku-speech-") as tmp:
        wav_path = Path(tmp) / "line.wav"
        try:
            result = subprocess.run(
                [
                    program,
                    "-v",
                    voice,
                    "-p",
                    str(pitch),
                    "-s",
                    "160",
                    "-w",
                    str(wav_path),
                    "--stdin",
                ],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError(f"espeak-ng could not speak {line.text!r}: {exc}") from exc
        if result.returncode != 0 or not wav_path.exists():
            detail = result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}"
            raise SpeechError(f"espeak-ng could not speak {line.text!r}: {detail}")
        samples, rate = _read_wav(wav_path)
    return _resample(samples, rate, sample_rate)


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise SpeechError(f"espeak-ng wrote {wav.getsampwidth() * 8}-bit audio; expected 16")
        rate = wav.getframerate()
        channels = wav.getnchannels()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    mono = data.reshape(-1, channels).mean(axis=1) if channels > 1 else data
    return (mono.astype(np.float32) / 32768.0), rate


def _resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Linear-interpolation resampling: ample for a preview voice."""
    if rate == target or samples.size == 0:
        return samples.astype(np.float32)
    n_out = round(samples.size * target / rate)
    positions = np.arange(n_out) * (rate / target)
    return np.interp(positions, np.arange(samples.size), samples).astype(np.float32)


def mix_dialogue(
    bed: np.ndarray,
    shot_starts: Sequence[int],
    dialogue: Sequence[Sequence[Line]],
    sample_rate: int = SAMPLE_RATE,
) -> tuple[np.ndarray, int]:
    """Mix each shot's spoken lines over the bed, ducking the chords under the voice.

    Lines start a moment after their shot begins and follow one another; a line
    that runs past the end of the video is cut there. Returns the mixed audio
    and the number of lines spoken (0 when espeak-ng is absent).
    """
    out = bed.copy()
    total = out.shape[0]
    spoken = 0
    for start, lines in zip(shot_starts, dialogue, strict=True):
        cursor = start + int(_SPEECH_DELAY_S * sample_rate)
        for number, line in enumerate(lines):
            voice = speak(line, sample_rate, pitch=40 + 20 * (number % 2))
            if voice is None:
                return out, 0
            end = min(total, cursor + voice.size)
            if end <= cursor:
                break
            clip = voice[: end - cursor] * _SPEECH_GAIN
            out[cursor:end] *= _duck_envelope(end - cursor, sample_rate)[:, None]
            out[cursor:end] += clip[:, None]
            spoken += 1
            cursor = end + int(0.15 * sample_rate)
    np.clip(out, -1.0, 1.0, out=out)
    return out, spoken


def _duck_envelope(length: int, rate: int, depth: float = 0.4) -> np.ndarray:
    """Gain that dips to ``depth`` under a voice, with short ramps so it does not click."""
    ramp = min(int(0.03 * rate), length // 2)
    gain = np.full(length, depth)
    if ramp > 0:
        slope = np.linspace(1.0, depth, ramp)
        gain[:ramp] = slope
        gain[length - ramp :] = slope[::-1]
    return gain
