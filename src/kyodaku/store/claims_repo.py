"""Claims storage: a rights holder's claim, its history of state changes, and safe updates.

Which transitions are allowed is the claim state machine's business (a
separate module); this one stores claims and guarantees that two people
acting on the same claim at once cannot both win. Every change is a
compare-and-set on ``row_version``: the writer says which version it read, and
the update only happens if the row is still at that version; otherwise
:class:`~kyodaku.store.errors.ConcurrentUpdate` is raised and nothing is
written. Each change adds a ``claim_events`` row and a ledger entry in the
same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from kyodaku.ledger import KIND_CLAIM_CREATED, KIND_CLAIM_TRANSITION
from kyodaku.store.errors import ConcurrentUpdate, NotFound
from kyodaku.store.ids import new_id
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.tables import claim_events, claims
from kyodaku.store.types import utc_now

#: Columns a transition may set besides the state.
TRANSITION_FIELDS: frozenset[str] = frozenset(
    {
        "reason",
        "ack_due",
        "decision_due",
        "creator_response",
        "resolution",
        "evidence",
        "generation_id",
        "video_sha256",
    }
)
_JSON_FIELDS = ("resolution", "evidence")


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    rights_holder_id: str
    asset_id: str
    generation_id: str | None
    video_sha256: str | None
    state: str
    reason: str
    created_at: datetime
    ack_due: datetime | None
    decision_due: datetime | None
    creator_response: str | None
    resolution: Any
    evidence: Any
    row_version: int


@dataclass(frozen=True, slots=True)
class ClaimEvent:
    id: str
    claim_id: str
    at: datetime
    from_state: str | None
    to_state: str
    actor: str
    note: str | None


def _claim(row: Row[Any]) -> Claim:
    return Claim(**row._asdict())


def _check_json(name: str, value: Any) -> None:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"claim field {name!r} is not JSON: {exc}") from exc


class ClaimRepository:
    """Claims within one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(
        self,
        *,
        rights_holder_id: str,
        asset_id: str,
        reason: str,
        state: str,
        actor: str,
        generation_id: str | None = None,
        video_sha256: str | None = None,
        ack_due: datetime | None = None,
        decision_due: datetime | None = None,
        evidence: Any = (),
        at: datetime | None = None,
    ) -> Claim:
        """File a claim in its first ``state`` (chosen by the state machine)."""
        evidence = list(evidence) if isinstance(evidence, tuple) else evidence
        _check_json("evidence", evidence)
        created_at = at or utc_now()
        ledger = LedgerRepository(self.session)
        ledger.lock()  # lock order, see kyodaku.store.ledger_repo
        row = {
            "id": new_id(),
            "rights_holder_id": rights_holder_id,
            "asset_id": asset_id,
            "generation_id": generation_id,
            "video_sha256": video_sha256,
            "state": state,
            "reason": reason,
            "created_at": created_at,
            "ack_due": ack_due,
            "decision_due": decision_due,
            "creator_response": None,
            "resolution": None,
            "evidence": evidence,
            "row_version": 1,
        }
        self.session.execute(claims.insert().values(**row))
        self._record(row["id"], None, state, actor, None, created_at)
        ledger.append(
            KIND_CLAIM_CREATED,
            row["id"],
            {
                "claim_id": row["id"],
                "rights_holder_id": rights_holder_id,
                "asset_id": asset_id,
                "generation_id": generation_id,
                "video_sha256": video_sha256,
                "state": state,
                "actor": actor,
            },
            at=created_at,
        )
        return Claim(**row)

    def get(self, claim_id: str) -> Claim:
        row = self.session.execute(select(claims).where(claims.c.id == claim_id)).first()
        if row is None:
            raise NotFound(f"no claim {claim_id!r}")
        return _claim(row)

    def list(
        self,
        state: str | Collection[str] | None = None,
        overdue_at: datetime | None = None,
        rights_holder_id: str | None = None,
        generation_id: str | None = None,
    ) -> list[Claim]:
        """Claims, oldest first, filtered by state(s), rights holder, or overdue deadlines.

        ``overdue_at`` keeps claims with an acknowledgement or decision deadline
        before that instant. A transition that meets a deadline should clear it
        (set it to ``None``), so only claims still owing an answer are listed.
        """
        query = select(claims)
        if isinstance(state, str):
            query = query.where(claims.c.state == state)
        elif state is not None:
            query = query.where(claims.c.state.in_(list(state)))
        if rights_holder_id is not None:
            query = query.where(claims.c.rights_holder_id == rights_holder_id)
        if generation_id is not None:
            query = query.where(claims.c.generation_id == generation_id)
        if overdue_at is not None:
            query = query.where(
                or_(claims.c.ack_due < overdue_at, claims.c.decision_due < overdue_at)
            )
        query = query.order_by(claims.c.created_at, claims.c.id)
        return [_claim(row) for row in self.session.execute(query)]

    def events(self, claim_id: str) -> list[ClaimEvent]:
        """The claim's history, oldest first."""
        rows = self.session.execute(
            select(claim_events)
            .where(claim_events.c.claim_id == claim_id)
            .order_by(claim_events.c.at, claim_events.c.id)
        )
        return [ClaimEvent(**row._asdict()) for row in rows]

    def transition(
        self,
        claim_id: str,
        expected_row_version: int,
        to_state: str,
        actor: str,
        note: str | None = None,
        *,
        at: datetime | None = None,
        **fields: Any,
    ) -> Claim:
        """Move a claim to ``to_state`` (and set ``fields``) if it is still at the version read.

        ``at`` is when it happened (the caller's clock; now by default).

        Raises :class:`ConcurrentUpdate` when ``row_version`` has moved on
        (someone else acted first: re-read and decide again), :class:`NotFound`
        when there is no such claim, ``ValueError`` for a field that a
        transition may not set.
        """
        unknown = sorted(set(fields) - TRANSITION_FIELDS)
        if unknown:
            raise ValueError(
                f"a claim transition cannot set {unknown}; allowed: {sorted(TRANSITION_FIELDS)}"
            )
        for name in _JSON_FIELDS:
            if name in fields:
                _check_json(name, fields[name])
        ledger = LedgerRepository(self.session)
        ledger.lock()  # before the update: lock order, see kyodaku.store.ledger_repo
        before = self.get(claim_id)
        if before.row_version != expected_row_version:
            raise self._conflict(claim_id, expected_row_version, before.row_version)
        at = at or utc_now()
        updated = self.session.execute(
            claims.update()
            .where(claims.c.id == claim_id, claims.c.row_version == expected_row_version)
            .values(state=to_state, row_version=expected_row_version + 1, **fields)
        )
        if updated.rowcount != 1:
            # Changed between our read and the update (possible on PostgreSQL).
            raise self._conflict(claim_id, expected_row_version, None)
        self._record(claim_id, before.state, to_state, actor, note, at)
        ledger.append(
            KIND_CLAIM_TRANSITION,
            claim_id,
            {
                "claim_id": claim_id,
                "from": before.state,
                "to": to_state,
                "actor": actor,
                "note": note,
                "row_version": expected_row_version + 1,
                "fields": sorted(fields),
            },
            at=at,
        )
        return self.get(claim_id)

    @staticmethod
    def _conflict(claim_id: str, expected: int, found: int | None) -> ConcurrentUpdate:
        now = f"is now at {found}" if found is not None else "was changed meanwhile"
        return ConcurrentUpdate(
            f"claim {claim_id} was read at row version {expected} but {now}; "
            "re-read it and try again"
        )

    def _record(
        self,
        claim_id: str,
        from_state: str | None,
        to_state: str,
        actor: str,
        note: str | None,
        at: datetime,
    ) -> None:
        self.session.execute(
            claim_events.insert().values(
                id=new_id(),
                claim_id=claim_id,
                at=at,
                from_state=from_state,
                to_state=to_state,
                actor=actor,
                note=note,
            )
        )
