"""The ledger's pure rules: canonical encoding, hashing, and finding tampering in a chain."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodaku.ledger import (
    GENESIS_HASH,
    HASH_SCHEME,
    CanonicalEncodingError,
    LedgerEntry,
    canonical_bytes,
    canonical_value,
    entry_hash,
    format_decimal,
    verify_chain,
)
from kyodaku.messages import CATALOGUE

T0 = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)


def TEXT(max_size: int) -> st.SearchStrategy[str]:
    """Any text the ledger accepts (everything but NUL and lone surrogates)."""
    alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    return st.text(alphabet, max_size=max_size)


def make_chain(payloads: list[dict]) -> list[LedgerEntry]:
    """A valid chain of entries carrying ``payloads``, built the way the repository does."""
    entries: list[LedgerEntry] = []
    prev = GENESIS_HASH
    for i, payload in enumerate(payloads, start=1):
        fields = {
            "seq": i,
            "entry_id": f"E{i:025d}",
            "kind": "decision",
            "subject_id": f"req-{i}",
            "created_at": T0 + timedelta(seconds=i),
            "payload": canonical_value(payload),
        }
        digest = entry_hash(prev, fields)
        entries.append(LedgerEntry(**fields, prev_hash=prev, hash=digest))
        prev = digest
    return entries


# -- canonical encoding --------------------------------------------------------


def test_canonical_bytes_sorts_keys_drops_whitespace_and_keeps_utf8() -> None:
    encoded = canonical_bytes({"b": 1, "a": ["ピカチュウ", None, True]})
    assert encoded == '{"a":["ピカチュウ",null,true],"b":1}'.encode()


def test_canonical_bytes_is_independent_of_key_insertion_order() -> None:
    assert canonical_bytes({"x": 1, "y": {"p": 1, "q": 2}}) == canonical_bytes(
        {"y": {"q": 2, "p": 1}, "x": 1}
    )


def test_datetimes_are_encoded_as_utc_with_microseconds() -> None:
    tokyo = timezone(timedelta(hours=9))
    moment = datetime(2025, 4, 1, 18, 30, 5, 123, tzinfo=tokyo)
    assert canonical_value(moment) == "2025-04-01T09:30:05.000123Z"
    assert canonical_value(date(2025, 4, 1)) == "2025-04-01"


def test_same_instant_in_two_zones_encodes_identically() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert canonical_bytes({"t": T0}) == canonical_bytes({"t": T0.astimezone(tokyo)})


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match="naive datetime"):
        canonical_bytes({"t": datetime(2025, 1, 1)})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.50"), "1.5"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-0.000"), "0"),
        (Decimal("0.000001"), "0.000001"),
        (Decimal("12345678901234567890.5"), "12345678901234567890.5"),
    ],
)
def test_decimals_become_plain_strings_without_exponent(value: Decimal, expected: str) -> None:
    assert format_decimal(value) == expected
    assert canonical_value({"amount": value}) == {"amount": expected}


def test_equal_decimals_hash_alike() -> None:
    assert canonical_bytes({"a": Decimal("0.10")}) == canonical_bytes({"a": Decimal("0.1")})


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"rate": 0.1}, r"\$\.rate: float"),
        ({"a": [1, {"b": float("nan")}]}, r"\$\.a\[1\]\.b: float"),
        ({"a": Decimal("NaN")}, "not finite"),
        ({"a": {1, 2}}, "set has no canonical"),
        ({"a": b"\x00"}, "bytes has no canonical"),
        ({1: "x"}, "key 1 is not a string"),
        ({"a": "nul\x00inside"}, "string contains a NUL"),
        ({"nul\x00key": 1}, "key contains a NUL"),
        ({"a": "lone \ud800 surrogate"}, "string is not valid Unicode"),
    ],
)
def test_values_without_one_canonical_form_are_refused(payload: dict, message: str) -> None:
    with pytest.raises(CanonicalEncodingError, match=message):
        canonical_bytes(payload)


# -- entry hashes --------------------------------------------------------------

FIELDS = {
    "seq": 1,
    "entry_id": "01JQ0000000000000000000000",
    "kind": "decision",
    "subject_id": "req-1",
    "created_at": T0,
    "payload": {"decision": "block", "refs": ["c-pikachu"]},
}


def test_entry_hash_is_sha256_of_scheme_and_canonical_fields() -> None:
    expected = hashlib.sha256(
        HASH_SCHEME + canonical_bytes({"prev_hash": GENESIS_HASH, **FIELDS})
    ).hexdigest()
    assert entry_hash(GENESIS_HASH, FIELDS) == expected
    # Reproducible from plain JSON by anyone: no Python-specific encoding inside.
    document = json.loads(canonical_bytes({"prev_hash": GENESIS_HASH, **FIELDS}))
    assert document["created_at"] == "2025-04-01T09:00:00.000000Z"


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("seq", 2),
        ("entry_id", "01JQ0000000000000000000001"),
        ("kind", "generation.created"),
        ("subject_id", "req-2"),
        ("created_at", T0 + timedelta(microseconds=1)),
        ("payload", {"decision": "allow", "refs": ["c-pikachu"]}),
    ],
)
def test_every_hashed_field_changes_the_hash(name: str, other: object) -> None:
    assert entry_hash(GENESIS_HASH, {**FIELDS, name: other}) != entry_hash(GENESIS_HASH, FIELDS)


def test_prev_hash_changes_the_hash() -> None:
    assert entry_hash("1" * 64, FIELDS) != entry_hash(GENESIS_HASH, FIELDS)


def test_entry_hash_requires_exactly_the_hashed_fields() -> None:
    with pytest.raises(CanonicalEncodingError, match="missing \\['payload'\\]"):
        entry_hash(GENESIS_HASH, {k: v for k, v in FIELDS.items() if k != "payload"})
    with pytest.raises(CanonicalEncodingError, match="unexpected \\['extra'\\]"):
        entry_hash(GENESIS_HASH, {**FIELDS, "extra": 1})
    with pytest.raises(CanonicalEncodingError, match="seq must be an integer"):
        entry_hash(GENESIS_HASH, {**FIELDS, "seq": "1"})


# -- chain verification --------------------------------------------------------


def test_intact_chain_verifies() -> None:
    chain = make_chain([{"n": i} for i in range(5)])
    report = verify_chain(chain)
    assert report.ok
    assert (report.checked, report.head_seq, report.head_hash) == (5, 5, chain[-1].hash)
    assert report.problem is None
    assert report.reason == "The ledger is intact: 5 entries checked, head 5."


def test_empty_chain_verifies() -> None:
    report = verify_chain([])
    assert report.ok and report.checked == 0 and report.head_hash == GENESIS_HASH


def test_edited_payload_is_named() -> None:
    chain = make_chain([{"n": i} for i in range(5)])
    chain[2] = dataclasses.replace(chain[2], payload={"n": 99})
    report = verify_chain(chain)
    assert not report.ok
    assert (report.problem, report.seq, report.entry_id) == ("edited", 3, chain[2].entry_id)
    assert report.checked == 2 and report.head_seq == 2
    assert "edited" in report.reason
    assert json.loads(json.dumps(report.as_dict()))["problem"] == "edited"


def test_edit_with_recomputed_hash_breaks_the_next_link() -> None:
    chain = make_chain([{"n": i} for i in range(5)])
    forged = dataclasses.replace(chain[1], payload={"n": 99})
    chain[1] = dataclasses.replace(forged, hash=forged.computed_hash())
    report = verify_chain(chain)
    assert (report.problem, report.seq) == ("reordered", 3)
    assert report.params["found_prev_hash"] != report.params["expected_prev_hash"]


def test_deleted_entry_is_named_with_the_missing_numbers() -> None:
    chain = make_chain([{"n": i} for i in range(6)])
    del chain[2:4]
    report = verify_chain(chain)
    assert (report.problem, report.seq) == ("deleted", 5)
    assert (report.params["missing_from"], report.params["missing_to"]) == (3, 4)
    assert "3–4" in report.reason


def test_deleted_first_entry_is_detected() -> None:
    chain = make_chain([{"n": i} for i in range(3)])
    report = verify_chain(chain[1:])
    assert (report.problem, report.seq, report.checked) == ("deleted", 2, 0)


def test_deleted_and_renumbered_entries_break_the_link() -> None:
    chain = make_chain([{"n": i} for i in range(4)])
    renumbered = [
        chain[0],
        dataclasses.replace(chain[2], seq=2),
        dataclasses.replace(chain[3], seq=3),
    ]
    report = verify_chain(renumbered)
    assert (report.problem, report.seq) == ("reordered", 2)


def test_swapped_entries_are_reported_as_reordered() -> None:
    chain = make_chain([{"n": i} for i in range(4)])
    swapped = [
        chain[0],
        dataclasses.replace(chain[2], seq=2),
        dataclasses.replace(chain[1], seq=3),
        chain[3],
    ]
    report = verify_chain(swapped)
    assert (report.problem, report.seq, report.entry_id) == ("reordered", 2, chain[2].entry_id)


def test_out_of_order_sequence_is_reported() -> None:
    chain = make_chain([{"n": i} for i in range(3)])
    report = verify_chain([chain[0], chain[1], chain[0]])
    assert (report.problem, report.code, report.seq) == ("reordered", "ledger.out_of_order", 1)


def test_anchor_detects_truncation_and_rewrites() -> None:
    chain = make_chain([{"n": i} for i in range(5)])
    anchor = (5, chain[-1].hash)
    assert verify_chain(chain, anchor=anchor).ok
    truncated = verify_chain(chain[:3], anchor=anchor)
    assert (truncated.ok, truncated.problem, truncated.head_seq) == (False, "truncated", 3)
    rewritten = make_chain([{"n": i + 100} for i in range(5)])
    report = verify_chain(rewritten, anchor=anchor)
    assert (report.problem, report.code, report.seq) == ("edited", "ledger.anchor_mismatch", 5)


@pytest.mark.parametrize("code", sorted(c for c in CATALOGUE if c.startswith("ledger.")))
def test_every_message_has_both_languages(code: str) -> None:
    assert set(CATALOGUE[code]) == {"en", "ja"}


def test_reports_render_in_japanese() -> None:
    chain = make_chain([{"n": i} for i in range(3)])
    chain[1] = dataclasses.replace(chain[1], kind="forged")
    assert "書き換え" in verify_chain(chain).message("ja")


@settings(max_examples=40, deadline=None)
@given(
    payloads=st.lists(
        st.dictionaries(TEXT(max_size=5), st.integers() | TEXT(max_size=8), max_size=3),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
)
def test_any_single_payload_edit_is_found_at_its_entry(payloads: list[dict], data) -> None:
    chain = make_chain(payloads)
    index = data.draw(st.integers(0, len(chain) - 1))
    edited = {**chain[index].payload, "tampered": True}
    chain[index] = dataclasses.replace(chain[index], payload=edited)
    report = verify_chain(chain)
    assert (report.ok, report.seq, report.problem) == (False, index + 1, "edited")
