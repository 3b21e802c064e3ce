"""The ledger table: append entries to the hash chain, read them back, verify them.

Appending is the one operation that must see the true head of the chain:
two writers that both read head ``n`` would both write entry ``n + 1``. On
PostgreSQL an advisory lock held to the end of the transaction queues the
writers; on SQLite the ``BEGIN IMMEDIATE`` transaction already does (see
:mod:`kyodaku.store.db`). The lock is held until commit, so keep the
transaction that appends short.

Lock order: a transaction that will append must take the ledger lock
(:meth:`LedgerRepository.lock`) *before* it writes other rows that a
concurrent transaction might also write (a generation's request id, a claim's
row). Otherwise one could hold the ledger lock and wait for a row the other
holds while the other waits for the ledger lock: a deadlock. The repositories
in this package all do so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from kyodaku.ledger import (
    GENESIS_HASH,
    LedgerEntry,
    VerifyReport,
    canonical_value,
    entry_hash,
    verify_chain,
)
from kyodaku.store.db import exclusive_lock
from kyodaku.store.errors import NotFound
from kyodaku.store.ids import new_id
from kyodaku.store.tables import ledger_entries
from kyodaku.store.types import utc_now

LEDGER_LOCK = "kyodaku.ledger"


def _entry(row: Row[Any]) -> LedgerEntry:
    return LedgerEntry(
        seq=row.seq,
        entry_id=row.entry_id,
        kind=row.kind,
        subject_id=row.subject_id,
        created_at=row.created_at,
        payload=row.payload,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class LedgerRepository:
    """Ledger entries within one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lock(self) -> None:
        """Take the ledger's writer lock now (held to the end of the transaction)."""
        exclusive_lock(self.session, LEDGER_LOCK)

    def append(
        self,
        kind: str,
        subject_id: str,
        payload: Mapping[str, Any],
        *,
        entry_id: str | None = None,
        at: datetime | None = None,
    ) -> LedgerEntry:
        """Add an entry at the head of the chain and return it as stored.

        ``payload`` is normalised to the ledger's canonical JSON first (see
        :mod:`kyodaku.ledger`: decimals become strings, floats are refused), so
        the stored row re-hashes to the same value. ``entry_id`` lets a caller
        that must reference the entry (e.g. a royalty accrual) choose its id.
        """
        if not kind or not subject_id:
            raise ValueError("a ledger entry needs a kind and a subject id")
        normalised = canonical_value(dict(payload))
        created_at = at or utc_now()
        self.lock()
        head = self.session.execute(
            select(ledger_entries.c.seq, ledger_entries.c.hash)
            .order_by(ledger_entries.c.seq.desc())
            .limit(1)
        ).first()
        seq = head.seq + 1 if head else 1
        prev_hash = head.hash if head else GENESIS_HASH
        fields = {
            "seq": seq,
            "entry_id": entry_id or new_id(),
            "kind": kind,
            "subject_id": subject_id,
            "created_at": created_at,
            "payload": normalised,
        }
        digest = entry_hash(prev_hash, fields)
        self.session.execute(
            ledger_entries.insert().values(**fields, prev_hash=prev_hash, hash=digest)
        )
        return LedgerEntry(**fields, prev_hash=prev_hash, hash=digest)

    def get(self, entry_id: str) -> LedgerEntry:
        row = self.session.execute(
            select(ledger_entries).where(ledger_entries.c.entry_id == entry_id)
        ).first()
        if row is None:
            raise NotFound(f"no ledger entry {entry_id!r}")
        return _entry(row)

    def entries(
        self,
        after_seq: int = 0,
        kind: str | None = None,
        subject_id: str | None = None,
        limit: int | None = None,
    ) -> list[LedgerEntry]:
        """Entries after ``after_seq`` in chain order, optionally of one kind or subject."""
        query = select(ledger_entries).where(ledger_entries.c.seq > after_seq)
        if kind is not None:
            query = query.where(ledger_entries.c.kind == kind)
        if subject_id is not None:
            query = query.where(ledger_entries.c.subject_id == subject_id)
        query = query.order_by(ledger_entries.c.seq)
        if limit is not None:
            query = query.limit(limit)
        return [_entry(row) for row in self.session.execute(query)]

    def iter_all(self, batch_size: int = 1000) -> Iterator[LedgerEntry]:
        """Every entry in chain order, fetched ``batch_size`` at a time (keyset paging)."""
        after = 0
        while True:
            batch = self.entries(after_seq=after, limit=batch_size)
            yield from batch
            if len(batch) < batch_size:
                return
            after = batch[-1].seq

    def recent(self, n: int = 20, kind: str | None = None) -> list[LedgerEntry]:
        """The ``n`` newest entries (optionally of one kind), in chain order: newest last."""
        query = select(ledger_entries)
        if kind is not None:
            query = query.where(ledger_entries.c.kind == kind)
        query = query.order_by(ledger_entries.c.seq.desc()).limit(n)
        return [_entry(row) for row in self.session.execute(query)][::-1]

    def head(self) -> tuple[int, str]:
        """``(seq, hash)`` of the newest entry, ``(0, GENESIS_HASH)`` when empty.

        Publish or save it elsewhere and pass it to :meth:`verify` later as
        ``anchor``: that also detects deletion of the newest entries.
        """
        row = self.session.execute(
            select(ledger_entries.c.seq, ledger_entries.c.hash)
            .order_by(ledger_entries.c.seq.desc())
            .limit(1)
        ).first()
        return (row.seq, row.hash) if row else (0, GENESIS_HASH)

    def verify(
        self, *, anchor: tuple[int, str] | None = None, batch_size: int = 1000
    ) -> VerifyReport:
        """Check the whole chain (streamed); see :func:`kyodaku.ledger.verify_chain`."""
        return verify_chain(self.iter_all(batch_size=batch_size), anchor=anchor)
