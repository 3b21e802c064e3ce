"""Claims: a rights holder says a video uses their work; kyodaku answers, on time.

Filing identifies the video (watermark, else C2PA, else fingerprints of
every released video), attaches the evidence (generation record, prompt,
decision and reasons, output-match scores) and opens the claim with its
deadlines. The rules of who may do what, and when, live in
:mod:`kyodaku.claim_rules`; storage and the ledger entries of each step in
:mod:`kyodaku.store.claims_repo`. This module carries out the side effects
of each outcome: an upheld claim withdraws the video and proposes the
phrases screening missed; a settled claim grants a licence retroactively and
accrues the royalty; a rejected claim says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from kyodaku.claim_learning import propose_phrases
from kyodaku.claim_rules import (
    ClaimRuleError,
    ClaimState,
    Role,
    check_transition,
    deadlines,
    overdue_step,
)
from kyodaku.identify import Identification, identify
from kyodaku.ledger import KIND_DECISION
from kyodaku.media.fingerprint import FingerprintError, fingerprint_video
from kyodaku.media.matching import MatchThresholds, UncheckableVideoError, search_and_match
from kyodaku.registry.exchange import entity_to_dict, parse_document
from kyodaku.registry.model import Licence, Registry
from kyodaku.screen import get_screener
from kyodaku.store.claims_repo import Claim, ClaimRepository
from kyodaku.store.db import session_scope
from kyodaku.store.errors import NotFound
from kyodaku.store.generations_repo import GenerationRepository
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.registry_repo import RegistryRepository
from kyodaku.store.royalties_repo import RoyaltyRepository

NOT_OURS = "not_ours"


@dataclass(frozen=True)
class OverdueClaim:
    claim: Claim
    step: str  # "acknowledge" or "decide"


class Claims:
    """Claim handling for one gateway (its engine, settings, clock and indexes)."""

    def __init__(self, gateway: Any, clock: Callable[[], datetime] | None = None) -> None:
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
        """Open a claim, or record at once that the video is not one of ours."""
        if (video is None) == (generation_id is None):
            raise ClaimRuleError("a claim names either a video file or a generation id")
        if not reason.strip():
            raise ClaimRuleError("a claim needs a reason")
        registry = self.gw.current_registry()
        holder = registry.rights_holder(rights_holder_id)
        if holder is None:
            raise ClaimRuleError(f"no rights holder '{rights_holder_id}' in the registry")
        work = registry.work_of(asset_id)
        if work is None:
            raise ClaimRuleError(f"'{asset_id}' is not a registered work or character")
        if work.rights_holder != rights_holder_id:
            raise ClaimRuleError(
                f"'{asset_id}' belongs to {work.rights_holder}, not to {rights_holder_id}"
            )

        identification: Identification | None = None
        if video is not None:
            identification = identify(video, self.gw.engine, self.gw.generation_steps.released)
            generation_id = identification.generation.id if identification.found else None
        now = self.clock()
        evidence: dict[str, Any] = {"identification": _identification_evidence(identification)}
        actor = actor or rights_holder_id
        with session_scope(self.gw.engine) as session:
            generation = None
            if generation_id is not None:
                try:
                    generation = GenerationRepository(session).get(generation_id)
                except NotFound:
                    generation = None
            claims = ClaimRepository(session)
            if generation is None:
                evidence["finding"] = NOT_OURS
                return claims.create(
                    rights_holder_id=rights_holder_id,
                    asset_id=asset_id,
                    reason=reason,
                    state=ClaimState.REJECTED.value,
                    actor=actor,
                    video_sha256=identification.sha256 if identification else None,
                    evidence=evidence,
                    at=now,
                )
            evidence.update(self._generation_evidence(session, generation, asset_id, video))
            dl = deadlines(
                now, self.gw.settings.claim_ack_within, self.gw.settings.claim_decide_within
            )
            return claims.create(
                rights_holder_id=rights_holder_id,
                asset_id=asset_id,
                reason=reason,
                state=ClaimState.RECEIVED.value,
                actor=actor,
                generation_id=generation.id,
                video_sha256=identification.sha256 if identification else generation.output_sha256,
                ack_due=dl.acknowledge_by,
                decision_due=dl.decide_by,
                evidence=evidence,
                at=now,
            )

    def _generation_evidence(
        self, session: Any, generation: Any, asset_id: str, video: Path | None
    ) -> dict[str, Any]:
        decision_entries = LedgerRepository(session).entries(
            kind=KIND_DECISION, subject_id=generation.decision_id
        )
        decision = decision_entries[0].payload if decision_entries else None
        evidence: dict[str, Any] = {
            "generation": {
                "id": generation.id,
                "created_at": generation.created_at.isoformat(),
                "creator": generation.creator,
                "backend": generation.backend,
                "model": generation.model,
                "registry_version": generation.registry_version,
                "status": generation.status,
            },
            "prompt": generation.prompt,
            "decision": (
                {
                    "id": generation.decision_id,
                    "decision": decision.get("decision"),
                    "references": decision.get("references"),
                    "licences": decision.get("licences"),
                    "reasons": [r.get("en") for r in decision.get("reasons", [])],
                }
                if decision
                else None
            ),
            "output_check_at_release": generation.metadata.get("output_check"),
        }
        if video is not None:
            evidence["reference_match"] = self._match_against_asset(video, asset_id)
        return evidence

    def _match_against_asset(self, video: Path, asset_id: str) -> dict[str, Any]:
        """How much of the claimed video matches the claimed asset's references."""
        index = self.gw.generation_steps.references.index()
        if len(index) == 0:
            return {"asset_id": asset_id, "checked": False, "why": "no reference media registered"}
        try:
            report = search_and_match(index, fingerprint_video(video, 0.5), MatchThresholds())
        except (UncheckableVideoError, FingerprintError) as exc:
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
    def acknowledge(self, claim_id: str, *, actor: str = "platform") -> Claim:
        return self._move(claim_id, ClaimState.ACKNOWLEDGED, Role.PLATFORM, actor, ack_due=None)

    def respond(self, claim_id: str, text: str, *, creator: str) -> Claim:
        """The creator's one answer to the claim."""
        if not text.strip():
            raise ClaimRuleError("the response is empty")
        claim = self.get(claim_id)
        if claim.generation_id is not None:
            with session_scope(self.gw.engine, read_only=True) as session:
                owner = GenerationRepository(session).get(claim.generation_id).creator
            if owner != creator:
                raise ClaimRuleError(f"only the video's creator ({owner}) may answer this claim")
        return self._move(
            claim_id, ClaimState.RESPONDED, Role.CREATOR, creator, creator_response=text
        )

    def uphold(self, claim_id: str, *, actor: str, note: str | None = None) -> Claim:
        """The rights holder upholds: the video is withdrawn, missed phrases are proposed."""
        claim = self.get(claim_id)
        self._check_holder(claim, actor)
        check_transition(ClaimState(claim.state), ClaimState.UPHELD, Role.RIGHTS_HOLDER)
        proposals = self.proposals_for(claim)
        resolution = {
            "outcome": "upheld",
            "withdrawn": claim.generation_id,
            "proposed_phrases": proposals,
            "accepted_phrases": [],
        }
        with session_scope(self.gw.engine) as session:
            moved = ClaimRepository(session).transition(
                claim.id,
                claim.row_version,
                ClaimState.UPHELD.value,
                actor,
                note,
                resolution=resolution,
                decision_due=None,
            )
            if claim.generation_id is not None:
                generations = GenerationRepository(session)
                if generations.get(claim.generation_id).status != "withdrawn":
                    generations.set_status(
                        claim.generation_id, "withdrawn", actor=actor, reason=f"claim {claim.id}"
                    )
        return moved

    def settle(
        self,
        claim_id: str,
        *,
        actor: str,
        royalty_rate: float,
        declared_value: Decimal | None = None,
        note: str | None = None,
    ) -> Claim:
        """Settle: a licence is granted retroactively and the royalty accrues."""
        claim = self.get(claim_id)
        self._check_holder(claim, actor)
        check_transition(ClaimState(claim.state), ClaimState.SETTLED, Role.RIGHTS_HOLDER)
        if claim.generation_id is None:
            raise ClaimRuleError("only a claim on one of our videos can be settled")
        if not 0 <= royalty_rate <= 1:
            raise ClaimRuleError(f"royalty rate {royalty_rate} is outside [0, 1]")
        licence_id = f"lic-claim-{claim.id.lower()}"
        with session_scope(self.gw.engine) as session:
            generation = GenerationRepository(session).get(claim.generation_id)
            purpose = generation.metadata.get("purpose", "non-commercial")
            value = (
                declared_value
                if declared_value is not None
                else _declared_value(session, generation.decision_id)
            )
            registry_repo = RegistryRepository(session)
            base = registry_repo.current()
            doc = {
                "licences": [
                    {
                        "id": licence_id,
                        "assets": [claim.asset_id],
                        "purposes": [purpose],
                        "royalty_rate": royalty_rate,
                        "valid_from": generation.created_at.isoformat(),
                        "valid_until": _just_after(generation.created_at),
                        "note": f"granted retroactively by settlement of claim {claim.id} "
                        f"for generation {generation.id}",
                    }
                ]
            }
            grant = parse_document(doc, source=f"settlement of claim {claim.id}", base=base)
            version = registry_repo.apply(grant, actor=actor, source=f"claim {claim.id}")
            licence: Licence = grant.licences[0]
            accrual, _ = RoyaltyRepository(session).accrue(
                generation_id=generation.id,
                licence_id=licence_id,
                asset_id=claim.asset_id,
                rights_holder_id=claim.rights_holder_id,
                rate=Decimal(str(licence.royalty_rate)),
                declared_value=value,
                currency=licence.currency or "JPY",
            )
            return ClaimRepository(session).transition(
                claim.id,
                claim.row_version,
                ClaimState.SETTLED.value,
                actor,
                note,
                decision_due=None,
                resolution={
                    "outcome": "settled",
                    "licence_id": licence_id,
                    "registry_version": version.number if version else None,
                    "royalty": {"amount": str(accrual.amount), "currency": accrual.currency},
                },
            )

    def reject(self, claim_id: str, *, actor: str, reasons: str) -> Claim:
        if not reasons.strip():
            raise ClaimRuleError("a rejection needs its reasons")
        claim = self.get(claim_id)
        self._check_holder(claim, actor)
        return self._move(
            claim_id,
            ClaimState.REJECTED,
            Role.RIGHTS_HOLDER,
            actor,
            note=reasons,
            decision_due=None,
            resolution={"outcome": "rejected", "reasons": reasons},
        )

    def accept_phrases(self, claim_id: str, phrases: list[str], *, actor: str) -> Any:
        """Add accepted phrases as aliases (character) or terms (work): a new registry version."""
        claim = self.get(claim_id)
        self._check_holder(claim, actor)
        if claim.state != ClaimState.UPHELD.value:
            raise ClaimRuleError("phrases can be accepted only from an upheld claim")
        proposed = {p["phrase"] for p in (claim.resolution or {}).get("proposed_phrases", [])}
        unknown = [p for p in phrases if p not in proposed]
        if unknown:
            raise ClaimRuleError(f"not among the proposals of this claim: {unknown}")
        with session_scope(self.gw.engine) as session:
            registry_repo = RegistryRepository(session)
            base = registry_repo.current()
            incoming = _with_phrases(base, claim.asset_id, phrases)
            version = registry_repo.apply(incoming, actor=actor, source=f"claim {claim.id}")
            resolution = dict(claim.resolution or {})
            resolution["accepted_phrases"] = sorted(
                set(resolution.get("accepted_phrases", [])) | set(phrases)
            )
            resolution["registry_version"] = version.number if version else None
            ClaimRepository(session).transition(
                claim.id,
                claim.row_version,
                claim.state,
                actor,
                f"accepted phrases: {', '.join(phrases)}",
                resolution=resolution,
            )
        return version

    # -- reading ----------------------------------------------------------------------------
    def get(self, claim_id: str) -> Claim:
        with session_scope(self.gw.engine, read_only=True) as session:
            return ClaimRepository(session).get(claim_id)

    def list(self, *, state: str | None = None, rights_holder_id: str | None = None) -> list[Claim]:
        with session_scope(self.gw.engine, read_only=True) as session:
            return ClaimRepository(session).list(state=state, rights_holder_id=rights_holder_id)

    def overdue(self, now: datetime | None = None) -> list[OverdueClaim]:
        now = now or self.clock()
        with session_scope(self.gw.engine, read_only=True) as session:
            late = ClaimRepository(session).list(overdue_at=now)
        out = []
        for claim in late:
            dl_ack = claim.ack_due or claim.created_at
            dl_decide = claim.decision_due or claim.created_at
            step = overdue_step(ClaimState(claim.state), _Deadlines(dl_ack, dl_decide), now)
            if step is not None:
                out.append(OverdueClaim(claim, step))
        return out

    def proposals_for(self, claim: Claim) -> list[dict[str, Any]]:
        """Phrases of the claimed prompt that screening did not attribute to the asset."""
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
        known = _known_forms(registry, claim.asset_id)
        return [
            {"phrase": p.phrase, "span": [p.span.start, p.span.end], "score": p.score, "why": p.why}
            for p in propose_phrases(prompt, covered, known)
        ]

    # -- internals ------------------------------------------------------------------------
    def _move(
        self,
        claim_id: str,
        target: ClaimState,
        role: Role,
        actor: str,
        note: str | None = None,
        **fields: Any,
    ) -> Claim:
        with session_scope(self.gw.engine) as session:
            repo = ClaimRepository(session)
            claim = repo.get(claim_id)
            check_transition(ClaimState(claim.state), target, role)
            return repo.transition(claim_id, claim.row_version, target.value, actor, note, **fields)

    @staticmethod
    def _check_holder(claim: Claim, actor: str) -> None:
        if actor != claim.rights_holder_id:
            raise ClaimRuleError(
                f"only the claiming rights holder ({claim.rights_holder_id}) may decide this claim"
            )


@dataclass(frozen=True)
class _Deadlines:
    acknowledge_by: datetime
    decide_by: datetime


def _identification_evidence(found: Identification | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "sha256": found.sha256,
        "found_by": list(found.found_by),
        "manifest_present": bool(found.manifest and found.manifest.present),
        "manifest_valid": bool(found.manifest and found.manifest.valid),
        "manifest_generation_id": found.manifest.generation_id if found.manifest else None,
        "watermark_found": bool(found.watermark and found.watermark.found),
        "watermark_key": found.watermark_key,
        "fingerprint_matches": [[g, round(s, 4)] for g, s in found.fingerprint_matches],
        "conflicts": list(found.conflicts),
    }


def _declared_value(session: Any, decision_id: str | None) -> Decimal:
    entries = LedgerRepository(session).entries(kind=KIND_DECISION, subject_id=decision_id)
    if entries:
        value = entries[0].payload.get("request", {}).get("declared_value")
        if value is not None:
            return Decimal(str(value))
    return Decimal(0)


def _just_after(moment: datetime) -> str:
    return (moment + timedelta(seconds=1)).isoformat()


def _known_forms(registry: Registry, asset_id: str) -> set[str]:
    forms: set[str] = set()
    character = registry.character(asset_id)
    if character is not None:
        forms |= {n.casefold() for n in (*character.all_names, *character.aliases)}
    work = registry.work_of(asset_id)
    if work is not None:
        forms |= {t.casefold() for t in (*work.all_titles, *work.terms)}
    return forms


def _with_phrases(base: Registry, asset_id: str, phrases: list[str]) -> Registry:
    """The entity of ``asset_id`` with ``phrases`` added (aliases or terms)."""
    character = base.character(asset_id)
    if character is not None:
        doc = entity_to_dict(character)
        doc["aliases"] = list(dict.fromkeys([*doc["aliases"], *phrases]))
        return parse_document({"characters": [doc]}, base=base)
    work = base.work(asset_id)
    if work is None:
        raise ClaimRuleError(f"'{asset_id}' is no longer in the registry")
    doc = entity_to_dict(work)
    doc["terms"] = list(dict.fromkeys([*doc["terms"], *phrases]))
    return parse_document({"works": [doc]}, base=base)


__all__ = ["NOT_OURS", "ClaimRuleError", "Claims", "OverdueClaim"]
