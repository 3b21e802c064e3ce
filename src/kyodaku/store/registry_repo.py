"""The versioned registry in the database: apply changes, read any version back.

Rows are valid-time: each entity row says in which registry version it
appeared (``version_added``) and in which it stopped being current
(``version_removed``, NULL while current). A change never updates an entity
row in place; it ends the old row and adds a new one. So the registry *at any
version* is a plain query, without storing a full snapshot per version, and
a decision made "under version 7" can always be re-read exactly as it was.

``position`` keeps declaration order within a section so that exporting
reproduces the imported document. Positions are sparse (steps of
:data:`POSITION_STEP`) so that most edits — appending, removing, changing an
entity in place — move nothing; only entities whose relative order really
changed get a new row (reported as ``moved``).

Every new version is also a ledger entry (kind ``registry.version``), written
in the same transaction.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import Session

from kyodaku.ledger import KIND_REGISTRY_VERSION, format_utc
from kyodaku.registry.exchange import SECTIONS, compute_digest, entity_from_dict, entity_to_dict
from kyodaku.registry.model import Registry
from kyodaku.store.db import exclusive_lock
from kyodaku.store.errors import NotFound, RegistryIntegrityError, StoreError
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.tables import registry_entities, registry_versions
from kyodaku.store.types import utc_now

#: Gap left between neighbouring positions, so later insertions fit between them.
POSITION_STEP = 1024
_POSITION_LIMIT = 2**31 - 1  # INTEGER column on PostgreSQL
_CHUNK = 500  # ids per IN (...) clause
REGISTRY_LOCK = "kyodaku.registry"
CHANGE_KINDS: tuple[str, ...] = ("added", "changed", "removed", "moved")


@dataclass(frozen=True, slots=True)
class SectionChanges:
    """Ids added, changed (new data), removed, or moved (same data, new place) in one section."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.moved)

    def counts(self) -> dict[str, int]:
        return {kind: len(getattr(self, kind)) for kind in CHANGE_KINDS}

    def to_json(self) -> dict[str, Any]:
        return {
            **{kind: list(getattr(self, kind)) for kind in CHANGE_KINDS},
            "counts": self.counts(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SectionChanges:
        return cls(**{kind: tuple(data.get(kind, ())) for kind in CHANGE_KINDS})


@dataclass(frozen=True, slots=True)
class RegistryVersion:
    """One registry version: who made it, when, what changed, and its content digest.

    ``summary`` is the stored JSON, per section: ``{"added": [ids], "changed":
    [ids], "removed": [ids], "moved": [ids], "counts": {"added": n, ...}}``;
    :meth:`changes` gives the same as a :class:`SectionChanges`.
    """

    number: int
    created_at: datetime
    actor: str
    summary: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    digest: str = ""

    def changes(self, section: str) -> SectionChanges:
        return SectionChanges.from_json(self.summary.get(section, {}))

    def counts(self) -> dict[str, dict[str, int]]:
        return {section: self.changes(section).counts() for section in SECTIONS}

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (time as ISO 8601 UTC)."""
        return {
            "number": self.number,
            "created_at": format_utc(self.created_at),
            "actor": self.actor,
            "summary": dict(self.summary),
            "digest": self.digest,
        }


class RegistryStoreError(StoreError):
    """The registry cannot be stored as given (e.g. an id twice in one section)."""


def _version(row: Row[Any]) -> RegistryVersion:
    return RegistryVersion(
        number=row.number,
        created_at=row.created_at,
        actor=row.actor,
        summary=row.summary,
        digest=row.digest,
    )


def _valid_at(number: int) -> Any:
    """Rows that were current in version ``number``."""
    return and_(
        registry_entities.c.version_added <= number,
        or_(
            registry_entities.c.version_removed.is_(None),
            registry_entities.c.version_removed > number,
        ),
    )


def _json_ready(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` exactly as the JSON column will hand it back, for comparing with stored rows."""
    return json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))


class RegistryRepository:
    """Registry versions within one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading ----------------------------------------------------------------
    def head(self) -> RegistryVersion | None:
        """The newest version (cheap: callers poll it to see whether to reload)."""
        row = self.session.execute(
            select(registry_versions).order_by(registry_versions.c.number.desc()).limit(1)
        ).first()
        return _version(row) if row else None

    def version(self, number: int) -> RegistryVersion:
        row = self.session.execute(
            select(registry_versions).where(registry_versions.c.number == number)
        ).first()
        if row is None:
            raise NotFound(f"registry version {number} does not exist")
        return _version(row)

    def history(self) -> list[RegistryVersion]:
        """Every version, oldest first."""
        rows = self.session.execute(select(registry_versions).order_by(registry_versions.c.number))
        return [_version(row) for row in rows]

    def current(self) -> Registry:
        """The registry now, with ``version`` and ``digest`` set (version 0 when empty)."""
        head = self.head()
        if head is None:
            return self._snapshot([], 0, None)
        # Read "as at the head version", not "version_removed IS NULL": on
        # PostgreSQL a version committed between the two queries would
        # otherwise mix its rows with the older head's digest.
        return self._snapshot(self._rows(_valid_at(head.number)), head.number, head.digest)

    def at_version(self, number: int) -> Registry:
        """The registry exactly as it was when version ``number`` was made."""
        if number == 0:
            return self._snapshot([], 0, None)
        recorded = self.version(number)
        return self._snapshot(self._rows(_valid_at(number)), number, recorded.digest)

    def _rows(self, condition: Any) -> list[Row[Any]]:
        query = (
            select(
                registry_entities.c.section,
                registry_entities.c.entity_id,
                registry_entities.c.position,
                registry_entities.c.data,
            )
            .where(condition)
            .order_by(registry_entities.c.section, registry_entities.c.position)
        )
        return list(self.session.execute(query))

    def _snapshot(self, rows: Sequence[Row[Any]], number: int, digest: str | None) -> Registry:
        """Entities from rows, checked against the digest recorded for their version."""
        groups: dict[str, list[Any]] = {s: [] for s in SECTIONS}
        for row in rows:
            groups[row.section].append(entity_from_dict(row.section, row.data))
        registry = Registry(**{s: tuple(groups[s]) for s in SECTIONS})
        computed = compute_digest(registry)
        if digest is not None and computed != digest:
            raise RegistryIntegrityError(
                f"registry version {number}: stored entities have digest {computed}, "
                f"but {digest} was recorded; the registry tables were altered"
            )
        return Registry(**{s: tuple(groups[s]) for s in SECTIONS}, version=number, digest=computed)

    # -- writing ----------------------------------------------------------------
    def apply(
        self, new: Registry, *, actor: str, replace: bool = False, source: str | None = None
    ) -> RegistryVersion | None:
        """Make a new version from ``new``; ``None`` (nothing written) if nothing changed.

        ``replace=False`` merges: entities in ``new`` are added or updated, the
        rest stay. ``replace=True`` makes the registry exactly ``new``,
        removing what it lacks and taking its order. ``new`` must already be
        validated (:mod:`kyodaku.registry.exchange` does that). ``source``
        (e.g. the imported file's name) goes into the version's ledger entry.
        """
        if not actor or not actor.strip():
            raise ValueError("a registry change needs an actor (who made it)")
        LedgerRepository(self.session).lock()  # lock order: ledger first (see ledger_repo)
        exclusive_lock(self.session, REGISTRY_LOCK)
        current = self._current_rows()
        number = self._next_number()
        summary: dict[str, SectionChanges] = {}
        to_end: list[int] = []
        to_insert: list[dict[str, Any]] = []
        for section in SECTIONS:
            incoming = self._incoming(section, getattr(new, section))
            existing = current[section]
            changes, ended, inserted = _diff_section(section, existing, incoming, replace, number)
            summary[section] = changes
            to_end.extend(ended)
            to_insert.extend(inserted)
        if not any(summary.values()):
            return None

        summary_json = {section: changes.to_json() for section, changes in summary.items()}
        final = self._final_registry(current, to_end, to_insert)
        digest = compute_digest(final)
        created_at = utc_now()
        self.session.execute(
            registry_versions.insert().values(
                number=number,
                created_at=created_at,
                actor=actor,
                summary=summary_json,
                digest=digest,
            )
        )
        for start in range(0, len(to_end), _CHUNK):
            self.session.execute(
                registry_entities.update()
                .where(registry_entities.c.pk.in_(to_end[start : start + _CHUNK]))
                .values(version_removed=number)
            )
        if to_insert:
            self.session.execute(registry_entities.insert(), to_insert)
        version = RegistryVersion(number, created_at, actor, summary_json, digest)
        LedgerRepository(self.session).append(
            KIND_REGISTRY_VERSION,
            f"registry:{number}",
            {
                "number": number,
                "actor": actor,
                "digest": digest,
                "replace": replace,
                "source": source,
                "counts": version.counts(),
            },
            at=created_at,
        )
        return version

    def _current_rows(self) -> dict[str, dict[str, Row[Any]]]:
        rows = self.session.execute(
            select(registry_entities).where(registry_entities.c.version_removed.is_(None))
        )
        by_section: dict[str, dict[str, Row[Any]]] = {s: {} for s in SECTIONS}
        for row in rows:
            by_section[row.section][row.entity_id] = row
        return by_section

    def _next_number(self) -> int:
        latest = self.session.execute(select(func.max(registry_versions.c.number))).scalar()
        return (latest or 0) + 1

    @staticmethod
    def _incoming(section: str, entities: Sequence[Any]) -> dict[str, dict[str, Any]]:
        """``{id: data}`` in declaration order; an id twice in a section is refused."""
        incoming: dict[str, dict[str, Any]] = {}
        for entity in entities:
            if entity.id in incoming:
                raise RegistryStoreError(f"{section}: id {entity.id!r} appears twice")
            incoming[entity.id] = _json_ready(entity_to_dict(entity))
        return incoming

    @staticmethod
    def _final_registry(
        current: Mapping[str, Mapping[str, Row[Any]]],
        ended_pks: Sequence[int],
        inserted: Sequence[Mapping[str, Any]],
    ) -> Registry:
        """The registry the new version will hold, to compute its digest before writing."""
        ended = set(ended_pks)
        rows: dict[str, list[tuple[int, str, Mapping[str, Any]]]] = {s: [] for s in SECTIONS}
        for section, by_id in current.items():
            for entity_id, row in by_id.items():
                if row.pk not in ended:
                    rows[section].append((row.position, entity_id, row.data))
        for item in inserted:
            rows[item["section"]].append((item["position"], item["entity_id"], item["data"]))
        return Registry(
            **{
                section: tuple(
                    entity_from_dict(section, data)
                    for _, _, data in sorted(items, key=lambda item: item[0])
                )
                for section, items in rows.items()
            }
        )


def _diff_section(
    section: str,
    existing: Mapping[str, Row[Any]],
    incoming: Mapping[str, Mapping[str, Any]],
    replace: bool,
    number: int,
) -> tuple[SectionChanges, list[int], list[dict[str, Any]]]:
    """What one section's change does: the summary, rows to end, rows to insert."""
    current_positions = {entity_id: row.position for entity_id, row in existing.items()}
    if replace:
        positions = plan_positions(list(incoming), current_positions)
        removed = [entity_id for entity_id in existing if entity_id not in incoming]
    else:
        kept = {i: p for i, p in current_positions.items() if i in incoming}
        fresh = [entity_id for entity_id in incoming if entity_id not in existing]
        last = max(current_positions.values(), default=None)
        positions = {**kept, **dict(zip(fresh, _spread(last, None, len(fresh)), strict=True))}
        removed = []
    added, changed, moved = [], [], []
    ended = [existing[entity_id].pk for entity_id in removed]
    inserted: list[dict[str, Any]] = []
    for entity_id, data in incoming.items():
        old = existing.get(entity_id)
        if old is None:
            added.append(entity_id)
        elif old.data != data:
            changed.append(entity_id)
        elif old.position != positions[entity_id]:
            moved.append(entity_id)
        else:
            continue
        if old is not None:
            ended.append(old.pk)
        inserted.append(
            {
                "section": section,
                "entity_id": entity_id,
                "position": positions[entity_id],
                "data": dict(data),
                "version_added": number,
                "version_removed": None,
            }
        )
    changes = SectionChanges(tuple(added), tuple(changed), tuple(removed), tuple(moved))
    return changes, ended, inserted


def plan_positions(order: Sequence[str], current: Mapping[str, int]) -> dict[str, int]:
    """Positions for ``order`` that keep as many ``current`` positions as possible.

    The entities already present whose current positions are in increasing
    order along ``order`` (a longest increasing subsequence) stay put; the
    others, and new ones, get positions in the gaps between them. When a gap
    is too small, the whole section is renumbered.
    """
    present = [
        (index, current[entity_id]) for index, entity_id in enumerate(order) if entity_id in current
    ]
    anchored = {present[k][0]: present[k][1] for k in _longest_increasing([p for _, p in present])}
    result: dict[str, int] = {}
    pending: list[str] = []
    low: int | None = None
    try:
        for index, entity_id in enumerate(order):
            if index in anchored:
                high = anchored[index]
                result.update(zip(pending, _spread(low, high, len(pending)), strict=True))
                result[entity_id] = high
                pending, low = [], high
            else:
                pending.append(entity_id)
        result.update(zip(pending, _spread(low, None, len(pending)), strict=True))
    except _NoRoom:
        return {entity_id: i * POSITION_STEP for i, entity_id in enumerate(order)}
    return result


class _NoRoom(Exception):
    """Positions do not fit between two neighbours; renumber the section."""


def _spread(low: int | None, high: int | None, count: int) -> list[int]:
    """``count`` increasing positions strictly between ``low`` and ``high`` (None: open end)."""
    if count == 0:
        return []
    if low is None and high is None:
        positions = [i * POSITION_STEP for i in range(count)]
    elif high is None:
        assert low is not None
        positions = [low + i * POSITION_STEP for i in range(1, count + 1)]
    elif low is None:
        positions = [high - i * POSITION_STEP for i in range(count, 0, -1)]
    else:
        step = (high - low) // (count + 1)
        if step < 1:
            raise _NoRoom
        positions = [low + i * step for i in range(1, count + 1)]
    if positions[0] < -_POSITION_LIMIT or positions[-1] > _POSITION_LIMIT:
        raise _NoRoom
    return positions


def _longest_increasing(values: Sequence[int]) -> list[int]:
    """Indices of one longest strictly increasing subsequence of ``values`` (O(n log n))."""
    tails: list[int] = []  # tails[k]: smallest tail value of an increasing run of length k+1
    tail_index: list[int] = []
    parent: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[k] = value
            tail_index[k] = i
        parent[i] = tail_index[k - 1] if k > 0 else -1
    result: list[int] = []
    i = tail_index[-1] if tail_index else -1
    while i != -1:
        result.append(i)
        i = parent[i]
    return result[::-1]
