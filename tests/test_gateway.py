"""The gate end to end: decide, generate, check output, seal, record — and fail closed."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kyodaku.config import Settings
from kyodaku.gateway import Gateway
from kyodaku.generate import register_backend
from kyodaku.generate.base import (
    Capabilities,
    GenerationOutput,
    GenerationRequest,
    ProviderRefusal,
    UnsupportedRequest,
)
from kyodaku.identify import identify
from kyodaku.ledger import KIND_DECISION
from kyodaku.media.c2pa_read import read_manifest
from kyodaku.media.video_io import probe
from kyodaku.policy import UseRequest
from kyodaku.references import add_reference
from kyodaku.store.db import session_scope
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.royalties_repo import RoyaltyRepository
from kyodaku.store.statements import recompute_from_ledger
from tests.support import reencode_scaled, write_registry, write_textured_video

SMALL = GenerationRequest(prompt="", duration_s=2.0, width=320, height=180, fps=12)


@pytest.fixture
def gw(db_engine, tmp_path: Path) -> Gateway:
    gateway = Gateway(Settings(data_dir=tmp_path / "data"), engine=db_engine)
    gateway.import_registry(write_registry(tmp_path), actor="test")
    return gateway


def ledger_kinds(gw: Gateway) -> list[str]:
    with session_scope(gw.engine, read_only=True) as session:
        return [e.kind for e in LedgerRepository(session).entries()]


def test_decisions_are_recorded_with_their_registry_version(gw: Gateway):
    recorded = gw.decide("Zorblax repairing a clock tower", UseRequest(), actor="alice")
    assert recorded.decision.allowed
    with session_scope(gw.engine, read_only=True) as session:
        (entry,) = LedgerRepository(session).entries(kind=KIND_DECISION)
    assert entry.subject_id == recorded.id
    assert entry.payload["registry_version"] == 1
    assert entry.payload["references"][0]["asset_id"] == "c-zorblax"
    assert entry.payload["actor"] == "alice"


def test_a_screening_crash_refuses_and_is_recorded(gw: Gateway, monkeypatch):
    class Broken:
        def screen(self, prompt: str):
            raise RuntimeError("index corrupted")

    monkeypatch.setattr("kyodaku.gateway.get_screener", lambda registry: Broken())
    recorded = gw.decide("a quiet harbour at dawn", UseRequest())
    assert not recorded.decision.allowed
    assert recorded.decision.error == "error.screening_failed"
    assert "index corrupted" in recorded.decision.reasons[1].text("en")
    assert KIND_DECISION in ledger_kinds(gw)


def test_licensed_generation_is_sealed_recorded_and_paid(gw: Gateway, tmp_path: Path):
    prompt = "Zorblax repairing a clock tower at night"
    outcome = gw.generate(
        prompt,
        UseRequest(declared_value=Decimal("2000"), currency="JPY"),
        GenerationRequest(prompt=prompt, duration_s=2.0, width=320, height=180, fps=12),
        request_id="req-1",
        creator="alice",
        out=tmp_path / "out.mp4",
    )
    assert outcome.status == "released", outcome.reasons
    info = probe(outcome.path)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert abs(info.duration_s - 2.0) <= 0.1
    manifest = read_manifest(outcome.path)
    assert manifest.present and manifest.valid
    assert manifest.generation_id == outcome.generation.id
    assert manifest.licences == [
        {"licence_id": "lic-zorblax-fan", "asset_id": "c-zorblax", "rights_holder_id": "rh-lumen"}
    ]
    (royalty,) = outcome.royalties
    assert royalty.amount == Decimal("200") and royalty.rights_holder_id == "rh-lumen"
    period = f"{outcome.generation.created_at:%Y-%m}"
    with session_scope(gw.engine, read_only=True) as session:
        statement = RoyaltyRepository(session).statement("rh-lumen", period)
        assert recompute_from_ledger(session, "rh-lumen", period) == dict(statement.totals)
        assert LedgerRepository(session).verify().ok

    # A retry with the same request id returns the same record and never pays twice.
    again = gw.generate(
        prompt,
        UseRequest(declared_value=Decimal("2000"), currency="JPY"),
        GenerationRequest(prompt=prompt, duration_s=2.0, width=320, height=180, fps=12),
        request_id="req-1",
        creator="alice",
    )
    assert again.status == "existing" and again.generation.id == outcome.generation.id
    with session_scope(gw.engine, read_only=True) as session:
        assert len(RoyaltyRepository(session).statement("rh-lumen", period).accruals) == 1
    with pytest.raises(ValueError, match="different prompt"):
        gw.generate("Zorblax dancing", UseRequest(), SMALL, request_id="req-1")


def test_a_stripped_reencoded_half_size_copy_still_finds_its_record(gw: Gateway, tmp_path: Path):
    prompt = "Zorblax walking through a rainy market"
    outcome = gw.generate(
        prompt,
        UseRequest(),
        GenerationRequest(prompt=prompt, duration_s=3.0, width=640, height=360, fps=24),
        creator="bob",
    )
    assert outcome.released
    copy = reencode_scaled(outcome.path, tmp_path / "copy.mp4", 0.5, crf=28)  # no manifest
    found = identify(copy, gw.engine, gw.generation_steps.released)
    assert found.manifest is not None and not found.manifest.present
    assert found.watermark.found
    assert found.generation is not None and found.generation.id == outcome.generation.id
    assert "watermark" in found.found_by


def test_refused_prompt_produces_no_file(gw: Gateway):
    prompt = "Marisol Keel steering through a storm"
    outcome = gw.generate(prompt, UseRequest(), SMALL)
    assert outcome.status == "refused" and outcome.path is None
    assert any(r.code == "policy.unlicensed" for r in outcome.reasons)
    assert not any(gw.settings.videos_dir.glob("*.mp4"))  # no such folder: no files


def test_request_outside_backend_capabilities_is_refused_before_anything_runs(gw: Gateway):
    before = ledger_kinds(gw)
    with pytest.raises(UnsupportedRequest):
        gw.generate("a harbour", UseRequest(), GenerationRequest(prompt="", duration_s=3600))
    assert ledger_kinds(gw) == before


class ReplayBackend:
    """A backend that 'generates' a fixed file: stands in for a model that memorised."""

    name = "replay"
    model = "replay-1"

    def __init__(self, source: Path | None = None, refuse: bool = False) -> None:
        self.source = source
        self.refuse = refuse

    def capabilities(self) -> Capabilities:
        return Capabilities(
            max_duration_s=60, max_width=1920, max_height=1080, fps_options=frozenset({12, 24})
        )

    def generate(self, request, out_dir: Path, progress=None) -> GenerationOutput:
        if self.refuse:
            raise ProviderRefusal("blocked", provider="Replay", reasons=("safety",))
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / "raw.mp4"
        shutil.copyfile(self.source, path)
        return GenerationOutput(path=path, backend=self.name, model=self.model)


def test_output_matching_unlicensed_reference_media_is_held(gw: Gateway, tmp_path: Path):
    clip = write_textured_video(tmp_path / "marisol-reference.mp4", seconds=3.0)
    add_reference(gw.engine, gw.current_registry(), "c-marisol", clip, added_by="rh-tidal")
    register_backend("replay", lambda config: ReplayBackend(clip))
    params = GenerationRequest(prompt="", duration_s=3, width=320, height=180, fps=12)
    outcome = gw.generate(
        "a sea captain on a ship deck",
        UseRequest(),
        GenerationRequest(prompt="", duration_s=3, width=320, height=180, fps=12),
        backend="replay",
    )
    assert outcome.status == "held"
    (reason,) = outcome.reasons
    assert "Marisol Keel" in reason.text("en") and "%" in reason.text("en")
    assert outcome.generation is None
    assert "generation.held" in ledger_kinds(gw)

    # Footage of a character the request *is* licensed to use is released.
    zorblax_clip = write_textured_video(tmp_path / "zorblax-reference.mp4", seconds=3.0, seed=9)
    add_reference(gw.engine, gw.current_registry(), "c-zorblax", zorblax_clip, added_by="rh-lumen")
    register_backend("replay", lambda config: ReplayBackend(zorblax_clip))
    ok = gw.generate("Zorblax on a ship deck", UseRequest(), params, backend="replay")
    assert ok.status == "released", ok.reasons
    assert [m.asset_id for m in ok.output_check.licensed] == ["c-zorblax"]


def test_provider_refusal_is_recorded_as_such(gw: Gateway):
    register_backend("refuser", lambda config: ReplayBackend(refuse=True))
    outcome = gw.generate("a quiet harbour", UseRequest(), SMALL, backend="refuser")
    assert outcome.status == "refused"
    assert outcome.reasons[0].code == "generate.provider_refusal"
    assert "generation.refused" in ledger_kinds(gw)


def test_sealing_failure_releases_nothing(gw: Gateway, monkeypatch, tmp_path: Path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate", encoding="utf-8")
    monkeypatch.setenv("KYODAKU_C2PA_CERT", str(bad))
    monkeypatch.setenv("KYODAKU_C2PA_KEY", str(bad))
    with pytest.raises(Exception, match=r"(?i)certificate|identity|key"):
        gw.generate("Zorblax in the snow", UseRequest(), SMALL, request_id="req-bad")
    assert not any(gw.settings.videos_dir.glob("*.mp4"))
    with session_scope(gw.engine, read_only=True) as session:
        from kyodaku.store.generations_repo import GenerationRepository

        assert GenerationRepository(session).by_request_id("req-bad") is None


def test_a_withdrawn_video_is_not_handed_out_again_on_retry(gw: Gateway, tmp_path: Path):
    from kyodaku.store.generations_repo import GenerationRepository

    prompt = "Zorblax reading a map"
    params = GenerationRequest(prompt=prompt, duration_s=2.0, width=320, height=180, fps=12)
    first = gw.generate(prompt, UseRequest(), params, request_id="req-w")
    assert first.released
    with session_scope(gw.engine) as session:
        GenerationRepository(session).set_status(
            first.generation.id, "withdrawn", actor="rh-lumen", reason="claim"
        )
    retry = gw.generate(prompt, UseRequest(), params, request_id="req-w", out=tmp_path / "r.mp4")
    assert retry.status == "refused" and not retry.released
    assert retry.reasons[0].code == "generate.withdrawn"
    assert not (tmp_path / "r.mp4").exists()


def test_an_index_that_cannot_be_built_refuses(gw: Gateway, monkeypatch):
    def broken(registry):
        raise MemoryError("index too large")

    monkeypatch.setattr("kyodaku.gateway.get_screener", broken)
    recorded = gw.decide("a quiet harbour", UseRequest())
    assert not recorded.decision.allowed and recorded.decision.error == "error.screening_failed"


def test_registry_changes_take_effect_without_a_restart(gw: Gateway, tmp_path: Path):
    import json

    from tests.support import REGISTRY

    assert not gw.decide("Marisol Keel at sea", UseRequest()).decision.allowed
    grant = json.loads(json.dumps(REGISTRY))
    grant["licences"].append(
        {"id": "lic-marisol", "assets": ["w-deep-tide"], "purposes": ["non-commercial"]}
    )
    gw.import_registry(write_registry(tmp_path, grant, "v2.json"), actor="rh-tidal")
    recorded = gw.decide("Marisol Keel at sea", UseRequest())
    assert recorded.decision.allowed and recorded.decision.registry_version == 2


def test_the_watermark_key_is_configurable_and_secret(db_engine, tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", watermark_key=b"platform-secret")
    gateway = Gateway(settings, engine=db_engine)
    gateway.import_registry(write_registry(tmp_path), actor="test")
    prompt = "Zorblax juggling gears"
    outcome = gateway.generate(
        prompt,
        UseRequest(),
        GenerationRequest(prompt=prompt, duration_s=3.0, width=320, height=180, fps=24),
    )
    released = gateway.generation_steps.released
    with_key = identify(outcome.path, gateway.engine, released, watermark_key=b"platform-secret")
    assert with_key.watermark.found and "watermark" in with_key.found_by
    public = identify(outcome.path, gateway.engine, released)  # the default, public key
    assert not public.watermark.found
