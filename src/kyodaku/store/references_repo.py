"""Reference media and perceptual fingerprints.

Rights holders register reference images and videos of their assets; each is
stored as metadata plus its PDQ hashes (32 bytes each, per sampled frame and
variant such as ``orig`` or ``flip``). Generated videos' hashes are stored the
same way, so a claim can compare both. The matcher keeps a FAISS index in
memory and rebuilds it from :meth:`ReferenceRepository.iter_hashes`, which
streams in batches so millions of hashes never sit in one result set.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import Row, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kyodaku.ledger import KIND_REFERENCE_ADDED, KIND_REFERENCE_REMOVED
from kyodaku.store.errors import DuplicateRecord, NotFound
from kyodaku.store.ids import new_id
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.tables import fingerprints, reference_media
from kyodaku.store.types import utc_now

MediaKind = Literal["image", "video"]
OwnerKind = Literal["reference", "generation"]
HASH_BYTES = 32


@dataclass(frozen=True, slots=True)
class FrameHash:
    """One perceptual hash to store: where in the media, which variant, how reliable."""

    t_seconds: float
    variant: str
    hash: bytes
    quality: int


@dataclass(frozen=True, slots=True)
class StoredHash:
    """A stored hash with its owner, as read back."""

    id: int
    owner_kind: str
    owner_id: str
    t_seconds: float
    variant: str
    hash: bytes
    quality: int


@dataclass(frozen=True, slots=True)
class ReferenceMedia:
    id: str
    asset_id: str
    added_by: str
    filename: str
    sha256: str
    media_kind: str
    width: int
    height: int
    duration: float | None
    frame_count: int | None
    added_at: datetime


def _stored(row: Row[Any]) -> StoredHash:
    return StoredHash(
        id=row.id,
        owner_kind=row.owner_kind,
        owner_id=row.owner_id,
        t_seconds=row.t_seconds,
        variant=row.variant,
        hash=bytes(row.hash),
        quality=row.quality,
    )


class ReferenceRepository:
    """Reference media and fingerprints within one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_reference(
        self,
        *,
        asset_id: str,
        added_by: str,
        filename: str,
        sha256: str,
        media_kind: MediaKind,
        width: int,
        height: int,
        hashes: Sequence[FrameHash],
        duration: float | None = None,
        frame_count: int | None = None,
        at: datetime | None = None,
    ) -> ReferenceMedia:
        """Register a reference file for ``asset_id`` together with its hashes (all or nothing).

        The same file (by SHA-256) twice for one asset raises
        :class:`DuplicateRecord`. A reference without hashes is refused: it
        could never be matched, so storing it would only look like protection.
        """
        if media_kind not in get_args(MediaKind):
            raise ValueError(f"media kind {media_kind!r} is neither 'image' nor 'video'")
        if not hashes:
            raise ValueError(f"reference {filename!r} has no fingerprints to match against")
        reference = ReferenceMedia(
            id=new_id(),
            asset_id=asset_id,
            added_by=added_by,
            filename=filename,
            sha256=sha256,
            media_kind=media_kind,
            width=width,
            height=height,
            duration=duration,
            frame_count=frame_count,
            added_at=at or utc_now(),
        )
        ledger = LedgerRepository(self.session)
        ledger.lock()  # before the insert: lock order, see kyodaku.store.ledger_repo
        try:
            with self.session.begin_nested():
                self.session.execute(
                    reference_media.insert().values(
                        **{name: getattr(reference, name) for name in reference.__slots__}
                    )
                )
                self._add_hashes("reference", reference.id, hashes)
                ledger.append(
                    KIND_REFERENCE_ADDED,
                    asset_id,
                    {
                        "reference_id": reference.id,
                        "asset_id": asset_id,
                        "added_by": added_by,
                        "sha256": sha256,
                        "media_kind": media_kind,
                        "hash_count": len(hashes),
                    },
                    at=reference.added_at,
                )
        except IntegrityError as exc:
            if self._find(asset_id, sha256) is not None:
                raise DuplicateRecord(
                    f"{filename!r} (sha256 {sha256}) is already a reference of {asset_id}"
                ) from exc
            raise
        return reference

    def add_generation_hashes(self, generation_id: str, hashes: Sequence[FrameHash]) -> int:
        """Store a generated video's hashes; returns how many were stored."""
        return self._add_hashes("generation", generation_id, hashes)

    def remove_reference(self, reference_id: str, *, actor: str) -> None:
        """Delete a reference and its hashes (e.g. the rights holder withdrew it)."""
        ledger = LedgerRepository(self.session)
        ledger.lock()
        reference = self.get(reference_id)
        self.session.execute(
            fingerprints.delete().where(
                fingerprints.c.owner_kind == "reference",
                fingerprints.c.owner_id == reference_id,
            )
        )
        self.session.execute(reference_media.delete().where(reference_media.c.id == reference_id))
        ledger.append(
            KIND_REFERENCE_REMOVED,
            reference.asset_id,
            {"reference_id": reference_id, "asset_id": reference.asset_id, "actor": actor},
        )

    def get(self, reference_id: str) -> ReferenceMedia:
        row = self.session.execute(
            select(reference_media).where(reference_media.c.id == reference_id)
        ).first()
        if row is None:
            raise NotFound(f"no reference media {reference_id!r}")
        return ReferenceMedia(**row._asdict())

    def references_of(self, asset_id: str) -> list[ReferenceMedia]:
        rows = self.session.execute(
            select(reference_media)
            .where(reference_media.c.asset_id == asset_id)
            .order_by(reference_media.c.added_at, reference_media.c.id)
        )
        return [ReferenceMedia(**row._asdict()) for row in rows]

    def _find(self, asset_id: str, sha256: str) -> ReferenceMedia | None:
        row = self.session.execute(
            select(reference_media).where(
                reference_media.c.asset_id == asset_id, reference_media.c.sha256 == sha256
            )
        ).first()
        return ReferenceMedia(**row._asdict()) if row else None

    def hashes_of(self, owner_kind: OwnerKind, owner_id: str) -> list[StoredHash]:
        """One owner's hashes in time order."""
        rows = self.session.execute(
            select(fingerprints)
            .where(fingerprints.c.owner_kind == owner_kind, fingerprints.c.owner_id == owner_id)
            .order_by(fingerprints.c.t_seconds, fingerprints.c.variant, fingerprints.c.id)
        )
        return [_stored(row) for row in rows]

    def hash_stats(self, owner_kind: OwnerKind) -> tuple[int, int]:
        """``(highest row id, row count)`` of one owner kind's hashes (0, 0 when none)."""
        row = self.session.execute(
            select(func.max(fingerprints.c.id), func.count()).where(
                fingerprints.c.owner_kind == owner_kind
            )
        ).one()
        return int(row[0] or 0), int(row[1])

    def hash_count_after(self, owner_kind: OwnerKind, after_id: int) -> int:
        """How many of one owner kind's hashes have a row id above ``after_id``."""
        return int(
            self.session.execute(
                select(func.count()).where(
                    fingerprints.c.owner_kind == owner_kind, fingerprints.c.id > after_id
                )
            ).scalar_one()
        )

    def reference_assets(self) -> dict[str, str]:
        """Reference id → asset id, for every registered reference."""
        rows = self.session.execute(select(reference_media.c.id, reference_media.c.asset_id))
        return {row.id: row.asset_id for row in rows}

    def iter_hashes(
        self,
        owner_kind: OwnerKind | None = "reference",
        batch_size: int = 10_000,
        *,
        after_id: int = 0,
    ) -> Iterator[list[StoredHash]]:
        """All hashes (of one owner kind, or all with ``None``) in batches, by id.

        Keyset pagination: each batch is its own short query, so the
        connection is not held by a huge cursor while an index is built.
        ``after_id`` resumes after a row id (to top up a cached index).
        """
        after = after_id
        while True:
            query = select(fingerprints).where(fingerprints.c.id > after)
            if owner_kind is not None:
                query = query.where(fingerprints.c.owner_kind == owner_kind)
            query = query.order_by(fingerprints.c.id).limit(batch_size)
            batch = [_stored(row) for row in self.session.execute(query)]
            if not batch:
                return
            yield batch
            if len(batch) < batch_size:
                return
            after = batch[-1].id

    def _add_hashes(self, owner_kind: str, owner_id: str, hashes: Sequence[FrameHash]) -> int:
        rows = []
        for i, item in enumerate(hashes):
            if not isinstance(item.hash, bytes | bytearray) or len(item.hash) != HASH_BYTES:
                raise ValueError(
                    f"hash #{i} of {owner_kind} {owner_id} is not {HASH_BYTES} bytes "
                    "(pack PDQ's 256 bits before storing)"
                )
            rows.append(
                {
                    "owner_kind": owner_kind,
                    "owner_id": owner_id,
                    "t_seconds": float(item.t_seconds),
                    "variant": item.variant,
                    "hash": bytes(item.hash),
                    "quality": int(item.quality),
                }
            )
        if rows:
            self.session.execute(fingerprints.insert(), rows)
        return len(rows)
