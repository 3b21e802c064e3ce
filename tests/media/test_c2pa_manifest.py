"""The manifest definition: what a kyodaku seal says, checked without signing."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

import kyodaku
from kyodaku.media.c2pa_manifest import (
    ACTIONS_LABEL,
    GENERATION_LABEL,
    SOFT_BINDING_LABEL,
    TRAINED_ALGORITHMIC_MEDIA,
    TRAINING_MINING_LABEL,
    WATERMARK_ALG,
    ManifestError,
    ProvenanceError,
    build_manifest,
    decode_soft_binding_value,
)

CREATED_AT = datetime(2025, 5, 1, 12, 30, tzinfo=UTC)
LICENCES = [
    {"licence_id": "lic_1", "asset_id": "chr_pikarin", "rights_holder_id": "rh_studio"},
    {"licence_id": "lic_2", "asset_id": "wrk_moon", "rights_holder_id": "rh_press"},
]


def manifest_args(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "generation_id": "gen_01",
        "decision_id": "dec_01",
        "registry_version": 7,
        "licences": LICENCES,
        "backend": "storyboard",
        "model": "storyboard-v1",
        "title": "Pikarin walks in Kyoto",
        "watermark": {"alg": WATERMARK_ALG, "payload_hex": "a1b2c3d4e5f60718"},
        "created_at": CREATED_AT,
    }
    args.update(overrides)
    return args


def assertion(manifest: dict[str, Any], label: str) -> dict[str, Any]:
    matches = [a["data"] for a in manifest["assertions"] if a["label"] == label]
    assert len(matches) == 1, f"expected one {label} assertion, found {len(matches)}"
    return matches[0]


def test_created_action_says_a_trained_model_made_it_with_backend_and_model() -> None:
    manifest = build_manifest(**manifest_args())
    actions = assertion(manifest, ACTIONS_LABEL)["actions"]
    created = actions[0]
    assert created["action"] == "c2pa.created"
    assert created["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    assert created["when"] == "2025-05-01T12:30:00+00:00"
    assert "storyboard" in created["softwareAgent"]["name"]
    assert "storyboard-v1" in created["softwareAgent"]["name"]
    assert created["softwareAgent"]["org.kyodaku.backend"] == "storyboard"
    assert created["softwareAgent"]["org.kyodaku.model"] == "storyboard-v1"
    assert [action["action"] for action in actions] == ["c2pa.created", "c2pa.watermarked"]


def test_generation_assertion_links_records_and_licences() -> None:
    data = assertion(build_manifest(**manifest_args()), GENERATION_LABEL)
    assert data == {
        "generation_id": "gen_01",
        "decision_id": "dec_01",
        "registry_version": 7,
        "created_at": "2025-05-01T12:30:00+00:00",
        "backend": "storyboard",
        "model": "storyboard-v1",
        "licences": LICENCES,
    }


def test_soft_binding_names_the_watermark_and_carries_its_payload() -> None:
    data = assertion(build_manifest(**manifest_args()), SOFT_BINDING_LABEL)
    assert data["alg"] == WATERMARK_ALG
    (block,) = data["blocks"]
    assert base64.b64decode(block["value"]) == bytes.fromhex("a1b2c3d4e5f60718")
    assert decode_soft_binding_value(block["value"]) == "a1b2c3d4e5f60718"


def test_training_and_mining_are_all_not_allowed() -> None:
    entries = assertion(build_manifest(**manifest_args()), TRAINING_MINING_LABEL)["entries"]
    assert set(entries) == {
        "cawg.ai_inference",
        "cawg.ai_generative_training",
        "cawg.ai_training",
        "cawg.data_mining",
    }
    assert {entry["use"] for entry in entries.values()} == {"notAllowed"}


def test_claim_generator_names_kyodaku_and_its_version() -> None:
    manifest = build_manifest(**manifest_args())
    assert manifest["claim_generator_info"] == [{"name": "kyodaku", "version": kyodaku.__version__}]
    assert manifest["title"] == "Pikarin walks in Kyoto"


def test_definition_is_plain_json_and_does_not_alias_inputs() -> None:
    licences = [dict(entry) for entry in LICENCES]
    manifest = build_manifest(**manifest_args(licences=licences))
    assert json.loads(json.dumps(manifest, ensure_ascii=False)) == manifest
    licences[0]["licence_id"] = "changed later"
    assert assertion(manifest, GENERATION_LABEL)["licences"][0]["licence_id"] == "lic_1"


def test_a_generation_without_licensed_assets_is_allowed() -> None:
    data = assertion(build_manifest(**manifest_args(licences=[])), GENERATION_LABEL)
    assert data["licences"] == []


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({"created_at": datetime(2025, 5, 1, 12, 30)}, "timezone-aware"),
        ({"generation_id": ""}, "generation_id"),
        ({"decision_id": "  "}, "decision_id"),
        ({"backend": None}, "backend"),
        ({"registry_version": "7"}, "registry_version"),
        ({"registry_version": True}, "registry_version"),
        ({"registry_version": -1}, "registry_version"),
        ({"watermark": {"alg": WATERMARK_ALG}}, "payload_hex"),
        ({"watermark": {"alg": WATERMARK_ALG, "payload_hex": "xyz"}}, "hexadecimal"),
        ({"watermark": {"alg": "", "payload_hex": "00"}}, "watermark.alg"),
        ({"licences": [{"licence_id": "l", "asset_id": "a"}]}, "rights_holder_id"),
        (
            {"licences": [{**LICENCES[0], "royalty": "5%"}]},
            "unknown ['royalty']",
        ),
        ({"licences": [{**LICENCES[0], "asset_id": ""}]}, "licences[0].asset_id"),
    ],
)
def test_incomplete_facts_are_refused_with_the_field_named(
    overrides: dict[str, Any], names: str
) -> None:
    with pytest.raises(ManifestError, match=re.escape(names)):
        build_manifest(**manifest_args(**overrides))


def test_manifest_errors_are_provenance_errors() -> None:
    assert issubclass(ManifestError, ProvenanceError)
    with pytest.raises(ManifestError, match="base64"):
        decode_soft_binding_value("not base64!")
