"""Royalty statements recomputed from the ledger alone.

The accruals table is what statements are read from; the hash-chained
ledger is what nobody can quietly edit. A statement is only trustworthy if
both agree, so the totals are recomputed from ledger entries and compared.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from kyodaku.ledger import KIND_ROYALTY_ACCRUED
from kyodaku.store.ledger_repo import LedgerRepository


def recompute_from_ledger(
    session: Session, rights_holder_id: str, period: str
) -> dict[str, Decimal]:
    """Total per currency of the ``royalty.accrued`` entries for one holder and month."""
    totals: dict[str, Decimal] = {}
    for entry in LedgerRepository(session).entries(kind=KIND_ROYALTY_ACCRUED):
        payload = entry.payload
        if payload.get("rights_holder_id") != rights_holder_id or payload.get("period") != period:
            continue
        currency = str(payload["currency"])
        totals[currency] = totals.get(currency, Decimal(0)) + Decimal(str(payload["amount"]))
    return totals
