"""Claims on a real gateway: filing, every step, deadlines, settlement, learning, races.

Each test builds a gateway over ``db_engine`` (SQLite, and PostgreSQL when
configured) with a clock the test controls, imports a small invented
registry and, where it needs one, generates a tiny real video (2 s, 320×180)
with the built-in storyboard backend.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine

from kyodaku.claim_rules import ClaimRuleError, ClaimState, OverdueStep
from kyodaku.claims import NOT_OURS, Claims
from kyodaku.config import Settings
from kyodaku.gateway import Gateway, GenerationOutcome
from kyodaku.generate.base import GenerationRequest
from kyodaku.identify import identify
from kyodaku.ledger import KIND_CLAIM_CREATED, KIND_CLAIM_TRANSITION, KIND_GENERATION_STATUS
from kyodaku.media.seal import file_sha256
from kyodaku.media.video_io import transcode, write_mp4
from kyodaku.policy import UseRequest
from kyodaku.references import add_reference
from kyodaku.screen import get_screener
from kyodaku.store.claims_repo import ClaimRepository
from kyodaku.store.db import session_scope
from kyodaku.store.errors import ConcurrentUpdate, NotFound
from kyodaku.store.generations_repo import GenerationRepository
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.royalties_repo import RoyaltyRepository

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

REGISTRY: dict[str, Any] = {
    "rights_holders": [
        {"id": "rh-kumo", "name": "Kumo Studio"},
        {"id": "rh-nami", "name": "Nami Works"},
    ],
    "works": [
        {
            "id": "w-lantern",
            "rights_holder": "rh-kumo",
            "titles": {"en": ["Sky Lantern Chronicles"], "ja": ["空灯籠物語"]},
            "terms": ["lanternglass"],
        },
        {"id": "w-tide", "rights_holder": "rh-nami", "titles": {"en": ["Tidebound"]}, "terms": []},
    ],
    "characters": [
        {
            "id": "c-hoshi",
            "work": "w-lantern",
            "names": {"en": ["Hoshimaru"], "ja": ["ホシマル"]},
            "aliases": [],
            "description": "a small blue fox spirit with a lantern tail",
        }
    ],
    "licences": [
        {
            "id": "lic-hoshi-fan",
            "assets": ["c-hoshi"],
            "purposes": ["non-commercial"],
            "prohibited_contexts": ["gambling"],
            "royalty_rate": 0.1,
        }
    ],
}

#: Names the character (licensed) and calls it by a nickname the registry lacks.
PROMPT = "Hoshimaru and Pip Moonwhisker chasing fireflies over a quiet pond"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


def build_gateway(engine: Engine, data_dir: Path, clock: Clock, **settings: Any) -> Gateway:
    return Gateway(Settings(data_dir=data_dir, **settings), engine=engine, clock=clock)


@pytest.fixture
def gateway(db_engine: Engine, tmp_path: Path, clock: Clock) -> Gateway:
    gw = build_gateway(db_engine, tmp_path, clock)
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(REGISTRY), encoding="utf-8")
    gw.import_registry(path, actor="test")
    return gw


@pytest.fixture
def claims(gateway: Gateway) -> Claims:
    return Claims(gateway)


def generate(
    gw: Gateway, prompt: str = PROMPT, *, value: Decimal | None = Decimal(1000)
) -> GenerationOutcome:
    outcome = gw.generate(
        prompt,
        UseRequest(purpose="non-commercial", declared_value=value),
        GenerationRequest(prompt=prompt, duration_s=2, width=320, height=180, fps=12),
        creator="alice",
    )
    assert outcome.status == "released", [r.text() for r in outcome.reasons]
    return outcome


@pytest.fixture
def video(gateway: Gateway) -> GenerationOutcome:
    return generate(gateway)


def file_claim(claims: Claims, video: GenerationOutcome, asset: str = "c-hoshi", **kw: Any):
    assert video.generation is not None
    return claims.file(
        rights_holder_id=kw.pop("rights_holder_id", "rh-kumo"),
        asset_id=asset,
        reason=kw.pop("reason", "our fox, under a nickname"),
        generation_id=video.generation.id,
        **kw,
    )


def ledger_kinds(engine: Engine, subject_id: str) -> list[str]:
    with session_scope(engine, read_only=True) as session:
        return [e.kind for e in LedgerRepository(session).entries(subject_id=subject_id)]


def assert_ledger_intact(engine: Engine) -> None:
    with session_scope(engine, read_only=True) as session:
        report = LedgerRepository(session).verify()
    assert report.ok, report.reason


def generation_status(engine: Engine, generation_id: str) -> str:
    with session_scope(engine, read_only=True) as session:
        return GenerationRepository(session).get(generation_id).status


def rule_error(action: Callable[[], Any]) -> ClaimRuleError:
    with pytest.raises(ClaimRuleError) as info:
        action()
    return info.value


# --------------------------------------------------------------------------- filing


def test_a_claim_by_generation_id_opens_with_deadlines_and_the_evidence(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    claim = file_claim(claims, video)

    assert (claim.state, claim.generation_id, claim.row_version) == (
        "received",
        video.generation.id,
        1,
    )
    assert claim.ack_due == START + timedelta(hours=24)
    assert claim.decision_due == START + timedelta(days=7)
    assert claim.video_sha256 == video.generation.output_sha256
    evidence = claim.evidence
    assert evidence["prompt"] == PROMPT
    assert evidence["generation"]["creator"] == "alice"
    assert evidence["generation"]["status"] == "released"
    decision = evidence["decision"]
    assert decision["decision"] == "allow" and decision["licences"] == ["lic-hoshi-fan"]
    assert [r["asset_id"] for r in decision["references"]] == ["c-hoshi"]
    assert any("Hoshimaru" in reason["en"] for reason in decision["reasons"])
    assert decision["request"]["declared_value"] == "1000"
    assert evidence["output_check_at_release"]["passed"] is True
    assert ledger_kinds(gateway.engine, claim.id) == [KIND_CLAIM_CREATED]


def test_a_reencoded_copy_without_its_manifest_is_traced_by_watermark_with_match_scores(
    claims: Claims, video: GenerationOutcome, gateway: Gateway, tmp_path: Path
) -> None:
    registry = gateway.current_registry()
    add_reference(gateway.engine, registry, "c-hoshi", video.path, added_by="rh-kumo")
    copy = tmp_path / "found-online.mp4"
    transcode(video.path, copy, lambda frame, _i: frame, crf=26)

    claim = claims.file(
        rights_holder_id="rh-kumo", asset_id="c-hoshi", reason="seen online", video=copy
    )

    assert claim.state == "received" and claim.generation_id == video.generation.id
    assert claim.video_sha256 == file_sha256(copy) != video.generation.output_sha256
    found = claim.evidence["identification"]
    assert "watermark" in found["found_by"] and "manifest" not in found["found_by"]
    assert found["manifest_present"] is False and found["watermark_found"] is True
    match = claim.evidence["reference_match"]
    assert match["checked"] is True and match["share"] > 0.5


def test_a_video_we_never_made_is_rejected_at_once_as_not_ours_with_the_evidence(
    claims: Claims, video: GenerationOutcome, gateway: Gateway, tmp_path: Path, clock: Clock
) -> None:
    rng = np.random.default_rng(7)
    frames = [rng.integers(0, 255, (180, 320, 3), dtype=np.uint8) for _ in range(24)]
    stranger = tmp_path / "stranger.mp4"
    write_mp4(stranger, frames, fps=12)

    claim = claims.file(
        rights_holder_id="rh-kumo", asset_id="c-hoshi", reason="is this yours?", video=stranger
    )

    assert claim.state == "rejected" and claim.generation_id is None
    assert claim.ack_due is None and claim.decision_due is None
    assert claim.evidence["finding"] == NOT_OURS
    found = claim.evidence["identification"]
    assert found["sha256"] == file_sha256(stranger) == claim.video_sha256
    assert found["found_by"] == [] and found["fingerprint_matches"] == []
    assert found["manifest_present"] is False and found["watermark_found"] is False
    assert claim.resolution == {
        "outcome": "rejected",
        "by": "platform",
        "code": "claim.not_ours",
        "params": {},
    }
    assert [e.to_state for e in claims.history(claim.id)] == ["received", "rejected"]
    assert ledger_kinds(gateway.engine, claim.id) == [KIND_CLAIM_CREATED, KIND_CLAIM_TRANSITION]
    clock.advance(days=30)
    assert claims.overdue() == []
    assert rule_error(lambda: claims.acknowledge(claim.id)).code == "claim.final"


def test_a_generation_id_we_never_issued_is_not_ours(claims: Claims) -> None:
    claim = claims.file(
        rights_holder_id="rh-kumo",
        asset_id="w-lantern",
        reason="this id was on a video",
        generation_id="01NOTISSUEDBYUS0000000000",
    )
    assert claim.state == "rejected" and claim.evidence["finding"] == NOT_OURS
    assert claim.evidence["requested_generation_id"] == "01NOTISSUEDBYUS0000000000"
    assert claim.resolution["code"] == "claim.not_ours_generation"
    assert rule_error(
        lambda: claims.settle(claim.id, actor="rh-kumo", royalty_rate=0.1)
    ).code == "claim.final"  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"generation_id": None}, "claim.target_missing"),
        ({"video": Path("x.mp4")}, "claim.target_missing"),
        ({"reason": "  "}, "claim.reason_missing"),
        ({"rights_holder_id": "rh-nobody"}, "claim.unknown_rights_holder"),
        ({"asset_id": "c-nobody"}, "claim.unknown_asset"),
        ({"asset_id": "w-tide"}, "claim.not_your_asset"),
    ],
)
def test_a_claim_that_cannot_be_filed_is_refused_and_nothing_is_written(
    claims: Claims, fields: dict[str, Any], code: str
) -> None:
    request = {
        "rights_holder_id": "rh-kumo",
        "asset_id": "c-hoshi",
        "reason": "ours",
        "generation_id": "01ANYTHING",
        **fields,
    }
    assert rule_error(lambda: claims.file(**request)).code == code
    assert claims.list() == []


def test_a_missing_video_file_is_an_error_not_a_claim(claims: Claims, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        claims.file(
            rights_holder_id="rh-kumo", asset_id="c-hoshi", reason="x", video=tmp_path / "no.mp4"
        )
    assert claims.list() == []


# --------------------------------------------------------------------------- the steps


def test_acknowledge_respond_uphold_withdraws_the_video_and_each_step_is_in_the_ledger(
    claims: Claims, video: GenerationOutcome, gateway: Gateway, clock: Clock
) -> None:
    claim = file_claim(claims, video)
    clock.advance(hours=2)

    acknowledged = claims.acknowledge(claim.id)
    assert (acknowledged.state, acknowledged.row_version, acknowledged.ack_due) == (
        "acknowledged",
        2,
        None,
    )
    assert acknowledged.decision_due == claim.decision_due

    responded = claims.respond(claim.id, "It is fan art under your licence.", creator="alice")
    assert responded.state == "responded"
    assert responded.creator_response == "It is fan art under your licence."

    upheld = claims.uphold(claim.id, actor="rh-kumo", note="the nickname is ours too")
    assert (upheld.state, upheld.decision_due) == ("upheld", None)
    assert upheld.resolution["withdrawn"] == video.generation.id
    assert generation_status(gateway.engine, video.generation.id) == "withdrawn"
    traced = identify(video.path, gateway.engine, gateway.generation_steps.released)
    assert traced.generation.id == video.generation.id and traced.generation.status == "withdrawn"

    history = claims.history(claim.id)
    assert [(e.from_state, e.to_state, e.actor) for e in history] == [
        (None, "received", "rh-kumo"),
        ("received", "acknowledged", "platform"),
        ("acknowledged", "responded", "alice"),
        ("responded", "upheld", "rh-kumo"),
    ]
    assert ledger_kinds(gateway.engine, claim.id) == [KIND_CLAIM_CREATED] + 3 * [
        KIND_CLAIM_TRANSITION
    ]
    assert ledger_kinds(gateway.engine, video.generation.id).count(KIND_GENERATION_STATUS) == 1
    assert_ledger_intact(gateway.engine)


def test_steps_out_of_turn_or_by_the_wrong_person_are_refused(
    claims: Claims, video: GenerationOutcome
) -> None:
    claim = file_claim(claims, video)
    cid = claim.id
    assert rule_error(lambda: claims.respond(cid, "too early", creator="alice")).code == (
        "claim.not_next"
    )
    assert rule_error(lambda: claims.uphold(cid, actor="rh-kumo")).code == "claim.not_next"
    claims.acknowledge(cid)
    assert rule_error(lambda: claims.acknowledge(cid)).code == "claim.not_next"
    assert rule_error(lambda: claims.uphold(cid, actor="rh-nami")).code == "claim.not_the_claimant"
    assert rule_error(lambda: claims.respond(cid, "mine", creator="mallory")).code == (
        "claim.not_the_creator"
    )
    assert rule_error(lambda: claims.respond(cid, "  ", creator="alice")).code == (
        "claim.response_empty"
    )
    assert rule_error(lambda: claims.reject(cid, actor="rh-kumo", reasons="")).code == (
        "claim.rejection_reasons_missing"
    )
    assert claims.get(cid).row_version == 2  # none of the refusals wrote anything

    claims.respond(cid, "fan art", creator="alice")
    assert rule_error(lambda: claims.respond(cid, "and another thing", creator="alice")).code == (
        "claim.already_answered"
    )
    claims.reject(cid, actor="rh-kumo", reasons="licensed fan art after all")
    for late in (
        lambda: claims.uphold(cid, actor="rh-kumo"),
        lambda: claims.settle(cid, actor="rh-kumo", royalty_rate=0.1),
        lambda: claims.reject(cid, actor="rh-kumo", reasons="again"),
        lambda: claims.respond(cid, "too late", creator="alice"),
    ):
        assert rule_error(late).code == "claim.final"
    with pytest.raises(NotFound):
        claims.acknowledge("01NOSUCHCLAIM")


def test_a_rejection_keeps_the_video_and_records_the_reasons(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    claim = file_claim(claims, video)
    claims.acknowledge(claim.id)
    rejected = claims.reject(claim.id, actor="rh-kumo", reasons="covered by lic-hoshi-fan")
    assert rejected.state == "rejected" and rejected.decision_due is None
    assert rejected.resolution == {
        "outcome": "rejected",
        "by": "rights_holder",
        "reasons": "covered by lic-hoshi-fan",
    }
    assert generation_status(gateway.engine, video.generation.id) == "released"
    assert claims.history(claim.id)[-1].note == "covered by lic-hoshi-fan"


def test_settling_grants_a_retroactive_licence_and_accrues_the_royalty(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    claim = file_claim(claims, video)
    claims.acknowledge(claim.id)
    before = gateway.current_registry().version
    assert rule_error(
        lambda: claims.settle(claim.id, actor="rh-kumo", royalty_rate=1.5)
    ).code == "claim.rate_out_of_range"  # fmt: skip

    settled = claims.settle(claim.id, actor="rh-kumo", royalty_rate=0.2)

    assert settled.state == "settled" and settled.decision_due is None
    resolution = settled.resolution
    registry = gateway.current_registry()
    assert registry.version == before + 1 == resolution["registry_version"]
    licence = registry.licence(resolution["licence_id"])
    made = video.generation.created_at
    assert licence.assets == ("c-hoshi",) and licence.purposes == ("non-commercial",)
    assert licence.valid_from <= made < licence.valid_until <= made + timedelta(seconds=1)
    assert claim.id in licence.note and licence.royalty_rate == 0.2
    # 20 % of the 1000 the creator declared, in the month of the settlement.
    assert resolution["royalty"]["amount"] == "200.000000"
    assert resolution["royalty"]["period"] == "2026-03"
    with session_scope(gateway.engine, read_only=True) as session:
        statement = RoyaltyRepository(session).statement("rh-kumo", "2026-03")
    # The generation's own accrual (dated by the same clock) and the settlement's.
    (accrual,) = [a for a in statement.accruals if a.licence_id == licence.id]
    assert accrual.generation_id == video.generation.id
    others = sum((a.amount for a in statement.accruals if a is not accrual), Decimal(0))
    assert statement.totals == {"JPY": Decimal(200) + others}
    assert generation_status(gateway.engine, video.generation.id) == "released"
    assert_ledger_intact(gateway.engine)


def test_settling_without_any_declared_value_asks_for_one(claims: Claims, gateway: Gateway) -> None:
    undeclared = generate(gateway, "Hoshimaru naps under a paper lantern", value=None)
    claim = file_claim(claims, undeclared)
    claims.acknowledge(claim.id)
    version = gateway.current_registry().version

    error = rule_error(lambda: claims.settle(claim.id, actor="rh-kumo", royalty_rate=0.1))
    assert error.code == "claim.value_needed"
    assert gateway.current_registry().version == version  # no licence was granted
    assert claims.get(claim.id).state == "acknowledged"

    settled = claims.settle(
        claim.id, actor="rh-kumo", royalty_rate=0.1, declared_value=Decimal(300), currency="USD"
    )
    assert settled.resolution["royalty"] == {
        "accrual_id": settled.resolution["royalty"]["accrual_id"],
        "amount": "30.000000",
        "currency": "USD",
        "period": "2026-03",
    }


# --------------------------------------------------------------------------- learning


def test_an_upheld_claim_proposes_missed_phrases_and_accepting_one_teaches_the_gate(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    claim = file_claim(claims, video)
    claims.acknowledge(claim.id)
    assert rule_error(
        lambda: claims.accept_phrases(claim.id, ["Pip Moonwhisker"], actor="rh-kumo")
    ).code == "claim.phrases_not_upheld"  # fmt: skip

    upheld = claims.uphold(claim.id, actor="rh-kumo")
    proposals = [p["phrase"] for p in upheld.resolution["proposed_phrases"]]
    assert proposals[0] == "Pip Moonwhisker"
    assert not any("Hoshimaru" in p for p in proposals)  # screening already found that one
    for bad, code in (([], "claim.phrases_empty"), (["quiet"], "claim.phrases_not_proposed")):
        assert rule_error(
            lambda bad=bad: claims.accept_phrases(claim.id, bad, actor="rh-kumo")
        ).code == code  # fmt: skip
    assert rule_error(
        lambda: claims.accept_phrases(claim.id, ["Pip Moonwhisker"], actor="rh-nami")
    ).code == "claim.not_the_claimant"  # fmt: skip
    before = gateway.current_registry()
    assert get_screener(before).screen("Pip Moonwhisker at the fair").asset_ids == ()

    version = claims.accept_phrases(claim.id, ["Pip Moonwhisker"], actor="rh-kumo")

    after = gateway.current_registry()
    assert version is not None and after.version == version.number == before.version + 1
    assert after.character("c-hoshi").aliases == ("Pip Moonwhisker",)
    assert get_screener(after).screen("Pip Moonwhisker at the fair").asset_ids == ("c-hoshi",)
    resolution = claims.get(claim.id).resolution
    assert resolution["accepted_phrases"] == ["Pip Moonwhisker"]
    assert resolution["registry_version"] == version.number
    # Accepting again changes nothing and makes no version.
    assert claims.accept_phrases(claim.id, ["Pip Moonwhisker"], actor="rh-kumo") is None
    assert gateway.current_registry().version == version.number
    assert_ledger_intact(gateway.engine)


def test_phrases_accepted_for_a_work_become_its_terms(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    claim = file_claim(claims, video, asset="w-lantern")
    claims.acknowledge(claim.id)
    claims.uphold(claim.id, actor="rh-kumo")
    claims.accept_phrases(claim.id, ["Pip Moonwhisker"], actor="rh-kumo")
    assert gateway.current_registry().work("w-lantern").terms == ("lanternglass", "Pip Moonwhisker")


# --------------------------------------------------------------------------- deadlines


def test_overdue_lists_late_acknowledgements_then_late_decisions(
    claims: Claims, video: GenerationOutcome, clock: Clock
) -> None:
    claim = file_claim(claims, video)
    assert claims.overdue() == []
    clock.advance(hours=24)
    assert claims.overdue() == []  # due at this instant: not late yet
    clock.advance(seconds=1)
    (late,) = claims.overdue()
    assert (late.claim.id, late.step, late.due) == (
        claim.id,
        OverdueStep.ACKNOWLEDGE,
        START + timedelta(hours=24),
    )

    claims.acknowledge(claim.id)
    assert claims.overdue() == []  # acknowledged, if late: nothing owed until the decision
    clock.advance(days=6)
    (late,) = claims.overdue()
    assert (late.step, late.due) == (OverdueStep.DECIDE, START + timedelta(days=7))
    claims.uphold(claim.id, actor="rh-kumo")
    assert claims.overdue() == []
    assert claims.overdue(now=START + timedelta(days=365)) == []


def test_deadlines_come_from_the_settings(
    db_engine: Engine, gateway: Gateway, video: GenerationOutcome, tmp_path: Path, clock: Clock
) -> None:
    quick = build_gateway(
        db_engine,
        tmp_path,
        clock,
        claim_ack_within=timedelta(hours=1),
        claim_decide_within=timedelta(days=2),
    )
    claim = file_claim(Claims(quick), video)
    assert (claim.ack_due, claim.decision_due) == (
        START + timedelta(hours=1),
        START + timedelta(days=2),
    )
    clock.advance(hours=1, seconds=1)
    assert [item.claim.id for item in Claims(quick).overdue()] == [claim.id]


# --------------------------------------------------------------------------- concurrency


def test_two_claims_on_one_video_proceed_independently(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    on_character = file_claim(claims, video, asset="c-hoshi")
    on_work = file_claim(claims, video, asset="w-lantern")
    for claim in (on_character, on_work):
        claims.acknowledge(claim.id)
    claims.uphold(on_character.id, actor="rh-kumo")
    claims.uphold(on_work.id, actor="rh-kumo")

    assert {c.state for c in claims.list(rights_holder_id="rh-kumo")} == {"upheld"}
    # Withdrawn once: the second uphold finds it withdrawn already.
    kinds = ledger_kinds(gateway.engine, video.generation.id)
    assert kinds.count(KIND_GENERATION_STATUS) == 1
    assert_ledger_intact(gateway.engine)


def test_a_second_live_claim_for_the_same_asset_and_video_is_a_duplicate(
    claims: Claims, video: GenerationOutcome
) -> None:
    first = file_claim(claims, video)
    error = rule_error(lambda: file_claim(claims, video))
    assert error.code == "claim.duplicate" and error.params["claim"] == first.id
    claims.acknowledge(first.id)
    claims.reject(first.id, actor="rh-kumo", reasons="filed by mistake")
    again = file_claim(claims, video)  # a withdrawn claim does not block a new one
    assert again.state == "received"


def test_claims_filed_at_once_on_one_video_keep_one_live_claim_per_asset(
    claims: Claims, video: GenerationOutcome
) -> None:
    start = threading.Barrier(3)
    results: dict[int, str] = {}

    def race(n: int, asset: str) -> None:
        start.wait()
        try:
            results[n] = file_claim(claims, video, asset=asset).asset_id
        except ClaimRuleError as exc:
            results[n] = exc.code

    threads = [
        threading.Thread(target=race, args=(n, asset))
        for n, asset in enumerate(["c-hoshi", "c-hoshi", "w-lantern"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted([results[0], results[1]]) == ["c-hoshi", "claim.duplicate"]
    assert results[2] == "w-lantern"
    assert sorted(c.asset_id for c in claims.list()) == ["c-hoshi", "w-lantern"]


def test_listing_by_an_unknown_state_is_a_typo_not_an_empty_list(claims: Claims) -> None:
    assert rule_error(lambda: claims.list(state="pending")).code == "claim.unknown_state"


def test_a_decision_on_a_stale_row_version_loses(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    claim = file_claim(claims, video)
    seen = claims.acknowledge(claim.id).row_version

    claims.reject(claim.id, actor="rh-kumo", reasons="a colleague was faster", row_version=seen)
    with pytest.raises(ConcurrentUpdate, match="row version 2"):
        claims.uphold(claim.id, actor="rh-kumo", row_version=seen)

    assert claims.get(claim.id).state == "rejected"
    assert generation_status(gateway.engine, video.generation.id) == "released"


def test_a_decision_made_meanwhile_rolls_back_every_side_effect_of_the_loser(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    claim = file_claim(claims, video)
    claims.acknowledge(claim.id)
    colleague = Claims(gateway)
    propose = claims.proposals_for

    def colleague_decides_first(seen):  # runs between the uphold's read and its write
        colleague.reject(claim.id, actor="rh-kumo", reasons="decided meanwhile")
        return propose(seen)

    claims.proposals_for = colleague_decides_first  # type: ignore[method-assign]
    with pytest.raises(ConcurrentUpdate):
        claims.uphold(claim.id, actor="rh-kumo")

    assert claims.get(claim.id).state == "rejected"
    assert generation_status(gateway.engine, video.generation.id) == "released"
    assert KIND_GENERATION_STATUS not in ledger_kinds(gateway.engine, video.generation.id)


def test_two_people_deciding_one_claim_at_once_leave_exactly_one_decision(
    claims: Claims, video: GenerationOutcome, gateway: Gateway
) -> None:
    claim = file_claim(claims, video)
    claims.acknowledge(claim.id)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(name: str, action: Callable[[], Any]) -> None:
        start.wait()
        try:
            outcomes[name] = action().state
        except (ConcurrentUpdate, ClaimRuleError) as exc:
            outcomes[name] = exc

    threads = [
        threading.Thread(
            target=decide, args=("uphold", lambda: claims.uphold(claim.id, actor="rh-kumo"))
        ),
        threading.Thread(
            target=decide,
            args=("settle", lambda: claims.settle(claim.id, actor="rh-kumo", royalty_rate=0.1)),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [name for name, result in outcomes.items() if isinstance(result, str)]
    assert len(winners) == 1, outcomes
    final = claims.get(claim.id)
    assert final.state == {"uphold": "upheld", "settle": "settled"}[winners[0]]
    with session_scope(gateway.engine, read_only=True) as session:
        transitions = [e.to_state for e in ClaimRepository(session).events(claim.id)]
        accruals = RoyaltyRepository(session).for_generation(video.generation.id)
    assert transitions == ["received", "acknowledged", final.state]
    withdrawn = generation_status(gateway.engine, video.generation.id) == "withdrawn"
    assert withdrawn == (final.state == ClaimState.UPHELD)
    claim_licences = [a for a in accruals if a.licence_id.startswith("lic-claim-")]
    assert len(claim_licences) == (1 if final.state == ClaimState.SETTLED else 0)
    assert_ledger_intact(gateway.engine)
