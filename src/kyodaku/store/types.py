"""Column types that behave the same on SQLite and PostgreSQL.

SQLAlchemy's plain ``DateTime(timezone=True)`` and ``Numeric`` do not: SQLite
has no time zones (it hands back naive datetimes) and no decimal type (a
NUMERIC column there stores binary floats, so ``0.1`` of a currency drifts).
The migrations import these types too, so their storage format is part of the
schema: change it only with a migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import DateTime, Dialect, Numeric, String
from sqlalchemy.types import TypeDecorator, TypeEngine

#: Digits after the decimal point for money and rates (Numeric(18, 6)).
DECIMAL_SCALE = 6
DECIMAL_PRECISION = 18
_QUANTUM = Decimal(1).scaleb(-DECIMAL_SCALE)


def utc_now() -> datetime:
    """Now, in UTC, to the microsecond (the precision both backends keep)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An instant, always handed back as an aware UTC datetime.

    Naive datetimes are refused on the way in: storing one would silently
    assume a time zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: give it a time zone")
        value = value.astimezone(UTC)
        # SQLite stores the wall-clock text only; we always store UTC, so drop the zone there.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def to_decimal(value: Decimal | int | str | float, *, name: str = "value") -> Decimal:
    """``value`` as an exact Decimal, or a clear error.

    A float is taken at its shortest round-trip form (``0.1`` → ``Decimal("0.1")``),
    which is what the registry's ``royalty_rate: 0.1`` means; NaN and infinities
    are refused.
    """
    if isinstance(value, bool):
        raise TypeError(f"{name}: a boolean is not an amount")
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"{name}: {value!r} is not a decimal number") from exc
    if not result.is_finite():
        raise ValueError(f"{name}: {value!r} is not a finite number")
    return result


def quantize(value: Decimal) -> Decimal:
    """``value`` rounded (half-even) to the stored scale, or an error if it does not fit."""
    result = value.quantize(_QUANTUM)
    if result.adjusted() >= DECIMAL_PRECISION - DECIMAL_SCALE:
        raise ValueError(f"{value} does not fit Numeric({DECIMAL_PRECISION}, {DECIMAL_SCALE})")
    return result


class ExactDecimal(TypeDecorator[Decimal]):
    """A Numeric(18, 6) that is exact on both backends.

    PostgreSQL stores NUMERIC; SQLite stores the decimal's text (a TEXT column,
    so SQLite's numeric affinity cannot turn it into a float). Values are
    quantised to six places on the way in and must fit, or the write fails.
    Sums are done in Python with Decimal, never in SQL, so both backends agree.
    """

    impl = Numeric(DECIMAL_PRECISION, DECIMAL_SCALE, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(DECIMAL_PRECISION + 2))
        return dialect.type_descriptor(Numeric(DECIMAL_PRECISION, DECIMAL_SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("floats are not stored as money; pass a Decimal or a string")
        exact = quantize(to_decimal(value))
        return format(exact, "f") if dialect.name == "sqlite" else exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return quantize(Decimal(value))
