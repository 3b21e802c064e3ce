"""Claims: a rights holder says a video uses their work; kyodaku answers, on time.

Filing identifies the video (watermark, else C2PA, else fingerprints of
every released video), attaches the evidence (generation record, prompt,
decision and reasons, output-match scores) and opens the claim with its
deadlines. The rules of who may do what, and when, live in
:mod:`kyodaku.claim_rules`; storage and the ledger entry of each step in
:mod:`kyodaku.store.claims_repo`. This module carries out the side effects
of each outcome: an upheld claim withdraws the video and proposes the
phrases screening missed; a settled claim grants a licence retroactively and
accrues the royalty; a rejected claim says why.

Every step re-reads the claim inside its own transaction, after taking the
ledger lock, and acts only if the claim is still at the version the caller
saw: two people deciding one claim at once cannot both win (the loser gets
:class:`~kyodaku.store.errors.ConcurrentUpdate` and nothing of its step is
written: no withdrawal, no licence, no royalty).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from kyodaku.claim_learning import phrase_key, propose_phrases
from kyodaku.claim_rules import (
    FINAL_STATES,
    ClaimRuleError,
    ClaimState,
    OverdueStep,
    Role,
    check_transition,
    deadlines,
    overdue_step,
    state_name,
)
from kyodaku.identify import Identification, identify
from kyodaku.ledger import KIND_DECISION
from kyodaku.media.fingerprint import FingerprintError, fingerprint_video
from kyodaku.media.matching import UncheckableVideoError, search_and_match
from kyodaku.media.video_io import MediaError
from kyodaku.policy import DEFAULT_CURRENCY
from kyodaku.registry.exchange import entity_to_dict, format_timestamp, parse_document
from kyodaku.registry.model import Registry
from kyodaku.screen import get_screener
from kyodaku.store.claims_repo import Claim, ClaimEvent, ClaimRepository
from kyodaku.store.db import session_scope
from kyodaku.store.errors import ConcurrentUpdate, NotFound
from kyodaku.store.generations_repo import Generation, GenerationRepository
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.registry_repo import RegistryRepository, RegistryVersion
from kyodaku.store.royalties_repo import RoyaltyRepository

if TYPE_CHECKING:  # the gateway composes claims, not the other way round
    from kyodaku.gateway import Gateway

#: ``evidence["finding"]`` of a claim on a video kyodaku never made.
NOT_OURS = "not_ours"

#: The actor recorded for what the platform does by itself.
PLATFORM = "platform"


@dataclass(frozen=True)
class OverdueClaim:
    claim: Claim
    step: OverdueStep

    @property
    def due(self) -> datetime | None:
        return (
            self.claim.ack_due if self.step == OverdueStep.ACKNOWLEDGE else self.claim.decision_due
        )


class Claims:
    """Claim handling for one gateway (its engine, settings, clock and indexes)."""

    def __init__(self, gateway: Gateway, clock: Callable[[], datetime] | None = None) -> None:
        self.gw = gateway
        self.clock = clock or gateway.clock

    # -- filing -------------------------------------------------------------------------
    def file(
        self,
        *,
        rights_holder_id: str,
        asset_id: str,
        reason: str,
        video: Path | None = None,
        generation_id: str | None = None,
        actor: str | None = None,
    ) -> Claim:
        """Open a claim, or record at once (rejected, with the evidence) that the video is not ours.

        Raises :class:`ClaimRuleError` for a claim that cannot be filed at all
        (unknown rights holder or asset, someone else's asset, no reason, a
        duplicate of an open claim) and ``FileNotFoundError`` for a missing file.
        """
        if (video is None) == (generation_id is None):
            raise ClaimRuleError("claim.target_missing")
        if not reason.strip():
            raise ClaimRuleError("claim.reason_missing")
        self._check_claimant(self.gw.current_registry(), rights_holder_id, asset_id)

        identification = None
        reference_match = None
        if video is not None:  # the slow reading of the file happens before any lock
            identification = identify(
                video,
                self.gw.engine,
                self.gw.generation_steps.released,
                watermark_key=self.gw.settings.watermark_key,
            )
            generation_id = identification.generation.id if identification.found else None
            if identification.found:
                reference_match = self._match_against_asset(video, asset_id)
        evidence: dict[str, Any] = {"identification": _identification_evidence(identification)}
        filed = {
            "rights_holder_id": rights_holder_id,
            "asset_id": asset_id,
            "reason": reason,
            "actor": actor or rights_holder_id,
            "video_sha256": identification.sha256 if identification else None,
            "at": self.clock(),
        }
        with session_scope(self.gw.engine) as session:
            # Lock first: the duplicate check and the insert must not interleave.
            LedgerRepository(session).lock()
            claims = ClaimRepository(session)
            generation = _generation_or_none(session, generation_id)
            if generation is None:
                evidence["requested_generation_id"] = None if video else generation_id
                return _not_ours(claims, filed, evidence)
            _refuse_duplicate(claims, rights_holder_id, asset_id, generation.id)
            evidence.update(_generation_evidence(session, generation))
            if reference_match is not None:
                evidence["reference_match"] = reference_match
            due = deadlines(
                filed["at"], self.gw.settings.claim_ack_within, self.gw.settings.claim_decide_within
            )
            filed["video_sha256"] = filed["video_sha256"] or generation.output_sha256
            return claims.create(
                **filed,
                state=ClaimState.RECEIVED.value,
                generation_id=generation.id,
                ack_due=due.acknowledge_by,
                decision_due=due.decide_by,
                evidence=evidence,
            )

    @staticmethod
    def _check_claimant(registry: Registry, rights_holder_id: str, asset_id: str) -> None:
        if registry.rights_holder(rights_holder_id) is None:
            raise ClaimRuleError("claim.unknown_rights_holder", rights_holder=rights_holder_id)
        work = registry.work_of(asset_id)
        if work is None:
            raise ClaimRuleError("claim.unknown_asset", asset=asset_id)
        if work.rights_holder != rights_holder_id:
            raise ClaimRuleError(
                "claim.not_your_asset",
                asset=asset_id,
                owner=work.rights_holder,
                rights_holder=rights_holder_id,
            )

    def _match_against_asset(self, video: Path, asset_id: str) -> dict[str, Any]:
        """How much of the claimed video matches the claimed asset's reference media."""
        steps = self.gw.generation_steps
        index = steps.references.index()
        if len(index) == 0:
            return {"asset_id": asset_id, "checked": False, "why": "no reference media registered"}
        try:
            report = search_and_match(index, fingerprint_video(video, 0.5), steps.thresholds)
        except (UncheckableVideoError, FingerprintError, MediaError) as exc:
            return {"asset_id": asset_id, "checked": False, "why": str(exc)}
        for match in report.assets:
            if match.asset_id == asset_id:
                return {
                    "asset_id": asset_id,
                    "checked": True,
                    "share": round(match.share, 4),
                    "longest_run_seconds": round(match.longest_run_seconds, 2),
                    "mean_distance": round(match.mean_distance, 2),
                }
        return {"asset_id": asset_id, "checked": True, "share": 0.0}

    # -- steps ----------------------------------------------------------------------------
    def acknowledge(
        self, claim_id: str, *, actor: str = PLATFORM, row_version: int | None = None
    ) -> Claim:
        """The platform confirms receipt; the acknowledgement deadline no longer applies."""
        with session_scope(self.gw.engine) as session:
            claim = _locked(session, claim_id, row_version)
            check_transition(ClaimState(claim.state), ClaimState.ACKNOWLEDGED, Role.PLATFORM)
            return ClaimRepository(session).transition(
                claim.id, claim.row_version, ClaimState.ACKNOWLEDGED.value, actor, ack_due=None
            )

    def respond(
        self, claim_id: str, text: str, *, creator: str, row_version: int | None = None
    ) -> Claim:
        """The creator's one answer to the claim."""
        if not text.strip():
            raise ClaimRuleError("claim.response_empty")
        with session_scope(self.gw.engine) as session:
            claim = _locked(session, claim_id, row_version)
            check_transition(ClaimState(claim.state), ClaimState.RESPONDED, Role.CREATOR)
            owner = _generation_or_none(session, claim.generation_id)
            if owner is None or owner.creator != creator:
                raise ClaimRuleError(
                    "claim.not_the_creator", creator=owner.creator if owner else "-"
                )
            return ClaimRepository(session).transition(
                claim.id,
                claim.row_version,
                ClaimState.RESPONDED.value,
                creator,
                creator_response=text,
            )

    def uphold(
        self,
        claim_id: str,
        *,
        actor: str,
        note: str | None = None,
        row_version: int | None = None,
    ) -> Claim:
        """The rights holder upholds: the video is withdrawn, missed phrases are proposed."""
        seen = self._seen(claim_id, row_version)
        self._check_holder(seen, actor)
        check_transition(ClaimState(seen.state), ClaimState.UPHELD, Role.RIGHTS_HOLDER)
        proposals = self.proposals_for(seen)  # screening is slow-ish: outside the lock
        with session_scope(self.gw.engine) as session:
            claim = _locked(session, claim_id, seen.row_version)
            check_transition(ClaimState(claim.state), ClaimState.UPHELD, Role.RIGHTS_HOLDER)
            if claim.generation_id is not None:
                GenerationRepository(session).set_status(
                    claim.generation_id, "withdrawn", actor=actor, reason=f"claim {claim.id} upheld"
                )
            return ClaimRepository(session).transition(
                claim.id,
                claim.row_version,
                ClaimState.UPHELD.value,
                actor,
                note,
                decision_due=None,
                resolution={
                    "outcome": ClaimState.UPHELD.value,
                    "withdrawn": claim.generation_id,
                    "proposed_phrases": proposals,
                    "accepted_phrases": [],
                },
            )

    def settle(
        self,
        claim_id: str,
        *,
        actor: str,
        royalty_rate: float,
        declared_value: Decimal | None = None,
        currency: str | None = None,
        note: str | None = None,
        row_version: int | None = None,
    ) -> Claim:
        """Settle: a licence is granted retroactively and the royalty accrues.

        The licence covers the claimed asset, for the generation's purpose,
        from the instant the video was made to one second after: it licenses
        that one video, not future ones. The royalty is ``royalty_rate`` of
        ``declared_value`` (default: the value the creator declared when
        asking); with no value anywhere the settlement is refused rather than
        accruing a silent zero.
        """
        if not 0 <= royalty_rate <= 1:  # NaN fails this too
            raise ClaimRuleError("claim.rate_out_of_range", rate=royalty_rate)
        if declared_value is not None and declared_value < 0:
            raise ClaimRuleError("claim.value_negative", value=declared_value)
        seen = self._seen(claim_id, row_version)
        self._check_holder(seen, actor)
        now = self.clock()
        with session_scope(self.gw.engine) as session:
            claim = _locked(session, claim_id, seen.row_version)
            check_transition(ClaimState(claim.state), ClaimState.SETTLED, Role.RIGHTS_HOLDER)
            generation = _generation_or_none(session, claim.generation_id)
            if generation is None:
                raise ClaimRuleError("claim.settle_not_ours")
            request = (_decision_payload(session, generation.decision_id) or {}).get("request", {})
            value = (
                declared_value
                if declared_value is not None
                else _decimal(request.get("declared_value"))
            )
            if value is None:
                raise ClaimRuleError("claim.value_needed")
            money = currency or request.get("currency") or DEFAULT_CURRENCY
            licence_id = f"lic-claim-{claim.id.lower()}"
            registry_repo = RegistryRepository(session)
            grant = parse_document(
                {
                    "licences": [
                        {
                            "id": licence_id,
                            "assets": [claim.asset_id],
                            "purposes": [generation.metadata.get("purpose", "non-commercial")],
                            "royalty_rate": royalty_rate,
                            "valid_from": format_timestamp(generation.created_at),
                            "valid_until": format_timestamp(
                                generation.created_at + timedelta(seconds=1)
                            ),
                            "currency": money,
                            "note": f"granted retroactively by settlement of claim {claim.id} "
                            f"for generation {generation.id}",
                        }
                    ]
                },
                source=f"settlement of claim {claim.id}",
                base=registry_repo.current(),
            )
            version = registry_repo.apply(grant, actor=actor, source=f"claim {claim.id}")
            accrual, _ = RoyaltyRepository(session).accrue(
                generation_id=generation.id,
                licence_id=licence_id,
                asset_id=claim.asset_id,
                rights_holder_id=claim.rights_holder_id,
                rate=Decimal(str(royalty_rate)),
                declared_value=value,
                currency=money,
                at=now,
            )
            return ClaimRepository(session).transition(
                claim.id,
                claim.row_version,
                ClaimState.SETTLED.value,
                actor,
                note,
                decision_due=None,
                resolution={
                    "outcome": ClaimState.SETTLED.value,
                    "licence_id": licence_id,
                    "registry_version": version.number if version else None,
                    "royalty": {
                        "accrual_id": accrual.id,
                        "amount": str(accrual.amount),
                        "currency": accrual.currency,
                        "period": accrual.period,
                    },
                },
            )

    def reject(
        self, claim_id: str, *, actor: str, reasons: str, row_version: int | None = None
    ) -> Claim:
        """The rights holder withdraws the claim, saying why (the video stays up)."""
        if not reasons.strip():
            raise ClaimRuleError("claim.rejection_reasons_missing")
        seen = self._seen(claim_id, row_version)
        self._check_holder(seen, actor)
        with session_scope(self.gw.engine) as session:
            claim = _locked(session, claim_id, seen.row_version)
            check_transition(ClaimState(claim.state), ClaimState.REJECTED, Role.RIGHTS_HOLDER)
            return ClaimRepository(session).transition(
                claim.id,
                claim.row_version,
                ClaimState.REJECTED.value,
                actor,
                reasons,
                decision_due=None,
                resolution={
                    "outcome": ClaimState.REJECTED.value,
                    "by": Role.RIGHTS_HOLDER.value,
                    "reasons": reasons,
                },
            )

    def accept_phrases(
        self, claim_id: str, phrases: Sequence[str], *, actor: str, row_version: int | None = None
    ) -> RegistryVersion | None:
        """Add accepted phrases as aliases (character) or terms (work): a new registry version.

        ``None`` when the registry already listed them all (nothing changes).
        """
        chosen = list(dict.fromkeys(phrases))
        if not chosen:
            raise ClaimRuleError("claim.phrases_empty")
        seen = self._seen(claim_id, row_version)
        self._check_holder(seen, actor)
        with session_scope(self.gw.engine) as session:
            claim = _locked(session, claim_id, seen.row_version)
            if claim.state != ClaimState.UPHELD.value:
                raise ClaimRuleError("claim.phrases_not_upheld", state=state_name(claim.state))
            resolution = dict(claim.resolution or {})
            proposed = {p["phrase"] for p in resolution.get("proposed_phrases", [])}
            unknown = [p for p in chosen if p not in proposed]
            if unknown:
                raise ClaimRuleError("claim.phrases_not_proposed", phrases=", ".join(unknown))
            registry_repo = RegistryRepository(session)
            incoming = _with_phrases(registry_repo.current(), claim.asset_id, chosen)
            version = registry_repo.apply(incoming, actor=actor, source=f"claim {claim.id}")
            resolution["accepted_phrases"] = sorted(
                {*resolution.get("accepted_phrases", []), *chosen}
            )
            if version is not None:
                resolution["registry_version"] = version.number
            ClaimRepository(session).transition(
                claim.id,
                claim.row_version,
                claim.state,
                actor,
                f"accepted phrases: {', '.join(chosen)}",
                resolution=resolution,
            )
        return version

    # -- reading ----------------------------------------------------------------------------
    def get(self, claim_id: str) -> Claim:
        with session_scope(self.gw.engine, read_only=True) as session:
            return ClaimRepository(session).get(claim_id)

    def list(self, *, state: str | None = None, rights_holder_id: str | None = None) -> list[Claim]:
        """Claims, oldest first."""
        if state is not None and state not in set(ClaimState):
            # A typo, not an empty list.
            raise ClaimRuleError(
                "claim.unknown_state", state=state, states=", ".join(s.value for s in ClaimState)
            )
        with session_scope(self.gw.engine, read_only=True) as session:
            return ClaimRepository(session).list(state=state, rights_holder_id=rights_holder_id)

    def history(self, claim_id: str) -> list[ClaimEvent]:
        """Every step of the claim, oldest first (each also a ledger entry)."""
        with session_scope(self.gw.engine, read_only=True) as session:
            repo = ClaimRepository(session)
            repo.get(claim_id)  # NotFound for an unknown claim, not an empty history
            return repo.events(claim_id)

    def overdue(self, now: datetime | None = None) -> list[OverdueClaim]:
        """Claims past a deadline they still owe, with the step that is late."""
        now = now or self.clock()
        with session_scope(self.gw.engine, read_only=True) as session:
            late = ClaimRepository(session).list(overdue_at=now)
        out: list[OverdueClaim] = []
        for claim in late:
            step = overdue_step(ClaimState(claim.state), claim.ack_due, claim.decision_due, now)
            if step is not None:
                out.append(OverdueClaim(claim, step))
        return out

    def proposals_for(self, claim: Claim) -> list[dict[str, Any]]:
        """Phrases of the claimed prompt that screening did not attribute to anything."""
        if claim.generation_id is None:
            return []
        with session_scope(self.gw.engine, read_only=True) as session:
            prompt = GenerationRepository(session).get(claim.generation_id).prompt
        registry = self.gw.current_registry()
        result = get_screener(registry).screen(prompt)
        covered = [
            ev.span for ref in result.references for ev in ref.evidence if ev.span is not None
        ]
        covered += [hit.span for hit in result.contexts if hit.span is not None]
        return [
            {"phrase": p.phrase, "span": [p.span.start, p.span.end], "score": p.score, "why": p.why}
            for p in propose_phrases(prompt, covered, _known_forms(registry, claim.asset_id))
        ]

    # -- internals ------------------------------------------------------------------------
    def _seen(self, claim_id: str, row_version: int | None) -> Claim:
        """The claim the caller decides on: as of ``row_version`` if they say which they saw."""
        claim = self.get(claim_id)
        if row_version is not None and claim.row_version != row_version:
            raise _moved_on(claim, row_version)
        return claim

    @staticmethod
    def _check_holder(claim: Claim, actor: str) -> None:
        if actor != claim.rights_holder_id:
            raise ClaimRuleError("claim.not_the_claimant", rights_holder=claim.rights_holder_id)


def _locked(session: Session, claim_id: str, row_version: int | None) -> Claim:
    """The claim as it is now, with the ledger lock held to the end of the transaction.

    With ``row_version``, raise :class:`ConcurrentUpdate` if the claim has
    moved on since the caller read it: they decided on what they saw.
    """
    LedgerRepository(session).lock()
    claim = ClaimRepository(session).get(claim_id)
    if row_version is not None and claim.row_version != row_version:
        raise _moved_on(claim, row_version)
    return claim


def _moved_on(claim: Claim, row_version: int) -> ConcurrentUpdate:
    return ConcurrentUpdate(
        f"claim {claim.id} was read at row version {row_version} but is now at "
        f"{claim.row_version} ({claim.state}); re-read it and decide again"
    )


def _not_ours(claims: ClaimRepository, filed: dict[str, Any], evidence: dict[str, Any]) -> Claim:
    """Received and, in the same transaction, rejected by the platform with the evidence."""
    requested = evidence.get("requested_generation_id")
    finding = (
        {"code": "claim.not_ours_generation", "params": {"generation": requested}}
        if requested
        else {"code": "claim.not_ours", "params": {}}
    )
    evidence["finding"] = NOT_OURS
    received = claims.create(**filed, state=ClaimState.RECEIVED.value, evidence=evidence)
    check_transition(ClaimState.RECEIVED, ClaimState.REJECTED, Role.PLATFORM)
    return claims.transition(
        received.id,
        received.row_version,
        ClaimState.REJECTED.value,
        PLATFORM,
        finding["code"],
        resolution={"outcome": ClaimState.REJECTED.value, "by": PLATFORM, **finding},
    )


def _generation_evidence(session: Session, generation: Generation) -> dict[str, Any]:
    """What the gateway knew when it released the video: the record, prompt and decision."""
    decision = _decision_payload(session, generation.decision_id)
    return {
        "generation": {
            "id": generation.id,
            "created_at": generation.created_at.isoformat(),
            "creator": generation.creator,
            "backend": generation.backend,
            "model": generation.model,
            "registry_version": generation.registry_version,
            "status": generation.status,
            "purpose": generation.metadata.get("purpose"),
        },
        "prompt": generation.prompt,
        "decision": (
            {
                "id": generation.decision_id,
                "decision": decision.get("decision"),
                "references": decision.get("references"),
                "contexts": decision.get("contexts"),
                "licences": decision.get("licences"),
                "reasons": decision.get("reasons", []),
                "request": decision.get("request"),
            }
            if decision
            else None
        ),
        "output_check_at_release": generation.metadata.get("output_check"),
    }


def _refuse_duplicate(
    claims: ClaimRepository, rights_holder_id: str, asset_id: str, generation_id: str
) -> None:
    """One live claim per rights holder, asset and video: a second would settle twice."""
    for existing in claims.list(rights_holder_id=rights_holder_id):
        if (
            existing.generation_id == generation_id
            and existing.asset_id == asset_id
            and existing.state != ClaimState.REJECTED.value
        ):
            raise ClaimRuleError(
                "claim.duplicate",
                rights_holder=rights_holder_id,
                claim=existing.id,
                state=state_name(existing.state),
                asset=asset_id,
            )


def _generation_or_none(session: Session, generation_id: str | None) -> Generation | None:
    if generation_id is None:
        return None
    try:
        return GenerationRepository(session).get(generation_id)
    except NotFound:
        return None


def _decision_payload(session: Session, decision_id: str | None) -> dict[str, Any] | None:
    if decision_id is None:
        return None
    entries = LedgerRepository(session).entries(kind=KIND_DECISION, subject_id=decision_id)
    return dict(entries[0].payload) if entries else None


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _identification_evidence(found: Identification | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "sha256": found.sha256,
        "found_by": list(found.found_by),
        "manifest_present": bool(found.manifest and found.manifest.present),
        "manifest_valid": bool(found.manifest and found.manifest.valid),
        "manifest_generation_id": found.manifest.generation_id if found.manifest else None,
        "manifest_error": found.manifest_error,
        "watermark_found": bool(found.watermark and found.watermark.found),
        "watermark_key": found.watermark_key,
        "watermark_error": found.watermark_error,
        "fingerprint_matches": [[g, round(s, 4)] for g, s in found.fingerprint_matches],
        "conflicts": list(found.conflicts),
    }


def _known_forms(registry: Registry, asset_id: str) -> set[str]:
    """Everything already registered for the asset and its work (never proposed again)."""
    forms: set[str] = set()
    character = registry.character(asset_id)
    if character is not None:
        forms |= {phrase_key(n) for n in (*character.all_names, *character.aliases)}
    work = registry.work_of(asset_id)
    if work is not None:
        forms |= {phrase_key(t) for t in (*work.all_titles, *work.terms)}
    return forms


def _with_phrases(base: Registry, asset_id: str, phrases: Sequence[str]) -> Registry:
    """The entity of ``asset_id`` with ``phrases`` added (aliases or terms)."""
    character = base.character(asset_id)
    if character is not None:
        doc = entity_to_dict(character)
        doc["aliases"] = list(dict.fromkeys([*doc["aliases"], *phrases]))
        return parse_document({"characters": [doc]}, source="accepted phrases", base=base)
    work = base.work(asset_id)
    if work is None:
        raise ClaimRuleError("claim.asset_gone", asset=asset_id)
    doc = entity_to_dict(work)
    doc["terms"] = list(dict.fromkeys([*doc["terms"], *phrases]))
    return parse_document({"works": [doc]}, source="accepted phrases", base=base)


__all__ = [
    "FINAL_STATES",
    "NOT_OURS",
    "ClaimRuleError",
    "ClaimState",
    "Claims",
    "OverdueClaim",
]
