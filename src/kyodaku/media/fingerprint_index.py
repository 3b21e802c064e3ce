"""An index of PDQ hashes that answers "which references does this frame resemble?".

The search itself is FAISS's (binary indexes, Hamming distance); this module adds what
FAISS does not keep: who each hash belongs to. A hash is stored once however many
references share it (black frames, shared intros, the same still in two clips), with an
owner list per stored hash. Owners are columns of numpy arrays rather than Python objects
so that an index of millions of hashes loads in a fraction of a second.

Two FAISS structures are offered (measured over one million 256-bit hashes on 2 busy cores;
see benchmarks/matching.py):

* ``"multihash"`` (default): IndexBinaryMultiHash with 21 tables of 12 bits. It finds a
  stored hash that agrees exactly on one 12-bit chunk, which is certain up to 20 bits apart
  and, measured, 0.995 at 31 and 0.99 at 36 bits; about 16-18 ms for the 20 hashes of a
  10-second query. (16 tables of 16 bits are ten times faster but find only 0.79 at 36.)
* ``"flat"``: exhaustive and exact, 25-50 ms for the same 20 hashes depending on load;
  builds and loads instantly. Use it for small indexes or to check the other.

The index is persisted as a single ``.npz`` file written atomically (temporary file, then
rename), so a reader never sees half an index. Adding references after loading extends the
FAISS structure in place; nothing is rebuilt.

The same class serves two instances: reference media of registered assets, and the
fingerprints of every released video (so that a copy found elsewhere can be traced).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

import faiss
import numpy as np

from kyodaku.media.fingerprint import HASH_BITS, HASH_BYTES

IndexKind = Literal["multihash", "flat"]
INDEX_KINDS: tuple[IndexKind, ...] = ("multihash", "flat")
MULTIHASH_TABLES = 21
MULTIHASH_BITS = 12
FORMAT_VERSION = 1
_NONE = -1  # "no asset" in the asset column; "no next entry" in the owner chains


class IndexFileError(Exception):
    """An index file is missing, unreadable or not a kyodaku fingerprint index."""


class HashOwner(NamedTuple):
    """Where a stored hash came from.

    ``reference_id`` names the reference media (or, in the index of released videos, the
    generation); ``asset_id`` the registered work or character it depicts, when known.
    """

    reference_id: str
    t_seconds: float
    variant: str
    asset_id: str | None = None


@dataclass(frozen=True)
class IndexHit:
    """One owner of a stored hash within the searched distance of a query hash."""

    owner: HashOwner
    distance: int


class _Column:
    """A growable 1-D numpy array (amortised O(1) append of batches)."""

    def __init__(self, dtype: np.dtype | type, data: np.ndarray | None = None) -> None:
        self._data = np.empty(1024, dtype) if data is None else np.array(data, dtype=dtype)
        self.size = 0 if data is None else len(data)

    def extend(self, values: np.ndarray) -> None:
        needed = self.size + len(values)
        if needed > len(self._data):
            grown = np.empty(max(needed, 2 * len(self._data)), self._data.dtype)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : needed] = values
        self.size = needed

    @property
    def view(self) -> np.ndarray:
        """The filled part (writes go through to the column)."""
        return self._data[: self.size]


class _Names:
    """Interned strings: a column stores small integers instead of repeated ids."""

    def __init__(self, names: Sequence[str] = ()) -> None:
        self.names: list[str] = list(names)
        self._codes = {name: code for code, name in enumerate(self.names)}

    def code(self, name: str) -> int:
        found = self._codes.get(name)
        if found is None:
            found = self._codes[name] = len(self.names)
            self.names.append(name)
        return found

    def find(self, name: str) -> int | None:
        return self._codes.get(name)


class FingerprintIndex:
    """PDQ hashes with owners, searchable by Hamming distance."""

    def __init__(self, kind: IndexKind = "multihash") -> None:
        if kind not in INDEX_KINDS:
            raise ValueError(f"unknown index kind {kind!r}; choose one of {INDEX_KINDS}")
        self.kind: IndexKind = kind
        self._faiss = _new_faiss_index(kind)
        self._codes = _Column(np.uint8)  # flattened: HASH_BYTES per stored hash
        self._first_entry = _Column(np.int64)  # per stored hash: newest owner entry
        self._entry_code = _Column(np.int64)  # per owner entry: its stored hash
        self._entry_next = _Column(np.int64)  # per owner entry: older entry of the same hash
        self._entry_reference = _Column(np.int32)
        self._entry_asset = _Column(np.int32)
        self._entry_variant = _Column(np.int32)
        self._entry_t = _Column(np.float64)
        self._entry_live = _Column(np.bool_)
        self._references = _Names()
        self._assets = _Names()
        self._variants = _Names()
        self._code_of_hash: dict[bytes, int] | None = {}

    # -- size -----------------------------------------------------------------------------

    def __len__(self) -> int:
        """Number of live (hash, owner) entries."""
        return int(self._entry_live.view.sum())

    @property
    def stored_hashes(self) -> int:
        """Number of distinct hashes held by FAISS (dead ones included until compaction)."""
        return self._first_entry.size

    def reference_ids(self) -> set[str]:
        """References with at least one live entry."""
        live = self._entry_reference.view[self._entry_live.view]
        return {self._references.names[code] for code in np.unique(live)}

    # -- adding and removing ---------------------------------------------------------------

    def add(self, entries: Iterable[tuple[bytes, HashOwner]]) -> int:
        """Add (hash, owner) pairs; returns how many new distinct hashes FAISS received.

        Adding the same (hash, owner) twice stores it twice; callers add a reference once.
        """
        code_of_hash = self._hash_lookup()
        new_codes: list[bytes] = []
        entry_codes: list[int] = []
        references: list[int] = []
        assets: list[int] = []
        variants: list[int] = []
        times: list[float] = []
        for hash_bytes, owner in entries:
            if len(hash_bytes) != HASH_BYTES:
                raise ValueError(f"a PDQ hash has {HASH_BYTES} bytes, got {len(hash_bytes)}")
            code = code_of_hash.get(hash_bytes)
            if code is None:
                code = code_of_hash[hash_bytes] = self.stored_hashes + len(new_codes)
                new_codes.append(hash_bytes)
            entry_codes.append(code)
            references.append(self._references.code(owner.reference_id))
            assets.append(_NONE if owner.asset_id is None else self._assets.code(owner.asset_id))
            variants.append(self._variants.code(owner.variant))
            times.append(float(owner.t_seconds))
        if new_codes:
            packed = np.frombuffer(b"".join(new_codes), np.uint8)
            self._faiss.add(packed.reshape(-1, HASH_BYTES))
            self._codes.extend(packed)
            self._first_entry.extend(np.full(len(new_codes), _NONE, np.int64))
        self._append_entries(np.array(entry_codes, np.int64), references, assets, variants, times)
        return len(new_codes)

    def _append_entries(
        self,
        codes: np.ndarray,
        references: list[int],
        assets: list[int],
        variants: list[int],
        times: list[float],
    ) -> None:
        first_id = self._entry_code.size
        self._entry_code.extend(codes)
        self._entry_reference.extend(np.array(references, np.int32))
        self._entry_asset.extend(np.array(assets, np.int32))
        self._entry_variant.extend(np.array(variants, np.int32))
        self._entry_t.extend(np.array(times, np.float64))
        self._entry_live.extend(np.ones(len(codes), np.bool_))
        # chain each new entry in front of its hash's older entries
        first = self._first_entry.view
        nexts = np.empty(len(codes), np.int64)
        for offset, code in enumerate(codes.tolist()):
            nexts[offset] = first[code]
            first[code] = first_id + offset
        self._entry_next.extend(nexts)

    def remove_reference(self, reference_id: str) -> int:
        """Stop reporting a reference's hashes; returns how many entries were removed.

        FAISS keeps the vectors (binary indexes cannot delete in place); hits on hashes
        with no live owner are dropped. ``compacted()`` rebuilds without them.
        """
        code = self._references.find(reference_id)
        if code is None:
            return 0
        doomed = (self._entry_reference.view == code) & self._entry_live.view
        self._entry_live.view[doomed] = False
        return int(doomed.sum())

    def compacted(self) -> FingerprintIndex:
        """A new index holding only live entries (after many removals)."""
        fresh = FingerprintIndex(self.kind)
        fresh.add(self._live_pairs())
        return fresh

    def _live_pairs(self) -> Iterable[tuple[bytes, HashOwner]]:
        codes = self._codes.view.reshape(-1, HASH_BYTES)
        for entry in np.flatnonzero(self._entry_live.view).tolist():
            yield codes[self._entry_code.view[entry]].tobytes(), self._owner(entry)

    def _hash_lookup(self) -> dict[bytes, int]:
        """hash bytes -> stored position; built lazily so search-only loads stay fast."""
        if self._code_of_hash is None:
            codes = self._codes.view.reshape(-1, HASH_BYTES)
            self._code_of_hash = {row.tobytes(): code for code, row in enumerate(codes)}
        return self._code_of_hash

    # -- searching -----------------------------------------------------------------------

    def search(self, hashes: Sequence[bytes], max_distance: int) -> list[list[IndexHit]]:
        """For each query hash, every live owner of a stored hash within ``max_distance``.

        Hits of one query come closest first. With ``kind="multihash"`` a hash more than
        20 bits away is found with high probability but not certainly (module docstring).
        """
        if not 0 <= max_distance < HASH_BITS:
            raise ValueError(f"max_distance must lie in 0..{HASH_BITS - 1}, got {max_distance}")
        if not hashes:
            return []
        for hash_bytes in hashes:
            if len(hash_bytes) != HASH_BYTES:
                raise ValueError(f"a PDQ hash has {HASH_BYTES} bytes, got {len(hash_bytes)}")
        if self.stored_hashes == 0:
            return [[] for _ in hashes]
        queries = np.frombuffer(b"".join(hashes), np.uint8).reshape(-1, HASH_BYTES)
        # FAISS returns distances strictly below the radius
        limits, distances, codes = self._faiss.range_search(queries, max_distance + 1)
        results: list[list[IndexHit]] = []
        for query in range(len(hashes)):
            start, stop = int(limits[query]), int(limits[query + 1])
            order = np.argsort(distances[start:stop], kind="stable") + start
            hits: list[IndexHit] = []
            for position in order.tolist():
                distance = int(distances[position])
                entry = int(self._first_entry.view[codes[position]])
                while entry != _NONE:
                    if self._entry_live.view[entry]:
                        hits.append(IndexHit(self._owner(entry), distance))
                    entry = int(self._entry_next.view[entry])
            results.append(hits)
        return results

    def _owner(self, entry: int) -> HashOwner:
        asset = int(self._entry_asset.view[entry])
        return HashOwner(
            reference_id=self._references.names[int(self._entry_reference.view[entry])],
            t_seconds=float(self._entry_t.view[entry]),
            variant=self._variants.names[int(self._entry_variant.view[entry])],
            asset_id=None if asset == _NONE else self._assets.names[asset],
        )

    # -- persistence ---------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to one ``.npz`` file, atomically replacing any previous one."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        arrays = {
            "format_version": np.array(FORMAT_VERSION),
            "kind": np.array(self.kind),
            "faiss": faiss.serialize_index_binary(self._faiss),
            "codes": self._codes.view,
            "first_entry": self._first_entry.view,
            "entry_code": self._entry_code.view,
            "entry_next": self._entry_next.view,
            "entry_reference": self._entry_reference.view,
            "entry_asset": self._entry_asset.view,
            "entry_variant": self._entry_variant.view,
            "entry_t": self._entry_t.view,
            "entry_live": self._entry_live.view,
            "references": np.array(self._references.names, dtype=np.str_),
            "assets": np.array(self._assets.names, dtype=np.str_),
            "variants": np.array(self._variants.names, dtype=np.str_),
        }
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez(stream, **arrays)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> FingerprintIndex:
        """Read an index written by ``save``."""
        source = Path(path)
        try:
            data = source.read_bytes()
        except FileNotFoundError as exc:
            raise IndexFileError(f"{source}: no such index file") from exc
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                return cls._from_arrays({name: arrays[name] for name in arrays.files}, source)
        except IndexFileError:
            raise
        except (ValueError, KeyError, OSError, RuntimeError) as exc:
            raise IndexFileError(f"{source}: not a readable fingerprint index ({exc})") from exc

    @classmethod
    def _from_arrays(cls, arrays: dict[str, np.ndarray], source: Path) -> FingerprintIndex:
        version = int(arrays["format_version"])
        if version != FORMAT_VERSION:
            raise IndexFileError(
                f"{source}: index format {version}, this version reads {FORMAT_VERSION}"
            )
        kind = str(arrays["kind"])
        if kind not in INDEX_KINDS:
            raise IndexFileError(f"{source}: unknown index kind {kind!r}")
        index = cls(kind)  # type: ignore[arg-type]
        index._faiss = faiss.deserialize_index_binary(arrays["faiss"])
        index._codes = _Column(np.uint8, arrays["codes"])
        for name in ("first_entry", "entry_code", "entry_next"):
            setattr(index, f"_{name}", _Column(np.int64, arrays[name]))
        for name in ("entry_reference", "entry_asset", "entry_variant"):
            setattr(index, f"_{name}", _Column(np.int32, arrays[name]))
        index._entry_t = _Column(np.float64, arrays["entry_t"])
        index._entry_live = _Column(np.bool_, arrays["entry_live"])
        index._references = _Names(arrays["references"].tolist())
        index._assets = _Names(arrays["assets"].tolist())
        index._variants = _Names(arrays["variants"].tolist())
        index._code_of_hash = None
        if index._faiss.ntotal != index.stored_hashes or index._codes.size != (
            index.stored_hashes * HASH_BYTES
        ):
            raise IndexFileError(f"{source}: FAISS index and owner table disagree in size")
        return index


def _new_faiss_index(kind: IndexKind) -> faiss.IndexBinary:
    if kind == "multihash":
        return faiss.IndexBinaryMultiHash(HASH_BITS, MULTIHASH_TABLES, MULTIHASH_BITS)
    return faiss.IndexBinaryFlat(HASH_BITS)
