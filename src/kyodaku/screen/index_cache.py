"""Compiled indexes kept in memory and on disk, keyed by the registry digest.

Compiling a 100,000-character registry takes seconds (readings, keys, the
fuzzy table); loading the compiled tables takes well under that. The digest
(SHA-256 of the canonical export) names the registry version, so a changed
registry compiles afresh and an unchanged one, in any process, loads. Files
are written atomically (temporary file, then rename), so a crash or two
processes compiling at once never leave a torn file; a file that cannot be
read (truncated, older format) is ignored and rebuilt, never trusted.
Files are read with the cyclic garbage collector paused (:func:`paused_gc`).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from kyodaku.registry.model import Registry
from kyodaku.screen.index import INDEX_FORMAT, CompiledIndex, compile_index
from kyodaku.screen.types import Recogniser, RecogniserFactory

#: Environment variable naming the cache folder (else the user cache folder).
CACHE_DIR_ENV = "KYODAKU_CACHE_DIR"
#: Set to "0" to keep compiled indexes in memory only.
DISK_CACHE_ENV = "KYODAKU_SCREEN_DISK_CACHE"


def registry_digest(registry: Registry) -> str:
    """The registry's digest, computed when the snapshot does not carry one."""
    if registry.digest:
        return registry.digest
    from kyodaku.registry.exchange import compute_digest

    return compute_digest(registry)


#: Modules whose code decides what a compiled index contains.
_COMPILER_MODULES = (
    "normalise", "readings", "lexicon", "index", "fuzzy", "automata", "wordlists",
    "glossary", "japanese_words",
)  # fmt: skip


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Short hash of the compiling code: a changed key function never meets an old cache."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _COMPILER_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest()[:12]


def default_cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured) / "screen"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kyodaku")) / "screen"


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False
_gc_froze = False
#: Container objects created during a pause above which the collector is run
#: once at its end: otherwise they all reach the oldest generation together
#: and trigger a full collection (0.2 s on a 100,000-character registry)
#: during one of the first prompts instead.
SETTLE_AFTER_OBJECTS = 50_000


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading or building screening tables.

    Loading and building create millions of objects and free almost none; a
    running collector would walk the growing heap again and again (the
    registry snapshot with it), which cost about half of a cold start. Pauses
    nest and may overlap across threads; the collector is re-enabled when the
    last one ends, if it was enabled when the first began.

    If the pause left many new objects behind (:data:`SETTLE_AFTER_OBJECTS`),
    they are collected once then, and only they: the objects that existed
    before the pause are set aside meanwhile (``gc.freeze``, undone at the
    end; skipped if the application keeps frozen objects of its own).
    """
    global _gc_pauses, _gc_was_enabled, _gc_froze
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
            _gc_froze = _gc_was_enabled and gc.get_freeze_count() == 0
            if _gc_froze:
                gc.freeze()
        _gc_pauses += 1
    try:
        yield
    finally:
        settle = froze = False
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                froze, _gc_froze = _gc_froze, False
                if _gc_was_enabled:
                    settle = gc.get_count()[0] > SETTLE_AFTER_OBJECTS
                    gc.enable()
        if settle:
            gc.collect()
        if froze:
            gc.unfreeze()


def _read(path: Path) -> object:
    """Unpickle one cache file (raises FileNotFoundError when there is none)."""
    with path.open("rb") as f, paused_gc():
        return pickle.load(f)


class CachedOnDisk:
    """Mixin for recognisers worth keeping on disk between processes.

    The pickle leaves out the registry snapshot (the loader holds it already,
    and pickling 100,000 characters twice would double the load time);
    :meth:`IndexCache.recogniser` re-attaches it after loading.
    """

    cacheable = True
    registry: Registry

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["registry"] = None
        return state

    def attach(self, registry: Registry) -> None:
        """Re-attach the registry snapshot a cached recogniser was built from."""
        self.registry = registry


class IndexCache:
    """In-memory LRU of compiled indexes in front of a folder of pickles."""

    def __init__(self, directory: Path | None = None, *, memory_slots: int = 4,
                 disk: bool | None = None) -> None:  # fmt: skip
        self.directory = directory
        self.memory_slots = memory_slots
        self.disk = disk if disk is not None else os.environ.get(DISK_CACHE_ENV, "1") != "0"
        self._memory: OrderedDict[str, CompiledIndex] = OrderedDict()
        self._lock = threading.Lock()

    def path_for(self, digest: str) -> Path:
        directory = self.directory or default_cache_dir()
        return directory / f"index-v{INDEX_FORMAT}-{code_fingerprint()}-{digest}.pickle"

    def get(self, registry: Registry) -> CompiledIndex:
        """The compiled index of ``registry``: memory, else disk, else compile."""
        digest = registry_digest(registry)
        with self._lock:
            cached = self._memory.get(digest)
            if cached is not None:
                self._memory.move_to_end(digest)
                return cached
        index = self.load(digest) if self.disk else None
        if index is None:
            index = compile_index(registry)
            index.digest = digest
            if self.disk:
                self.save(index)
        self._remember(digest, index)
        return index

    def _remember(self, digest: str, index: CompiledIndex) -> None:
        with self._lock:
            self._memory[digest] = index
            self._memory.move_to_end(digest)
            while len(self._memory) > self.memory_slots:
                self._memory.popitem(last=False)

    def load(self, digest: str) -> CompiledIndex | None:
        path = self.path_for(digest)
        try:
            index = _read(path)
        except FileNotFoundError:
            return None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                ValueError, TypeError):  # fmt: skip
            return None  # unreadable or stale: compile afresh
        if not isinstance(index, CompiledIndex) or getattr(index, "format", None) != INDEX_FORMAT:
            return None
        if index.digest != digest:
            return None
        return index

    def save(self, index: CompiledIndex) -> Path | None:
        """Write atomically; a read-only or full disk only costs the next start."""
        return self._write(self.path_for(index.digest), index)

    def recogniser(self, registry: Registry, factory: RecogniserFactory) -> Recogniser:
        """A recogniser for ``registry``: from disk when one was built before, else built.

        Only factories marked ``cacheable`` are kept; the pickle is keyed by the
        registry digest and a hash of the recogniser's own module, and the
        loaded object is re-attached to the registry snapshot (``attach``).
        """
        if not (self.disk and getattr(factory, "cacheable", False)):
            return factory(registry)
        path = self._recogniser_path(registry_digest(registry), factory)
        try:
            cached = _read(path)
            if isinstance(cached, factory):  # type: ignore[arg-type]
                cached.attach(registry)
                return cached
        except FileNotFoundError:
            pass
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                ValueError, TypeError):  # fmt: skip
            pass  # unreadable or stale: build afresh
        built = factory(registry)
        self._write(path, built)
        return built

    def _recogniser_path(self, digest: str, factory: RecogniserFactory) -> Path:
        module = sys.modules[factory.__module__]
        key = hashlib.sha256(Path(module.__file__ or "").read_bytes())
        salt = getattr(factory, "cache_salt", None)
        if salt is not None:  # inputs besides the registry (e.g. dictionary files)
            key.update(salt().encode("utf-8"))
        code = key.hexdigest()[:12]
        directory = self.directory or default_cache_dir()
        name = getattr(factory, "name", factory.__name__)
        return directory / f"recogniser-{name}-{code}-{digest}.pickle"

    def _write(self, path: Path, obj: object) -> Path | None:
        """Write a pickle atomically; a read-only or full disk only costs the next start."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return None
        return path

    def clear_memory(self) -> None:
        with self._lock:
            self._memory.clear()


#: The process-wide cache used by :func:`kyodaku.screen.get_screener`.
DEFAULT_CACHE = IndexCache()
