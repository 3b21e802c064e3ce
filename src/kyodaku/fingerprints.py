"""The two fingerprint indexes the gateway keeps: reference media, released videos.

The database is the source of truth (hashes are rows); the FAISS index is a
cache of it on disk, so that a process starts without re-reading millions of
rows. The cache remembers the highest hash row id it holds: new rows since
then are added incrementally, and a removal (fewer rows than expected)
rebuilds it from the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import Engine

from kyodaku.media.fingerprint_index import FingerprintIndex, HashOwner, IndexFileError
from kyodaku.store.db import session_scope
from kyodaku.store.references_repo import ReferenceRepository, StoredHash

OwnerKind = Literal["reference", "generation"]


class FingerprintIndexCache:
    """A FAISS index over one owner kind's hashes, kept in step with the database."""

    def __init__(self, engine: Engine, directory: Path, owner_kind: OwnerKind) -> None:
        self.engine = engine
        self.owner_kind = owner_kind
        self.path = directory / f"{owner_kind}s.npz"
        self.marker_path = directory / f"{owner_kind}s.json"
        self._index: FingerprintIndex | None = None
        self._max_id = 0
        self._count = 0

    def index(self) -> FingerprintIndex:
        """The index, brought up to date with the database."""
        with session_scope(self.engine, read_only=True) as session:
            repo = ReferenceRepository(session)
            max_id, count = repo.hash_stats(self.owner_kind)
            if self._index is None:
                self._load_from_disk()
            if self._index is not None and count == self._count + self._rows_after(repo, max_id):
                if max_id > self._max_id:
                    self._add_rows(repo, after=self._max_id)
                    self._save()
                return self._index
            self._rebuild(repo)
            self._save()
            assert self._index is not None
            return self._index

    # -- internals --------------------------------------------------------------------
    def _rows_after(self, repo: ReferenceRepository, max_id: int) -> int:
        if max_id <= self._max_id:
            return 0
        return repo.hash_count_after(self.owner_kind, self._max_id)

    def _load_from_disk(self) -> None:
        try:
            marker = json.loads(self.marker_path.read_text(encoding="utf-8"))
            self._index = FingerprintIndex.load(self.path)
            self._max_id, self._count = int(marker["max_id"]), int(marker["count"])
        except (OSError, ValueError, KeyError, IndexFileError):
            self._index, self._max_id, self._count = None, 0, 0

    def _rebuild(self, repo: ReferenceRepository) -> None:
        self._index, self._max_id, self._count = FingerprintIndex(), 0, 0
        self._add_rows(repo, after=0)

    def _add_rows(self, repo: ReferenceRepository, after: int) -> None:
        assert self._index is not None
        assets = repo.reference_assets() if self.owner_kind == "reference" else {}
        for batch in repo.iter_hashes(self.owner_kind, after_id=after):
            self._index.add(self._entries(batch, assets))
            self._max_id = max(self._max_id, batch[-1].id)
            self._count += len(batch)

    def _entries(
        self, batch: Iterable[StoredHash], assets: dict[str, str]
    ) -> Iterable[tuple[bytes, HashOwner]]:
        for row in batch:
            yield (
                row.hash,
                HashOwner(row.owner_id, row.t_seconds, row.variant, assets.get(row.owner_id)),
            )

    def _save(self) -> None:
        assert self._index is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._index.save(self.path)
        marker = {"max_id": self._max_id, "count": self._count}
        self.marker_path.write_text(json.dumps(marker), encoding="utf-8")
