"""Royalty accruals: what each generation owes each rights holder, and monthly statements.

Money is Decimal end to end (exact on both backends, see
:class:`kyodaku.store.types.ExactDecimal`). One accrual per (generation,
licence, asset): a retried generation finds its accrual already there and
owes nothing more. Each accrual is also a ledger entry, written in the same
transaction and referenced by ``ledger_entry_id``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kyodaku.ledger import KIND_ROYALTY_ACCRUED
from kyodaku.store.errors import DuplicateRecord, NotFound
from kyodaku.store.ids import new_id
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.tables import royalty_accruals
from kyodaku.store.types import quantize, to_decimal, utc_now

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class RoyaltyAccrual:
    id: str
    generation_id: str
    licence_id: str
    asset_id: str
    rights_holder_id: str
    rate: Decimal
    declared_value: Decimal
    amount: Decimal
    currency: str
    period: str
    created_at: datetime
    ledger_entry_id: str


@dataclass(frozen=True, slots=True)
class RoyaltyStatement:
    """A rights holder's accruals for one month, with a total per currency."""

    rights_holder_id: str
    period: str
    accruals: tuple[RoyaltyAccrual, ...]
    totals: Mapping[str, Decimal] = field(default_factory=dict)


def royalty_amount(
    rate: Decimal | str | int | float, declared_value: Decimal | str | int
) -> Decimal:
    """``rate × declared_value``, exact, rounded half-even to the stored six places."""
    return quantize(to_decimal(rate, name="rate") * to_decimal(declared_value, name="value"))


def period_of(moment: datetime) -> str:
    """The ``YYYY-MM`` period an instant falls in, by UTC calendar."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def check_period(period: str) -> str:
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise ValueError(f"period {period!r} is not a month in the form YYYY-MM")
    return period


def _accrual(row: Row[Any]) -> RoyaltyAccrual:
    return RoyaltyAccrual(**row._asdict())


class RoyaltyRepository:
    """Royalty accruals within one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def accrue(
        self,
        *,
        generation_id: str,
        licence_id: str,
        asset_id: str,
        rights_holder_id: str,
        rate: Decimal | str | int | float,
        declared_value: Decimal | str | int,
        currency: str,
        period: str | None = None,
        at: datetime | None = None,
    ) -> tuple[RoyaltyAccrual, bool]:
        """Record what a generation owes under a licence for an asset; ``(accrual, created)``.

        A second call for the same (generation, licence, asset) returns the
        first accrual with ``created=False`` and writes nothing. If that call
        disagrees with the first about the terms (rate, value, currency,
        rights holder), :class:`DuplicateRecord` is raised rather than letting
        either figure pass silently.
        """
        if not _CURRENCY.match(currency or ""):
            raise ValueError(f"currency {currency!r} is not an ISO 4217 code (e.g. JPY)")
        rate_d = to_decimal(rate, name="rate")
        value_d = to_decimal(declared_value, name="declared_value")
        if rate_d < 0 or value_d < 0:
            raise ValueError(f"rate {rate_d} and declared value {value_d} must not be negative")
        created_at = at or utc_now()
        row = {
            "id": new_id(),
            "generation_id": generation_id,
            "licence_id": licence_id,
            "asset_id": asset_id,
            "rights_holder_id": rights_holder_id,
            "rate": quantize(rate_d),
            "declared_value": quantize(value_d),
            "amount": royalty_amount(rate_d, value_d),
            "currency": currency,
            "period": check_period(period or period_of(created_at)),
            "created_at": created_at,
            "ledger_entry_id": new_id(),
        }
        ledger = LedgerRepository(self.session)
        ledger.lock()  # before the insert: lock order, see kyodaku.store.ledger_repo
        existing = self._find(generation_id, licence_id, asset_id)
        if existing is not None:
            return self._same_terms(existing, row), False
        try:
            with self.session.begin_nested():
                ledger.append(
                    KIND_ROYALTY_ACCRUED,
                    generation_id,
                    {key: row[key] for key in row if key not in ("created_at", "ledger_entry_id")},
                    entry_id=row["ledger_entry_id"],
                    at=created_at,
                )
                self.session.execute(royalty_accruals.insert().values(**row))
        except IntegrityError:
            winner = self._find(generation_id, licence_id, asset_id)
            if winner is None:
                raise
            return self._same_terms(winner, row), False
        return RoyaltyAccrual(**row), True

    @staticmethod
    def _same_terms(existing: RoyaltyAccrual, attempt: Mapping[str, Any]) -> RoyaltyAccrual:
        differing = [
            key
            for key in ("rights_holder_id", "rate", "declared_value", "currency")
            if getattr(existing, key) != attempt[key]
        ]
        if differing:
            raise DuplicateRecord(
                f"generation {existing.generation_id} already accrued under licence "
                f"{existing.licence_id} for {existing.asset_id} with different "
                f"{', '.join(differing)}"
            )
        return existing

    def _find(self, generation_id: str, licence_id: str, asset_id: str) -> RoyaltyAccrual | None:
        row = self.session.execute(
            select(royalty_accruals).where(
                royalty_accruals.c.generation_id == generation_id,
                royalty_accruals.c.licence_id == licence_id,
                royalty_accruals.c.asset_id == asset_id,
            )
        ).first()
        return _accrual(row) if row else None

    def get(self, accrual_id: str) -> RoyaltyAccrual:
        row = self.session.execute(
            select(royalty_accruals).where(royalty_accruals.c.id == accrual_id)
        ).first()
        if row is None:
            raise NotFound(f"no royalty accrual {accrual_id!r}")
        return _accrual(row)

    def for_generation(self, generation_id: str) -> list[RoyaltyAccrual]:
        rows = self.session.execute(
            select(royalty_accruals)
            .where(royalty_accruals.c.generation_id == generation_id)
            .order_by(royalty_accruals.c.id)
        )
        return [_accrual(row) for row in rows]

    def statement(self, rights_holder_id: str, period: str) -> RoyaltyStatement:
        """Every accrual of ``rights_holder_id`` in ``period``, oldest first, with totals.

        Totals are summed in Python with Decimal, per currency (never mixed).
        """
        check_period(period)
        rows = self.session.execute(
            select(royalty_accruals)
            .where(
                royalty_accruals.c.rights_holder_id == rights_holder_id,
                royalty_accruals.c.period == period,
            )
            .order_by(royalty_accruals.c.created_at, royalty_accruals.c.id)
        )
        accruals = tuple(_accrual(row) for row in rows)
        totals: dict[str, Decimal] = {}
        for accrual in accruals:
            totals[accrual.currency] = totals.get(accrual.currency, Decimal(0)) + accrual.amount
        return RoyaltyStatement(rights_holder_id, period, accruals, dict(sorted(totals.items())))
