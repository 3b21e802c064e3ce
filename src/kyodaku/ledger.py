"""The ledger's rules, with no storage: canonical encoding, entry hashes, chain checks.

Every decision, generation, royalty accrual, registry change and claim
transition becomes a ledger entry whose hash covers its own fields and the hash
of the entry before it. Editing, deleting or reordering an entry therefore
breaks the chain at that entry, and :func:`verify_chain` names it.

The hash must be reproducible by anyone, in any language, from the stored rows
alone, so the encoding is fixed here and nowhere else:

* JSON, keys sorted, no whitespace, non-ASCII kept as UTF-8;
* datetimes as ISO 8601 in UTC with microseconds and ``Z``
  (``2025-01-31T09:00:00.000000Z``); a naive datetime is refused because its
  instant is unknown;
* :class:`~decimal.Decimal` as a plain decimal string without exponent or
  trailing zeros (``Decimal("1.50")`` → ``"1.5"``), because money must not pass
  through binary floating point;
* floats, NaN, sets, bytes and non-string keys are refused: each has more than
  one plausible encoding, and a hash that two implementations compute
  differently is worse than none.

Payloads are normalised with :func:`canonical_value` *before* they are stored,
so the stored JSON re-encodes to the same bytes when the chain is verified.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal

from kyodaku.messages import render

#: ``prev_hash`` of the first entry: there is no entry before it.
GENESIS_HASH = "0" * 64

#: Mixed into every hash so that a future change of scheme cannot collide with
#: this one (domain separation).
HASH_SCHEME = b"kyodaku-ledger-v1\n"

#: The fields an entry's hash covers, besides ``prev_hash``.
HASHED_FIELDS: tuple[str, ...] = ("seq", "entry_id", "kind", "subject_id", "created_at", "payload")

# Entry kinds written by kyodaku's own repositories. Callers may use others
# (e.g. "decision"); these are named once so readers and writers agree.
KIND_DECISION = "decision"
KIND_REGISTRY_VERSION = "registry.version"
KIND_GENERATION_CREATED = "generation.created"
KIND_GENERATION_STATUS = "generation.status"
KIND_ROYALTY_ACCRUED = "royalty.accrued"
KIND_CLAIM_CREATED = "claim.created"
KIND_CLAIM_TRANSITION = "claim.transition"
KIND_REFERENCE_ADDED = "reference.added"
KIND_REFERENCE_REMOVED = "reference.removed"

Problem = Literal["deleted", "edited", "reordered", "truncated"]


class CanonicalEncodingError(ValueError):
    """A value has no single canonical encoding (float, naive datetime, set, ...)."""


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One ledger entry as stored: its hashed fields, its link and its hash."""

    seq: int
    entry_id: str
    kind: str
    subject_id: str
    created_at: datetime
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str

    def hashed_fields(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "entry_id": self.entry_id,
            "kind": self.kind,
            "subject_id": self.subject_id,
            "created_at": self.created_at,
            "payload": self.payload,
        }

    def computed_hash(self) -> str:
        """The hash these fields and this link should have."""
        return entry_hash(self.prev_hash, self.hashed_fields())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, in the canonical forms (time as ISO 8601 UTC)."""
        return {
            **canonical_value(self.hashed_fields()),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def format_utc(moment: datetime) -> str:
    """``moment`` as ISO 8601 UTC with microseconds, the ledger's only time format."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CanonicalEncodingError(
            f"naive datetime {moment.isoformat()} has no time zone: its instant is unknown"
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def format_decimal(value: Decimal) -> str:
    """A finite decimal as a plain string: no exponent, no trailing zeros, no ``-0``."""
    if not value.is_finite():
        raise CanonicalEncodingError(f"decimal {value} is not finite")
    if value.is_zero():
        return "0"
    return format(value.normalize(), "f")


def canonical_value(value: Any, *, _path: str = "$") -> Any:
    """``value`` reduced to JSON's types in the one way the ledger accepts.

    Mappings (string keys only) and lists/tuples are walked; datetimes and
    decimals become strings as described in the module docstring; anything
    without a single canonical form raises :class:`CanonicalEncodingError`
    naming where it was found.
    """
    if isinstance(value, str):
        _check_text(value, f"{_path}: string")
        return value
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        raise CanonicalEncodingError(
            f"{_path}: float {value!r} is not allowed; use Decimal or a string"
        )
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalEncodingError(f"{_path}: key {key!r} is not a string")
            _check_text(key, f"{_path}: key")
            out[key] = canonical_value(item, _path=f"{_path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [canonical_value(item, _path=f"{_path}[{i}]") for i, item in enumerate(value)]
    raise CanonicalEncodingError(f"{_path}: {type(value).__name__} has no canonical JSON form")


def _check_text(text: str, where: str) -> None:
    """Refuse text that some backend or encoder cannot store as it is."""
    if "\x00" in text:
        # PostgreSQL's JSON types cannot store NUL; refuse it on every backend
        # so a ledger never depends on where it was written.
        raise CanonicalEncodingError(f"{where} contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalEncodingError(f"{where} is not valid Unicode ({exc.reason})") from None


def canonical_bytes(entry_fields: Mapping[str, Any]) -> bytes:
    """The canonical UTF-8 JSON encoding of ``entry_fields`` (see module docstring)."""
    return json.dumps(
        canonical_value(entry_fields),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """Hex SHA-256 of an entry's fields (exactly :data:`HASHED_FIELDS`) and ``prev_hash``."""
    missing = [name for name in HASHED_FIELDS if name not in fields]
    extra = sorted(set(fields) - set(HASHED_FIELDS))
    if missing or extra:
        raise CanonicalEncodingError(
            f"ledger entry fields must be exactly {HASHED_FIELDS}; "
            f"missing {missing}, unexpected {extra}"
        )
    if not isinstance(fields["seq"], int) or isinstance(fields["seq"], bool):
        raise CanonicalEncodingError(f"seq must be an integer, got {fields['seq']!r}")
    if not isinstance(fields["created_at"], datetime):
        raise CanonicalEncodingError("created_at must be a timezone-aware datetime")
    document = {"prev_hash": prev_hash, **fields}
    return hashlib.sha256(HASH_SCHEME + canonical_bytes(document)).hexdigest()


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of checking a chain: intact, or the first entry that is not.

    ``code`` and ``params`` are for people (see :mod:`kyodaku.messages`); ``problem``
    is the kind of tampering, for programs.
    """

    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    code: str
    problem: Problem | None = None
    seq: int | None = None
    entry_id: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The English message, for logs and exceptions."""
        return self.message("en")

    def message(self, lang: str = "en") -> str:
        return render(self.code, lang, **self.params)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with the English reason for convenience."""
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "code": self.code,
            "problem": self.problem,
            "seq": self.seq,
            "entry_id": self.entry_id,
            "params": dict(self.params),
            "reason": self.reason,
        }


def verify_chain(
    entries: Iterable[LedgerEntry],
    *,
    anchor: tuple[int, str] | None = None,
) -> VerifyReport:
    """Check that ``entries`` (in stored order) form one unbroken chain from seq 1.

    Streams: it holds only the previous entry, so it verifies a ledger of any
    length in constant memory. Stops at the first problem:

    * a gap in ``seq`` → *deleted* (the missing numbers are named);
    * ``seq`` not increasing → *reordered*;
    * ``prev_hash`` differs from the previous entry's hash → *reordered*
      (entries swapped or removed and renumbered, or the previous entry was
      rewritten together with its hash);
    * the entry's own hash does not match its fields → *edited*.

    A chain alone cannot show that its newest entries were cut off. Pass
    ``anchor=(seq, hash)`` (a head published or saved earlier) to check that
    the ledger still reaches that entry with that hash (*truncated* otherwise).
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    previous_seq = 0
    checked = 0
    anchor_seen = False
    for entry in entries:
        base = {"seq": entry.seq, "entry_id": entry.entry_id}
        if entry.seq < expected_seq:
            return _broken(
                "reordered",
                "ledger.out_of_order",
                entry,
                checked,
                previous_seq,
                prev_hash,
                {**base, "previous_seq": previous_seq},
            )
        if entry.seq > expected_seq:
            return _broken(
                "deleted",
                "ledger.deleted",
                entry,
                checked,
                previous_seq,
                prev_hash,
                {**base, "missing_from": expected_seq, "missing_to": entry.seq - 1},
            )
        if entry.prev_hash != prev_hash:
            return _broken(
                "reordered",
                "ledger.reordered",
                entry,
                checked,
                previous_seq,
                prev_hash,
                {**base, "expected_prev_hash": prev_hash, "found_prev_hash": entry.prev_hash},
            )
        if entry.computed_hash() != entry.hash:
            return _broken("edited", "ledger.edited", entry, checked, previous_seq, prev_hash, base)
        if anchor is not None and entry.seq == anchor[0]:
            anchor_seen = True
            if entry.hash != anchor[1]:
                return _broken(
                    "edited",
                    "ledger.anchor_mismatch",
                    entry,
                    checked,
                    previous_seq,
                    prev_hash,
                    {**base, "found": entry.hash, "expected": anchor[1]},
                )
        checked += 1
        previous_seq = entry.seq
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
    if anchor is not None and not anchor_seen:
        return VerifyReport(
            ok=False,
            checked=checked,
            head_seq=previous_seq,
            head_hash=prev_hash,
            code="ledger.truncated",
            problem="truncated",
            params={"head_seq": previous_seq, "anchor_seq": anchor[0]},
        )
    return VerifyReport(
        ok=True,
        checked=checked,
        head_seq=previous_seq,
        head_hash=prev_hash,
        code="ledger.intact",
        params={"checked": checked, "head_seq": previous_seq},
    )


def _broken(
    problem: Problem,
    code: str,
    entry: LedgerEntry,
    checked: int,
    head_seq: int,
    head_hash: str,
    params: Mapping[str, Any],
) -> VerifyReport:
    """A failed report: the head is the last entry that verified."""
    return VerifyReport(
        ok=False,
        checked=checked,
        head_seq=head_seq,
        head_hash=head_hash,
        code=code,
        problem=problem,
        seq=entry.seq,
        entry_id=entry.entry_id,
        params=dict(params),
    )
