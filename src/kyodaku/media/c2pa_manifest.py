"""The C2PA manifest definition that seals a generated video.

A generated video leaves the gateway with a signed statement of where it came
from: that a trained model made it (``c2pa.created`` with the IPTC digital
source type ``trainedAlgorithmicMedia``), which backend and model, which
generation and decision records it belongs to, which licences permitted the
rights holders' assets it uses, that it carries our invisible watermark (a
``c2pa.watermarked`` action plus a ``c2pa.soft-binding`` assertion, so the
manifest can be found again from the pixels), and that nobody may train on it
or mine it (``cawg.training-mining``, every use ``notAllowed``).

This module only builds the definition (a JSON-ready ``dict``) that
:func:`kyodaku.media.c2pa_sign.sign_mp4` hands to the C2PA SDK; it does no I/O,
so the content of a seal can be tested and reviewed without signing anything.
It also holds the vocabulary the sign and read modules share: assertion labels
and the :class:`ProvenanceError` family.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kyodaku import __version__ as KYODAKU_VERSION

#: IPTC digital source type for media made by a trained model (C2PA 2.x actions).
TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

ACTIONS_LABEL = "c2pa.actions.v2"
GENERATION_LABEL = "org.kyodaku.generation"
SOFT_BINDING_LABEL = "c2pa.soft-binding"
TRAINING_MINING_LABEL = "cawg.training-mining"

ACTION_CREATED = "c2pa.created"
ACTION_WATERMARKED = "c2pa.watermarked"

#: Name of kyodaku's invisible watermark as a C2PA soft-binding algorithm.
WATERMARK_ALG = "org.kyodaku.watermark.v1"

#: Every CAWG training-and-mining use; a kyodaku video allows none of them.
TRAINING_MINING_USES = (
    "cawg.ai_inference",
    "cawg.ai_generative_training",
    "cawg.ai_training",
    "cawg.data_mining",
)

CLAIM_GENERATOR_NAME = "kyodaku"

#: The keys of one licence entry, as the gateway's decision lists them.
LICENCE_KEYS = ("licence_id", "asset_id", "rights_holder_id")
#: The keys of the watermark description: its algorithm and the payload it embeds.
WATERMARK_KEYS = ("alg", "payload_hex")


class ProvenanceError(Exception):
    """Provenance could not be built, signed or read; nothing may be released."""


class ManifestError(ProvenanceError):
    """The facts given for a manifest are incomplete or malformed."""


def build_manifest(
    *,
    generation_id: str,
    decision_id: str,
    registry_version: int,
    licences: Sequence[Mapping[str, str]],
    backend: str,
    model: str,
    title: str,
    watermark: Mapping[str, str],
    created_at: datetime,
) -> dict[str, Any]:
    """Return the C2PA manifest definition for one generated video.

    ``licences`` lists one ``{"licence_id", "asset_id", "rights_holder_id"}``
    mapping per licensed asset used (empty when the video uses none).
    ``watermark`` is ``{"alg": ..., "payload_hex": ...}``: the soft-binding
    algorithm name (normally :data:`WATERMARK_ALG`) and the payload the
    watermark embeds, hex-encoded. ``created_at`` must be timezone-aware so the
    record means the same instant everywhere.

    Raises :class:`ManifestError` naming the first field that is missing or
    malformed: a seal with a hole in it would be worse than no seal.
    """
    generation_id = _required_text("generation_id", generation_id)
    decision_id = _required_text("decision_id", decision_id)
    backend = _required_text("backend", backend)
    model = _required_text("model", model)
    title = _required_text("title", title)
    if isinstance(registry_version, bool) or not isinstance(registry_version, int):
        raise ManifestError(f"registry_version must be an int, got {registry_version!r}")
    if registry_version < 0:
        raise ManifestError(f"registry_version must not be negative, got {registry_version}")
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise ManifestError("created_at must be timezone-aware (naive datetimes are ambiguous)")
    licence_entries = [_licence_entry(index, entry) for index, entry in enumerate(licences)]
    watermark_alg, payload = _watermark(watermark)
    when = created_at.isoformat()

    return {
        "claim_generator_info": [{"name": CLAIM_GENERATOR_NAME, "version": KYODAKU_VERSION}],
        "title": title,
        "assertions": [
            {
                "label": ACTIONS_LABEL,
                "data": {
                    "actions": [
                        {
                            "action": ACTION_CREATED,
                            "when": when,
                            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                            "softwareAgent": software_agent(backend, model),
                        },
                        {
                            "action": ACTION_WATERMARKED,
                            "when": when,
                            "softwareAgent": {
                                "name": CLAIM_GENERATOR_NAME,
                                "version": KYODAKU_VERSION,
                            },
                            "parameters": {"description": f"invisible watermark {watermark_alg}"},
                        },
                    ]
                },
            },
            {
                "label": GENERATION_LABEL,
                "data": {
                    "generation_id": generation_id,
                    "decision_id": decision_id,
                    "registry_version": registry_version,
                    "created_at": when,
                    "backend": backend,
                    "model": model,
                    "licences": licence_entries,
                },
            },
            {
                "label": SOFT_BINDING_LABEL,
                "data": {
                    "alg": watermark_alg,
                    # No scope: the watermark covers every frame of the video.
                    "blocks": [{"scope": {}, "value": base64.b64encode(payload).decode("ascii")}],
                    "name": "kyodaku invisible watermark payload",
                },
            },
            {
                "label": TRAINING_MINING_LABEL,
                "data": {"entries": {use: {"use": "notAllowed"} for use in TRAINING_MINING_USES}},
            },
        ],
    }


def software_agent(backend: str, model: str) -> dict[str, str]:
    """The ``softwareAgent`` of the created action: who actually made the pixels.

    C2PA viewers show only ``name``, so it names both; the two parts are also
    kept apart so that a reader need not parse the display name.
    """
    return {
        "name": f"{backend} ({model})",
        "org.kyodaku.backend": backend,
        "org.kyodaku.model": model,
    }


def _required_text(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ManifestError(f"{field} must be a non-empty string, got {value!r}")
    return value


def _licence_entry(index: int, entry: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(entry, Mapping):
        raise ManifestError(f"licences[{index}] must be a mapping, got {type(entry).__name__}")
    missing = [key for key in LICENCE_KEYS if key not in entry]
    unknown = sorted(set(entry) - set(LICENCE_KEYS))
    if missing or unknown:
        raise ManifestError(
            f"licences[{index}] must have exactly {', '.join(LICENCE_KEYS)}; "
            f"missing {missing or 'none'}, unknown {unknown or 'none'}"
        )
    return {key: _required_text(f"licences[{index}].{key}", entry[key]) for key in LICENCE_KEYS}


def _watermark(watermark: Mapping[str, str]) -> tuple[str, bytes]:
    if not isinstance(watermark, Mapping):
        raise ManifestError(f"watermark must be a mapping, got {type(watermark).__name__}")
    missing = [key for key in WATERMARK_KEYS if key not in watermark]
    if missing:
        raise ManifestError(f"watermark is missing {', '.join(missing)}")
    alg = _required_text("watermark.alg", watermark["alg"])
    payload_hex = _required_text("watermark.payload_hex", watermark["payload_hex"])
    try:
        payload = bytes.fromhex(payload_hex)
    except ValueError as error:
        raise ManifestError(f"watermark.payload_hex is not hexadecimal: {payload_hex!r}") from error
    return alg, payload


def decode_soft_binding_value(value: str) -> str:
    """Turn a soft-binding block value (base64) back into the payload's hex form."""
    try:
        return base64.b64decode(value, validate=True).hex()
    except (binascii.Error, ValueError) as error:
        raise ManifestError(f"soft-binding value is not base64: {value!r}") from error
