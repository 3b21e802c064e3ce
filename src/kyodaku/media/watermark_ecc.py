"""Error correction for the invisible watermark: CRC-16 plus a soft-decision convolutional code.

Why a convolutional code decoded by Viterbi rather than Reed–Solomon or BCH (``reedsolo``,
``bchlib``, ``galois`` were considered): the detector does not see bits, it sees *soft* evidence —
per coded bit, a correlation averaged over many frames, strong where the picture kept the mark and
weak where compression wiped it. A hard-decision block decoder throws that reliability away; the
Viterbi algorithm uses it directly and gains several decibels. The code is the industry-standard
rate-1/2, constraint-length-7 code (generators 133 and 171 octal, free distance 10, used by
802.11 and the Voyager probes), small enough to decode in a few milliseconds with numpy.

The CRC-16 (CCITT, from the standard library's ``binascii``) guards against the decoder turning
noise from an unmarked video into a plausible payload: a random decode passes with probability
2**-16, and the detector adds a confidence threshold on top (see ``watermark.py``).
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass

import numpy as np

CONSTRAINT_LENGTH = 7
GENERATORS = (0o133, 0o171)
CRC_BITS = 16
_MEMORY = CONSTRAINT_LENGTH - 1
_STATES = 1 << _MEMORY


class WatermarkCodeError(ValueError):
    """A payload or a soft-evidence vector does not fit the watermark code."""


def _parity(values: np.ndarray) -> np.ndarray:
    bits = np.zeros_like(values)
    for shift in range(CONSTRAINT_LENGTH):
        bits ^= (values >> shift) & 1
    return bits


# Trellis tables. The register holds the newest input bit in its lowest bit; the state is the
# register without its oldest bit, so the next state after input b from state s is
# ((s << 1) | b) & (STATES - 1), and each next state has two predecessors (oldest bit 0 or 1).
_NEXT_STATES = np.arange(_STATES)
_INPUT_OF_NEXT = _NEXT_STATES & 1
_PREDECESSORS = np.stack([(_NEXT_STATES >> 1), (_NEXT_STATES >> 1) | (1 << (_MEMORY - 1))])
# Register contents (7 bits) for each (predecessor choice, next state): predecessor << 1 | input.
_REGISTERS = (_PREDECESSORS << 1) | _INPUT_OF_NEXT
# Coded output bits for every register value, shape (2**K, outputs).
_OUTPUT_BITS = np.stack(
    [_parity(np.arange(1 << CONSTRAINT_LENGTH) & g) for g in GENERATORS], axis=-1
)
# Expected coded bits as signs (+1 for a 0 bit, -1 for a 1 bit), shape (2, STATES, outputs).
_EXPECTED_SIGNS = np.stack([1 - 2 * _parity(_REGISTERS & g) for g in GENERATORS], axis=-1).astype(
    np.float64
)


def coded_length(payload_bits: int) -> int:
    """Number of coded bits for a payload: (payload + CRC + tail) times the code's rate."""
    return (payload_bits + CRC_BITS + _MEMORY) * len(GENERATORS)


def crc16(payload: int, payload_bits: int) -> int:
    """CRC-16/CCITT of the payload written big-endian in whole bytes."""
    return binascii.crc_hqx(payload.to_bytes((payload_bits + 7) // 8, "big"), 0)


def _int_to_bits(value: int, width: int) -> np.ndarray:
    return np.array([(value >> (width - 1 - i)) & 1 for i in range(width)], dtype=np.int64)


def _bits_to_int(bits: np.ndarray) -> int:
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value


def encode(payload: int, payload_bits: int) -> np.ndarray:
    """Payload → coded bits (0/1 array): payload, its CRC-16 and a zero tail, convolved."""
    if payload < 0 or payload >= 1 << payload_bits:
        raise WatermarkCodeError(f"payload {payload} does not fit in {payload_bits} bits")
    message = np.concatenate(
        [
            _int_to_bits(payload, payload_bits),
            _int_to_bits(crc16(payload, payload_bits), CRC_BITS),
            np.zeros(_MEMORY, dtype=np.int64),
        ]
    )
    return encode_message(message)


@dataclass(frozen=True)
class Decoded:
    """What the Viterbi decoder found in a soft-evidence vector."""

    payload: int
    crc_ok: bool
    codeword: np.ndarray  # re-encoded coded bits (0/1) of the decoded message
    hard_errors: int  # coded bits whose hard decision disagrees with the decoded codeword


def decode(soft: np.ndarray, payload_bits: int) -> Decoded:
    """Soft-decision Viterbi decoding.

    ``soft`` holds one value per coded bit, positive for a 0 bit and negative for a 1 bit, its
    magnitude the evidence's reliability (any scale). The path metric is the correlation between
    the evidence and the candidate codeword, which is maximum-likelihood for Gaussian noise.
    """
    soft = np.asarray(soft, dtype=np.float64)
    expected = coded_length(payload_bits)
    if soft.shape != (expected,):
        raise WatermarkCodeError(f"expected {expected} soft values, got shape {soft.shape}")
    message = decode_messages(soft[None, :])[0]
    payload = _bits_to_int(message[:payload_bits])
    crc = _bits_to_int(message[payload_bits : payload_bits + CRC_BITS])
    codeword = encode_message(message)  # the raw message: its CRC may be wrong
    hard = (soft < 0).astype(np.int64)
    return Decoded(
        payload=payload,
        crc_ok=crc == crc16(payload, payload_bits),
        codeword=codeword,
        hard_errors=int(np.count_nonzero(hard != codeword)),
    )


def decode_messages(soft: np.ndarray) -> np.ndarray:
    """Viterbi on many soft vectors at once (rows of ``soft``): the decoded messages (0/1).

    Batched because the detector also decodes shuffled copies of its votes to learn what noise
    alone would reach (see ``watermark._confidence``); one pass over the trellis serves them all.
    """
    soft = np.asarray(soft, dtype=np.float64)
    outputs = len(GENERATORS)
    if soft.ndim != 2 or soft.shape[1] % outputs:
        raise WatermarkCodeError(f"soft evidence must be (vectors, steps × {outputs})")
    if not np.all(np.isfinite(soft)):
        raise WatermarkCodeError("soft evidence contains NaN or infinity")
    vectors = soft.shape[0]
    steps = soft.reshape(vectors, -1, outputs)
    n_steps = steps.shape[1]
    metric = np.full((vectors, _STATES), -np.inf)
    metric[:, 0] = 0.0
    decisions = np.zeros((n_steps, vectors, _STATES), dtype=np.int8)
    rows = np.arange(vectors)[:, None]
    for t in range(n_steps):
        # candidates[v, choice, next_state]
        branch = np.einsum("csk,vk->vcs", _EXPECTED_SIGNS, steps[:, t])
        candidates = metric[:, _PREDECESSORS] + branch
        choice = np.argmax(candidates, axis=1)
        decisions[t] = choice
        metric = np.take_along_axis(candidates, choice[:, None, :], axis=1)[:, 0]
    state = np.zeros(vectors, dtype=np.int64)  # the zero tail ends every path in state 0
    messages = np.zeros((vectors, n_steps), dtype=np.int64)
    for t in range(n_steps - 1, -1, -1):
        messages[:, t] = state & 1
        state = _PREDECESSORS[decisions[t][rows[:, 0], state], state]
    return messages


def encode_message(message: np.ndarray) -> np.ndarray:
    """Convolve a message (0/1 bits, tail included) with the generators."""
    register = 0
    coded = np.empty((len(message), len(GENERATORS)), dtype=np.int64)
    for t, bit in enumerate(message):
        register = ((register << 1) | int(bit)) & ((1 << CONSTRAINT_LENGTH) - 1)
        coded[t] = _OUTPUT_BITS[register]
    return coded.ravel()
