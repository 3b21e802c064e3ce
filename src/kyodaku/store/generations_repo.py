"""Generations: one row per released (or later withdrawn) video.

A client retrying a request (timeout, double click, a worker restarted) must
get the generation it already has, never a second one: ``request_id`` is
unique, and :meth:`GenerationRepository.create` returns the existing row when
it loses the race to insert it. Creating and withdrawing are ledger entries,
written in the same transaction as the row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kyodaku.ledger import KIND_GENERATION_CREATED, KIND_GENERATION_STATUS
from kyodaku.store.errors import ConcurrentUpdate, NotFound
from kyodaku.store.ids import new_id
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.tables import generations
from kyodaku.store.types import utc_now

GenerationStatus = Literal["released", "withdrawn"]
STATUSES: tuple[str, ...] = get_args(GenerationStatus)


@dataclass(frozen=True, slots=True)
class Generation:
    id: str
    request_id: str
    decision_id: str | None
    status: str
    created_at: datetime
    creator: str
    backend: str
    model: str | None
    registry_version: int
    prompt: str
    output_sha256: str | None
    output_path: str | None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    watermark_key: str | None = None


def _generation(row: Row[Any]) -> Generation:
    return Generation(**row._asdict())


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown generation status {status!r} (allowed: {', '.join(STATUSES)})")


class GenerationRepository:
    """Generations within one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(
        self,
        *,
        request_id: str,
        creator: str,
        backend: str,
        prompt: str,
        registry_version: int,
        decision_id: str | None = None,
        model: str | None = None,
        output_sha256: str | None = None,
        output_path: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        status: GenerationStatus = "released",
        generation_id: str | None = None,
        watermark_key: str | None = None,
        at: datetime | None = None,
    ) -> tuple[Generation, bool]:
        """Record a generation; ``(generation, created)``.

        ``created`` is False when ``request_id`` was already recorded: the
        existing generation is returned unchanged and nothing is written, even
        when another process inserted it a moment ago.
        """
        _check_status(status)
        if not request_id:
            raise ValueError("a generation needs a request id (for idempotent retries)")
        ledger = LedgerRepository(self.session)
        ledger.lock()  # before the insert: lock order, see kyodaku.store.ledger_repo
        existing = self.by_request_id(request_id)
        if existing is not None:
            return existing, False
        meta = dict(metadata or {})
        json.dumps(meta, allow_nan=False)  # fail here, not in the driver, if not JSON
        row = {
            "id": generation_id or new_id(),
            "request_id": request_id,
            "decision_id": decision_id,
            "status": status,
            "created_at": at or utc_now(),
            "creator": creator,
            "backend": backend,
            "model": model,
            "registry_version": registry_version,
            "prompt": prompt,
            "output_sha256": output_sha256,
            "output_path": output_path,
            "metadata": meta,
            "watermark_key": watermark_key,
        }
        try:
            with self.session.begin_nested():
                self.session.execute(generations.insert().values(**row))
                ledger.append(
                    KIND_GENERATION_CREATED,
                    row["id"],
                    {
                        "generation_id": row["id"],
                        "request_id": request_id,
                        "decision_id": decision_id,
                        "status": status,
                        "creator": creator,
                        "backend": backend,
                        "model": model,
                        "registry_version": registry_version,
                        "prompt_sha256": hashlib.sha256(prompt.encode("utf-8")).hexdigest(),
                        "output_sha256": output_sha256,
                    },
                    at=row["created_at"],
                )
        except IntegrityError:
            # Another writer inserted this request id after our check: theirs wins.
            winner = self.by_request_id(request_id)
            if winner is None:
                raise
            return winner, False
        return Generation(**row), True

    def get(self, generation_id: str) -> Generation:
        row = self.session.execute(
            select(generations).where(generations.c.id == generation_id)
        ).first()
        if row is None:
            raise NotFound(f"no generation {generation_id!r}")
        return _generation(row)

    def by_request_id(self, request_id: str) -> Generation | None:
        row = self.session.execute(
            select(generations).where(generations.c.request_id == request_id)
        ).first()
        return _generation(row) if row else None

    def by_watermark_key(self, key: str) -> list[Generation]:
        """Generations whose invisible watermark carries this payload key (hex)."""
        rows = self.session.execute(
            select(generations)
            .where(generations.c.watermark_key == key)
            .order_by(generations.c.created_at)
        )
        return [_generation(row) for row in rows]

    def by_output_sha256(self, output_sha256: str) -> list[Generation]:
        """Generations whose released file has this SHA-256 (to trace a file back)."""
        rows = self.session.execute(
            select(generations)
            .where(generations.c.output_sha256 == output_sha256)
            .order_by(generations.c.created_at)
        )
        return [_generation(row) for row in rows]

    def set_status(
        self,
        generation_id: str,
        status: GenerationStatus,
        *,
        actor: str,
        reason: str | None = None,
    ) -> Generation:
        """Change a generation's status (e.g. withdraw it after a claim) and record why.

        Setting the status it already has changes nothing and records nothing.
        """
        _check_status(status)
        ledger = LedgerRepository(self.session)
        ledger.lock()
        current = self.get(generation_id)
        if current.status == status:
            return current
        updated = self.session.execute(
            generations.update()
            .where(generations.c.id == generation_id, generations.c.status == current.status)
            .values(status=status)
        )
        if updated.rowcount != 1:
            # Someone else changed it between our read and write (PostgreSQL).
            latest = self.get(generation_id)
            if latest.status == status:
                return latest
            raise ConcurrentUpdate(f"generation {generation_id} changed status concurrently")
        ledger.append(
            KIND_GENERATION_STATUS,
            generation_id,
            {"from": current.status, "to": status, "actor": actor, "reason": reason},
        )
        return self.get(generation_id)
