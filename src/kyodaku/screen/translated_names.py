"""Names translated word by word into Spanish, French, Italian or Portuguese.

A name made of English words is translated, not transliterated: Spider-Man
is "el Hombre Araña", Donald Duck "el Pato Donald", Mickey Mouse "le Souris
Mickey". Read through a bilingual dictionary, "Hombre Araña" is the bag of
words {man, spider}, which is Spider-Man's bag; word order and the little
words between ("el", "de", "du") do not matter.

The dictionaries are FreeDict's (Debian packages ``dict-freedict-spa-eng``,
``-fra-eng``, ``-ita-eng``, ``-por-eng``; dictd format, read offline; no
PyPI package ships a comparable bilingual dictionary). When the registry
is compiled, only the entries whose English glosses are words of a
registered multi-word name, alias or title are kept, so the table is small
and specific to the registry. At screening time runs of two to four words
are compared as bags: every word must be a name word or translate to one,
one at least must be a translation, and one must be capitalised (names are,
in these languages too) for the match to count on its own.

Optional: :func:`available` tells whether the dictionaries are installed;
the engine adds this recogniser only then.
"""

from __future__ import annotations

import gzip
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from kyodaku.registry.model import Registry
from kyodaku.screen.index_cache import CachedOnDisk
from kyodaku.screen.types import Evidence, Span

#: Where Debian installs dictd dictionaries.
DICTD_DIR = Path("/usr/share/dictd")
#: FreeDict dictionaries read (source language → English).
DICTIONARIES: tuple[str, ...] = (
    "freedict-spa-eng", "freedict-fra-eng", "freedict-ita-eng", "freedict-por-eng",
)  # fmt: skip
#: Articles, prepositions and conjunctions that may stand between translated words.
FUNCTION_WORDS = frozenset(
    [
        *("el", "la", "los", "las", "lo", "de", "del", "y", "un", "una", "al"),
        *("le", "les", "l", "d", "du", "des", "et", "une", "au", "aux"),
        *("il", "gli", "i", "di", "della", "dello", "dei", "degli", "e", "uno"),
        *("o", "a", "os", "as", "do", "da", "dos", "das", "um", "uma"),
    ]
)
#: English words of a registered name that a translation drops or renders
#: as a function word ("The Dark Knight" → "el Caballero Oscuro").
_ENGLISH_LINKS = frozenset(["the", "of", "a", "an", "and"])
MIN_WORDS = 2
MAX_WORDS = 4
#: Score of a capitalised translated name; a lower-case one only corroborates.
CAPITALISED_SCORE = 0.6
LOWER_CASE_SCORE = 0.35

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SENSE_NUMBER = re.compile(r"^\s*\d+\.\s*")


class DictionaryFormatError(ValueError):
    """A dictd file does not have the expected layout."""


def _b64(text: str) -> int:
    value = 0
    for ch in text:
        digit = _B64.find(ch)
        if digit < 0:
            raise DictionaryFormatError(f"bad dictd offset {text!r}")
        value = value * 64 + digit
    return value


def dictionary_paths(directory: Path = DICTD_DIR) -> list[tuple[Path, Path]]:
    """(index, data) pairs of the installed dictionaries."""
    pairs = []
    for name in DICTIONARIES:
        index, data = directory / f"{name}.index", directory / f"{name}.dict.dz"
        if index.is_file() and data.is_file():
            pairs.append((index, data))
    return pairs


def available(directory: Path = DICTD_DIR) -> bool:
    """Whether any of the bilingual dictionaries is installed."""
    return bool(dictionary_paths(directory))


def read_dictd(index: Path, data: Path) -> Iterable[tuple[str, list[str]]]:
    """(headword, one-word English glosses) for every entry of a dictd dictionary."""
    body = gzip.decompress(data.read_bytes())
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            raise DictionaryFormatError(f"{index}: bad index line {line!r}")
        headword, offset, length = parts
        if headword.startswith("00database"):
            continue
        start = _b64(offset)
        entry = body[start : start + _b64(length)].decode("utf-8", errors="replace")
        yield headword, _glosses(entry)


def _glosses(entry: str) -> list[str]:
    """One-word glosses of an entry body (the first line is the headword's)."""
    out: list[str] = []
    for line in entry.splitlines()[1:]:
        for gloss in re.split(r"[,;]", _SENSE_NUMBER.sub("", line)):
            words = gloss.split()
            if len(words) == 1 and words[0].isalpha():
                out.append(words[0].lower())
    return out


@lru_cache(maxsize=4)
def _all_glosses(directory: Path) -> dict[str, frozenset[str]]:
    """Folded foreign word → its one-word English glosses, all dictionaries merged."""
    merged: dict[str, set[str]] = {}
    for index, data in dictionary_paths(directory):
        for headword, glosses in read_dictd(index, data):
            if glosses:
                merged.setdefault(_fold_word(headword), set()).update(glosses)
    return {word: frozenset(glosses) for word, glosses in merged.items()}


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """Case and accents folded ("Araña" → "arana"), the same on both sides."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: (asset id, registered form): plain tuples, which unpickle without a
#: Python-level call each (a cached recogniser holds tens of thousands).
_Name = tuple[str, str]


class TranslatedNameRecogniser(CachedOnDisk):
    """Multi-word registered names translated word by word (see module docs)."""

    #: Reading the dictionaries takes about a second, so the screening cache
    #: keeps the built recogniser on disk, keyed also by the dictionaries' files.
    name = "translation"

    @staticmethod
    def cache_salt() -> str:
        """Which dictionary files a cached copy was built from (size and time)."""
        parts = []
        for index, data in dictionary_paths(DICTD_DIR):
            for path in (index, data):
                stat = path.stat()
                parts.append(f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}")
        return ";".join(parts)

    def __init__(self, registry: Registry, directory: Path = DICTD_DIR) -> None:
        self.registry = registry
        names: dict[frozenset[str], list[_Name]] = {}
        for asset_id, form in _latin_names(registry):
            words = [
                w for w in (_fold_word(w) for w in _WORD.findall(form)) if w not in _ENGLISH_LINKS
            ]
            if not MIN_WORDS <= len(words) <= MAX_WORDS or len(set(words)) != len(words):
                continue
            names.setdefault(frozenset(words), []).append((asset_id, form))
        vocabulary = frozenset().union(*names) if names else frozenset()
        glosses = {
            word: kept
            for word, glosses in _all_glosses(directory).items()
            if (kept := glosses & vocabulary) and word not in vocabulary
        }
        # Only names with a word some dictionary translates can ever match:
        # keep those alone, so the cached recogniser stays small and loads fast.
        translatable = frozenset().union(*glosses.values()) if glosses else frozenset()
        self._names = {bag: found for bag, found in names.items() if bag & translatable}
        self._vocabulary = frozenset().union(*self._names) if self._names else frozenset()
        self._glosses = {
            word: kept for word, found in glosses.items() if (kept := found & self._vocabulary)
        }

    def find(self, prompt: str) -> list[Evidence]:
        if not self._glosses:
            return []
        words: list[tuple[int, int, str]] = []
        folded: list[str] = []
        for m in _WORD.finditer(prompt):
            word = _fold_word(m.group())
            if word not in FUNCTION_WORDS:
                words.append((m.start(), m.end(), m.group()))
                folded.append(word)
        if len(words) < MIN_WORDS or not any(w in self._glosses for w in folded):
            return []  # nothing translates to a name word: the usual case, made cheap
        options = [self._options(word) for word in folded]
        best: dict[str, Evidence] = {}
        for first in range(len(words)):
            for size in range(MIN_WORDS, MAX_WORDS + 1):
                window = range(first, first + size)
                if window.stop > len(words) or not all(options[i] for i in window):
                    break
                for evidence in self._window(prompt, words, options, window):
                    held = best.get(evidence.asset_id)
                    if held is None or evidence.score > held.score:
                        best[evidence.asset_id] = evidence
        return list(best.values())

    def _options(self, word: str) -> list[tuple[str, bool]]:
        """(name word, translated?) that a prompt word may stand for."""
        out = [(w, True) for w in sorted(self._glosses.get(word, ()))]
        if word in self._vocabulary:
            out.append((word, False))
        return out

    def _window(
        self,
        prompt: str,
        words: Sequence[tuple[int, int, str]],
        options: Sequence[list[tuple[str, bool]]],
        window: range,
    ) -> list[Evidence]:
        out: list[Evidence] = []
        for choice in itertools.product(*(options[i] for i in window)):
            bag = frozenset(word for word, _ in choice)
            if len(bag) != len(window) or not any(translated for _, translated in choice):
                continue
            for asset_id, form in self._names.get(bag, ()):
                capitalised = any(words[i][2][:1].isupper() for i in window)
                start, end = words[window.start][0], words[window.stop - 1][1]
                out.append(
                    Evidence(
                        asset_id=asset_id,
                        recogniser=self.name,
                        kind="translation",
                        span=Span(start, end),
                        matched=form,
                        score=CAPITALISED_SCORE if capitalised else LOWER_CASE_SCORE,
                        detail=(
                            f"'{prompt[start:end]}' translates word by word to registered '{form}'"
                        ),
                    )
                )
        return out


def _latin_names(registry: Registry) -> Iterable[tuple[str, str]]:
    """(asset id, form) of every Latin-script name, alias and title."""
    for work in registry.works:
        for title in work.all_titles:
            if any(c.isalpha() and c.isascii() for c in title):
                yield work.id, title
    for character in registry.characters:
        for form in (*character.all_names, *character.aliases):
            if any(c.isalpha() and c.isascii() for c in form):
                yield character.id, form
