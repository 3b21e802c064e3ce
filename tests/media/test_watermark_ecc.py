"""The watermark's error correction: CRC-16 plus soft-decision Viterbi."""

from __future__ import annotations

import numpy as np
import pytest

from kyodaku.media import watermark_ecc as ecc

PAYLOAD_BITS = 64


def _signs(coded: np.ndarray) -> np.ndarray:
    return 1.0 - 2.0 * coded


def test_coded_length_counts_crc_tail_and_rate() -> None:
    assert ecc.coded_length(64) == (64 + 16 + 6) * 2
    assert len(ecc.encode(12345, PAYLOAD_BITS)) == ecc.coded_length(PAYLOAD_BITS)


@pytest.mark.parametrize("payload", [0, 1, 0xDEADBEEF, 2**64 - 1, 0x0123456789ABCDEF])
def test_clean_codeword_round_trips(payload: int) -> None:
    decoded = ecc.decode(_signs(ecc.encode(payload, PAYLOAD_BITS)), PAYLOAD_BITS)
    assert decoded.payload == payload
    assert decoded.crc_ok
    assert decoded.hard_errors == 0


def test_corrects_scattered_hard_errors_and_counts_them() -> None:
    payload = 0x0F1E2D3C4B5A6978
    coded = ecc.encode(payload, PAYLOAD_BITS)
    received = _signs(coded)
    flipped = np.arange(3, len(coded), 17)  # 11 errors, spread out
    received[flipped] *= -1
    decoded = ecc.decode(received, PAYLOAD_BITS)
    assert decoded.payload == payload and decoded.crc_ok
    assert decoded.hard_errors == len(flipped)


def test_soft_decoding_uses_reliability() -> None:
    # Many weak wrong votes and strong right ones: hard decisions alone would be hopeless.
    rng = np.random.default_rng(7)
    payload = int(rng.integers(0, 2**63))
    coded = ecc.encode(payload, PAYLOAD_BITS)
    received = _signs(coded) * rng.uniform(0.5, 1.0, len(coded))
    wrong = rng.choice(len(coded), size=40, replace=False)
    received[wrong] = -0.05 * _signs(coded)[wrong]
    decoded = ecc.decode(received, PAYLOAD_BITS)
    assert decoded.payload == payload and decoded.crc_ok


def test_gaussian_noise_at_moderate_snr_decodes() -> None:
    rng = np.random.default_rng(3)
    successes = 0
    for _ in range(40):
        payload = int(rng.integers(0, 2**63))
        received = _signs(ecc.encode(payload, PAYLOAD_BITS)) + rng.normal(0, 0.6, 172)
        decoded = ecc.decode(received, PAYLOAD_BITS)
        successes += decoded.payload == payload and decoded.crc_ok
    assert successes >= 39


def test_crc_rejects_noise() -> None:
    rng = np.random.default_rng(11)
    passes = sum(ecc.decode(rng.normal(size=172), PAYLOAD_BITS).crc_ok for _ in range(200))
    assert passes == 0


def test_crc16_changes_with_payload() -> None:
    assert ecc.crc16(1, 64) != ecc.crc16(2, 64)


@pytest.mark.parametrize("payload", [-1, 2**64])
def test_payload_out_of_range_is_refused(payload: int) -> None:
    with pytest.raises(ecc.WatermarkCodeError, match="does not fit"):
        ecc.encode(payload, PAYLOAD_BITS)


def test_wrong_soft_length_is_refused() -> None:
    with pytest.raises(ecc.WatermarkCodeError, match="expected 172 soft values"):
        ecc.decode(np.zeros(170), PAYLOAD_BITS)


def test_non_finite_soft_values_are_refused() -> None:
    soft = np.zeros(172)
    soft[5] = np.nan
    with pytest.raises(ecc.WatermarkCodeError, match="NaN"):
        ecc.decode(soft, PAYLOAD_BITS)
