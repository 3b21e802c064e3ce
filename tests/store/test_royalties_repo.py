"""Royalty accruals: exact amounts, never twice for one generation, monthly statements."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from kyodaku.store.db import session_scope
from kyodaku.store.errors import DuplicateRecord
from kyodaku.store.generations_repo import GenerationRepository
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.royalties_repo import RoyaltyRepository, royalty_amount

APRIL = datetime(2025, 4, 15, 12, 0, tzinfo=UTC)


def generation(engine: Engine, request_id: str) -> str:
    with session_scope(engine) as session:
        created, _ = GenerationRepository(session).create(
            request_id=request_id,
            creator="creator-1",
            backend="storyboard",
            prompt="Luna",
            registry_version=1,
        )
    return created.id


def accrue(engine: Engine, generation_id: str, **overrides):
    fields = {
        "generation_id": generation_id,
        "licence_id": "lic-fan",
        "asset_id": "c-luna",
        "rights_holder_id": "rh-kaiju",
        "rate": 0.1,
        "declared_value": Decimal("1000"),
        "currency": "JPY",
        "at": APRIL,
        **overrides,
    }
    with session_scope(engine) as session:
        return RoyaltyRepository(session).accrue(**fields)


def test_amount_is_exact_decimal() -> None:
    assert royalty_amount(0.1, "0.3") == Decimal("0.030000")
    assert royalty_amount(Decimal("0.075"), 199) == Decimal("14.925000")
    assert royalty_amount("0.333333", "0.000003") == Decimal("0.000001")  # half-even


def test_accrual_is_recorded_with_its_ledger_entry(db_engine: Engine) -> None:
    gen = generation(db_engine, "req-1")
    accrual, created = accrue(db_engine, gen)
    assert created
    assert accrual.amount == Decimal("100") and accrual.period == "2025-04"
    with session_scope(db_engine) as session:
        stored = RoyaltyRepository(session).get(accrual.id)
        assert stored == accrual
        entry = LedgerRepository(session).get(accrual.ledger_entry_id)
        assert entry.kind == "royalty.accrued" and entry.subject_id == gen
        assert entry.payload["amount"] == "100" and entry.payload["rate"] == "0.1"
        assert LedgerRepository(session).verify().ok


def test_a_retry_never_accrues_twice(db_engine: Engine) -> None:
    gen = generation(db_engine, "req-1")
    first, _ = accrue(db_engine, gen)
    again, created = accrue(db_engine, gen)
    assert not created and again == first
    with session_scope(db_engine) as session:
        assert RoyaltyRepository(session).for_generation(gen) == [first]
        assert len(LedgerRepository(session).entries(kind="royalty.accrued")) == 1


def test_a_retry_with_other_terms_is_refused(db_engine: Engine) -> None:
    gen = generation(db_engine, "req-1")
    accrue(db_engine, gen)
    with pytest.raises(DuplicateRecord, match="different declared_value"):
        accrue(db_engine, gen, declared_value="2000")


def test_each_asset_and_licence_accrues_separately(db_engine: Engine) -> None:
    gen = generation(db_engine, "req-1")
    accrue(db_engine, gen)
    _, created = accrue(db_engine, gen, asset_id="w-moon")
    assert created


def test_statement_totals_per_currency(db_engine: Engine) -> None:
    for n, (value, currency, at) in enumerate(
        [
            ("1000", "JPY", APRIL),
            ("333.33", "JPY", APRIL),
            ("12.34", "USD", APRIL),
            ("999999999.99", "JPY", APRIL),
            ("500", "JPY", datetime(2025, 5, 1, tzinfo=UTC)),  # next month
        ]
    ):
        gen = generation(db_engine, f"req-{n}")
        accrue(db_engine, gen, declared_value=value, currency=currency, at=at)
    accrue(db_engine, generation(db_engine, "req-other"), rights_holder_id="rh-other")
    with session_scope(db_engine, read_only=True) as session:
        statement = RoyaltyRepository(session).statement("rh-kaiju", "2025-04")
    assert len(statement.accruals) == 4
    assert statement.totals == {
        "JPY": Decimal("100000133.332000"),
        "USD": Decimal("1.234000"),
    }
    assert all(isinstance(total, Decimal) for total in statement.totals.values())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"currency": "yen"}, "ISO 4217"),
        ({"period": "2025-13"}, "YYYY-MM"),
        ({"rate": "-0.1"}, "must not be negative"),
        ({"declared_value": "lots"}, "not a decimal number"),
    ],
)
def test_bad_terms_are_refused(db_engine: Engine, overrides: dict, message: str) -> None:
    gen = generation(db_engine, "req-1")
    with pytest.raises(ValueError, match=message):
        accrue(db_engine, gen, **overrides)


def test_losing_the_insert_race_returns_the_winner(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = generation(db_engine, "req-1")
    winner, _ = accrue(db_engine, gen)
    real_find = RoyaltyRepository._find
    calls = iter([None])
    monkeypatch.setattr(
        RoyaltyRepository,
        "_find",
        lambda self, *key: next(calls, None) or real_find(self, *key),
    )
    loser, created = accrue(db_engine, gen)
    assert not created and loser == winner
    with session_scope(db_engine) as session:
        assert len(LedgerRepository(session).entries(kind="royalty.accrued")) == 1
        assert LedgerRepository(session).verify().ok
