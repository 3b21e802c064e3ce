"""Near misses of names: "Pikachoo", "Charizrd", "Mraio", "Eren Yaeger".

Comparing every window of a prompt with every registered name would cost
100,000 comparisons a word. Candidates come from an index instead: the
symmetric-delete scheme (SymSpell). Every Latin key of length ≥
:data:`MIN_KEY` is stored with each of its one-letter deletions; a window of
the prompt looks up its own deletions, which finds every key within one edit
(insertion, deletion, substitution, adjacent transposition). Keys are the
coarse phonetic keys of :mod:`kyodaku.screen.normalise`, which already absorb
doubled letters, long vowels and l/r or v/b swaps, so one edit on a key
covers most misspellings. Candidates are then measured with rapidfuzz's
optimal string alignment distance (a swap of two adjacent letters, "Kriby",
is one edit) against a budget that grows with the length of the key
(:func:`allowed_distance`).

Merging doubled letters can hide a one-letter slip: "Dedde" (one "e" left
out of "Dedede") keys to "tete", two letters short of "tetete". A window
whose key merged a typed double is therefore also looked up with that
letter written twice (:func:`_undoubled`), which is how it was typed.

The table is numpy arrays (CRC-32 of each deletion, sorted; the key it
came from; where each bucket of hash prefixes starts), so it pickles
compactly and loads in milliseconds. A CRC
collision only adds a candidate that the rapidfuzz check then rejects.
"""

from __future__ import annotations

import bisect
import re
import zlib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import OSA, Levenshtein

from kyodaku.screen.languages import prompt_languages
from kyodaku.screen.lexicon import is_word
from kyodaku.screen.normalise import (
    HARD_BREAK,
    PromptViews,
    View,
    fine_key,
    is_han,
    is_katakana,
    latin_view,
)
from kyodaku.screen.types import Evidence, Span
from kyodaku.screen.wordlists import EVERYDAY_ZIPF, common_words_of

if TYPE_CHECKING:  # the index holds a FuzzyTable, so import it for types only
    from kyodaku.screen.index import CompiledIndex
    from kyodaku.screen.matches import Match

#: Longest window (in key letters) compared; longer registered keys are rare.
MAX_WINDOW = 32
#: Shortest key the table holds (and the shortest window compared): a
#: four-letter key like "Olaf" or "Kirby" ("kipi") tolerates one edit.
MIN_KEY = 4
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_HANGUL = re.compile("[\uac00-\ud7a3]")  # Hangul syllables, as normalise.is_hangul
#: Word boundaries a window may cross (a three-word name crosses two).
MAX_WINDOW_WORDS = 4
#: Shortest registered spelling also compared letter for letter (the
#: spelling table): six typed letters take a slip ("Sheetah" for "Sheeta")
#: that four or five do not ("Olay" for "Olaf").
MIN_SPELLING_KEY = 6


def deletions(key: str) -> set[str]:
    """The key and every string one deletion away from it."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


@lru_cache(maxsize=65536)
def _variant_hashes(window: str) -> tuple[int, ...]:
    """CRC-32 of every deletion variant of a window (prompt words recur: cache them)."""
    return tuple(_hash(variant) for variant in deletions(window))


def _bucket_bits(rows: int) -> int:
    """Bits of the hash that pick a bucket: one or two rows per bucket, 16 to 2**21 buckets."""
    return min(21, max(4, (max(rows, 1) - 1).bit_length() - 1))


@dataclass
class FuzzyTable:
    """Sorted CRC-32 of every deletion variant → the key id it belongs to.

    ``bucket_starts`` indexes the sorted hashes by their top bits (a direct
    address table): a lookup reads the one or two rows of its bucket instead
    of binary-searching millions of rows, which took most of a prompt's
    fuzzy time on a registry of 100,000 characters.
    """

    hashes: np.ndarray  # uint32, sorted
    key_ids: np.ndarray  # uint32, aligned with hashes
    bucket_starts: np.ndarray  # int32, 2**bits + 1 row offsets into hashes
    bits: int
    min_length: int = MIN_KEY

    @classmethod
    def build(cls, keys: list[str], eligible: list[int], min_length: int = MIN_KEY) -> FuzzyTable:
        hashes: list[int] = []
        ids: list[int] = []
        for key_id in eligible:
            key = keys[key_id]
            if len(key) < min_length or len(key) > MAX_WINDOW:
                continue
            for variant in deletions(key):
                hashes.append(_hash(variant))
                ids.append(key_id)
        h = np.asarray(hashes, dtype=np.uint32)
        k = np.asarray(ids, dtype=np.uint32)
        order = np.argsort(h, kind="stable")
        h = h[order]
        bits = _bucket_bits(len(h))
        counts = np.bincount((h >> np.uint32(32 - bits)).astype(np.intp), minlength=1 << bits)
        starts = np.zeros(len(counts) + 1, dtype=np.int32)  # rows stay below 2**31
        np.cumsum(counts, out=starts[1:])
        return cls(hashes=h, key_ids=k[order], bucket_starts=starts, bits=bits,
                   min_length=min_length)  # fmt: skip

    def candidates(self, window: str) -> set[int]:
        """Key ids within (about) one edit of ``window``."""
        return self.candidates_many([window])[0]

    def candidates_many(self, windows: Sequence[str]) -> list[set[int]]:
        """Candidates for many windows with one vectorised lookup."""
        found: list[set[int]] = [set() for _ in windows]
        if len(self.hashes) == 0 or not windows:
            return found
        owners: list[int] = []
        hashes: list[int] = []
        for i, window in enumerate(windows):
            if len(window) < self.min_length - 1:
                continue
            variants = _variant_hashes(window)
            owners.extend([i] * len(variants))
            hashes.extend(variants)
        if not hashes:
            return found
        probe = np.asarray(hashes, dtype=np.uint32)
        bucket = (probe >> np.uint32(32 - self.bits)).astype(np.intp)
        first = self.bucket_starts[bucket]
        counts = self.bucket_starts[bucket + 1] - first
        total = int(counts.sum())
        if total == 0:
            return found
        # Every row of every probed bucket, with the probe it belongs to.
        probe_of_row = np.repeat(np.arange(len(probe)), counts)
        rows = np.arange(total) + np.repeat(first - (np.cumsum(counts) - counts), counts)
        equal = self.hashes[rows] == probe[probe_of_row]
        owner_of_probe = np.asarray(owners)
        for window, key_id in zip(
            owner_of_probe[probe_of_row[equal]].tolist(),
            self.key_ids[rows[equal]].tolist(),
            strict=True,
        ):
            found[window].add(key_id)
        return found


@dataclass(frozen=True, slots=True)
class FuzzyHit:
    """A window of the Latin view within one edit of a registered key."""

    key_id: int
    start: int  # view positions
    end: int
    distance: int
    similarity: float  # normalised similarity of the fine (skeleton) spellings, 0..1
    #: Found only with a merged double written twice ("Dedde"): the edits must
    #: then also hold on the letters as typed (:func:`typing_slip`).
    undoubled: bool = False


def allowed_distance(length: int) -> int:
    """Edits tolerated for a key of this length: none below MIN_KEY letters, then one, then two.

    An edit is an insertion, a deletion, a substitution or a swap of two
    adjacent letters (optimal string alignment).
    """
    if length < MIN_KEY:
        return 0
    return 1 if length < LONG_KEY else 2


#: Key length from which two edits are tolerated.
LONG_KEY = 11
#: Keys shorter than this take no edit but a swap of two adjacent letters
#: as typed (:func:`swapped_letters`): "Kriby" for "Kirby" ("kipi").
SOUND_ALIKE_KEY = 5


def windows(view: View) -> list[tuple[int, int, int]]:
    """Runs of one to MAX_WINDOW_WORDS whole words: (start, end, word count).

    Windows never cross a hard break and never start or end inside a word,
    so "belts out a" is three words and is compared with three-word names only.
    """
    text = view.text
    words = view.words
    out: list[tuple[int, int, int]] = []
    for i, (start, _end) in enumerate(words):
        for count in range(1, MAX_WINDOW_WORDS + 1):
            if i + count > len(words):
                break
            end = words[i + count - 1][1]
            if end - start > MAX_WINDOW:
                break
            if count > 1 and words[i + count - 2][1] != words[i + count - 1][0]:
                break  # a hard break lies between the words
            if HARD_BREAK in text[start:end]:
                break
            if end - start >= 4:
                out.append((start, end, count))
    return out


def near_keys(
    table: FuzzyTable,
    keys: list[str],
    view: View,
    skip: set[tuple[int, int]],
    prompt: str = "",
    spans: list[tuple[int, int, int]] | None = None,
    everyday: Collection[str] = frozenset(),
) -> list[FuzzyHit]:
    """Windows of ``view`` one or two edits away from a registered key.

    Windows that are plainly typed dictionary words ("flies", "a sailor on"),
    or one word of ``everyday`` English ("sushi", which the 1934 dictionary
    lacks), are skipped when ``prompt`` is given: a correctly spelt ordinary
    word is not a misspelt name, and disambiguation would reject the match
    anyway.
    """
    chosen: list[tuple[int, int]] = []
    single_word: list[bool] = []
    for start, end, count in windows(view) if spans is None else spans:
        if (start, end) in skip:
            continue
        if prompt:
            surface = prompt[view.starts[start] : view.ends[end - 1]]
            if _plain_words(surface) or (count == 1 and surface.lower() in everyday):
                continue
        chosen.append((start, end))
        single_word.append(count == 1)
    # Every window is looked up as keyed and, where its key merged a typed
    # double, with that letter written twice; owner[i] is the window of texts[i].
    # Only one-word windows get the second spelling: a slip inside a name
    # of several words is rare, and doubles are everywhere in English
    # ("all", "see"), so trying them in every window doubled the lookups.
    doubled = _undoubled(view, 0, len(view.text), prompt) if prompt else []
    texts: list[str] = []
    owner: list[tuple[int, bool]] = []  # (window, whether this is its key as typed)
    for i, (start, end) in enumerate(chosen):
        text = view.text[start:end]
        texts.append(text)
        owner.append((i, True))
        if not single_word[i] or not doubled:
            continue
        for k in doubled[bisect.bisect_left(doubled, start) : bisect.bisect_left(doubled, end)]:
            texts.append(text[: k - start] + text[k - start] + text[k - start :])
            owner.append((i, False))
    # (window, key id) -> (found on the key as typed, fewest edits, longer length)
    best: dict[tuple[int, int], tuple[bool, int, int]] = {}
    for (i, as_keyed), text, candidates in zip(
        owner, texts, table.candidates_many(texts), strict=True
    ):
        for key_id in candidates:
            key = keys[key_id]
            limit = allowed_distance(min(len(key), len(text)))
            distance = 0 if key == text else OSA.distance(text, key, score_cutoff=limit)
            if distance > limit:
                continue
            found = (as_keyed, -max(distance, 1), -max(len(key), len(text)))
            pair = (i, key_id)
            if pair not in best or found > best[pair]:
                best[pair] = found
    hits: list[FuzzyHit] = []
    for (i, key_id), (as_keyed, fewest, longest) in best.items():
        start, end = chosen[i]
        if keys[key_id] == view.text[start:end]:
            continue  # the exact key: the name recogniser's match
        distance, length = -fewest, -longest
        similarity = 1.0 - distance / length
        hits.append(FuzzyHit(key_id, start, end, distance, similarity, not as_keyed))
    return hits


def _undoubled(view: View, start: int, end: int, prompt: str) -> list[int]:
    """View positions in ``[start, end)`` whose key letter stands for a typed double ("dd")."""
    out: list[int] = []
    for k in range(start, end):
        s, e = view.starts[k], view.ends[k]
        if e - s == 2 and prompt[s].isalpha() and prompt[s].lower() == prompt[s + 1].lower():
            out.append(k)
    return out


@lru_cache(maxsize=65536)
def _plain_words(surface: str) -> bool:
    """A single dictionary word, or lower-case dictionary words only."""
    words = _WORD.findall(surface)
    if not words or not surface.isascii():
        return False
    if len(words) > 1 and not surface.islower():
        return False
    return all(is_word(w) for w in words)


class FuzzyRecogniser:
    """Misspelt names: windows of the Latin view one or two edits from a key."""

    name = "fuzzy"

    def __init__(self, index: CompiledIndex) -> None:
        self.index = index

    def find(self, prompt: str) -> list[Evidence]:
        from kyodaku.screen.normalise import views_of

        return [m.evidence(m.similarity) for m in self.matches(views_of(prompt))]

    def matches(self, views: PromptViews, exact: Sequence[Match] = ()) -> list[Match]:
        """Near matches of registered spellings, skipping what matched exactly there.

        Two tables are asked: the sound keys, which absorb doubled letters,
        long vowels and l/r swaps ("Pikachoo"), and the spellings letter for
        letter, where a slip that the sound key magnifies is still one edit
        ("Magican" is two sound-key edits from "Magician": c before a and
        before i key differently; "Sakurgi" drops the r that keys silent).
        """
        taken = {(m.span.start, m.span.end) for m in exact}
        found: dict[tuple[int, int, int], Match] = {}
        view = views.latin
        if view.text:
            spans = windows(view)
            skip = {(s, e) for s, e, _ in spans if (view.starts[s], view.ends[e - 1]) in taken}
            everyday = common_words_of(self.index, "en", EVERYDAY_ZIPF)
            sound = near_keys(self.index.fuzzy, self.index.latin_keys, view, skip, views.prompt,
                              spans, everyday)  # fmt: skip
            self._add(views, sound, self.index.latin_keys, self.index.latin_entries_of, exact,
                      found, by_sound=True)  # fmt: skip
            spelt = self._near_spellings(views, spans, skip)
            self._add(views, spelt, self.index.spelling_keys, self.index.spelling_entries_of,
                      exact, found)  # fmt: skip
        if views.cjk.text:
            self._collect_cjk(views, exact, found)
        return _closest_per_span(list(found.values()))

    def _near_spellings(
        self, views: PromptViews, spans: list[tuple[int, int, int]], skip: set[tuple[int, int]]
    ) -> list[FuzzyHit]:
        """Windows of the Latin view whose letters as typed are near a registered spelling.

        The same windows as the sound keys', keyed by their letters
        (:func:`~kyodaku.screen.normalise.fine_key`, cached per word run)
        instead of building a second view of the prompt.
        """
        table, keys = self.index.fuzzy_spelling, self.index.spelling_keys
        everyday = common_words_of(self.index, "en", EVERYDAY_ZIPF)
        view, prompt = views.latin, views.prompt
        chosen: list[tuple[int, int]] = []
        texts: list[str] = []
        for start, end, count in spans:
            if (start, end) in skip:
                continue
            surface = prompt[view.starts[start] : view.ends[end - 1]]
            if _plain_words(surface) or (count == 1 and surface.lower() in everyday):
                continue  # dictionary words as typed, or one everyday word ("sushi")
            letters = fine_key(surface)
            if len(letters) >= table.min_length - 1:
                chosen.append((start, end))
                texts.append(letters)
        hits: list[FuzzyHit] = []
        for (start, end), text, candidates in zip(
            chosen, texts, table.candidates_many(texts), strict=True
        ):
            for key_id in candidates:
                key = keys[key_id]
                if key == text:
                    continue  # the exact spelling: the name recogniser's match
                limit = allowed_distance(min(len(key), len(text)))
                distance = OSA.distance(text, key, score_cutoff=limit)
                if distance <= limit:
                    similarity = 1.0 - distance / max(len(key), len(text))
                    hits.append(FuzzyHit(key_id, start, end, distance, similarity))
        return hits

    def _collect_cjk(
        self, views: PromptViews, exact: Sequence[Match], found: dict[tuple[int, int, int], Match]
    ) -> None:
        """Near misses of long CJK spellings: 成歩道龍一 for 成歩堂龍一, ジバニヤン for ジバニャン.

        Windows are runs of kanji and katakana in the prompt (kana particles
        and punctuation end a Japanese name) and their starts and ends (a
        Chinese sentence is one run). One edit in at least
        :data:`MIN_CJK_KEY` characters; the boundary rules of exact CJK
        matches apply.
        """
        from kyodaku.screen.cjk_boundaries import boundary_problem
        from kyodaku.screen.matches import Match

        view, prompt = views.cjk, views.prompt
        spans = cjk_windows(view, prompt)
        if not spans:
            return
        keys = self.index.cjk_keys
        texts = [view.text[a:b] for a, b in spans]
        for (a, b), text, candidates in zip(
            spans, texts, self.index.fuzzy_cjk.candidates_many(texts), strict=True
        ):
            for key_id in candidates:
                key = keys[key_id]
                if key in text or OSA.distance(text, key, score_cutoff=1) > 1:
                    continue  # holding the name whole, the window is the name's business
                if min(len(key), len(text)) < MIN_CJK_KEY and not all(map(is_han, key + text)):
                    continue  # four characters take a slip in kanji names only
                span = view.span(a, b)
                if boundary_problem(prompt, span) is not None:
                    continue
                surface = span.text(prompt)
                similarity = 1.0 - 1 / max(len(key), len(text))
                for entry_id in self.index.cjk_entries_of(key_id):
                    entry = self.index.entry(int(entry_id))
                    if entry.derived or entry.kind not in ("name", "alias", "title"):
                        continue  # registered spellings only, not readings or glosses
                    if any(m.asset_id == entry.asset_id and _covers(m.span, span) for m in exact):
                        continue
                    match = Match(entry, span, surface, "fuzzy", "fuzzy", similarity)
                    found.setdefault((entry.index, span.start, span.end), match)

    def _everyday_words(self, prompt: str) -> list[frozenset[str]]:
        """Everyday words of the European languages ``prompt`` is written in (none for English)."""
        return [
            common_words_of(self.index, lang, EVERYDAY_ZIPF)
            for lang in sorted(prompt_languages(prompt))
        ]

    def _add(
        self,
        views: PromptViews,
        hits: list[FuzzyHit],
        keys: Sequence[str],
        entries_of: Callable[[int], Iterable[int]],
        exact: Sequence[Match],
        found: dict[tuple[int, int, int], Match],
        *,
        by_sound: bool = False,
    ) -> None:
        """Add the registered spellings behind ``hits`` (windows of the Latin view) to ``found``.

        A hit ``by_sound`` (on the coarse sound keys) must also be spelt much
        like the name: "Chanel" keys one edit from "Saber" (ch and s, l and r
        sound alike), but nobody misspells Saber so.
        """
        from kyodaku.screen.matches import Match, plural_refused, spelt_alike

        view = views.latin
        everyday = self._everyday_words(views.prompt) if hits else ()
        for hit in hits:
            span = view.span(hit.start, hit.end)
            surface = span.text(views.prompt)
            if _HANGUL.search(surface):
                continue  # romanised Korean words are not misspelt names (세제 is no "Jessie")
            local_word = any(surface.lower() in words for words in everyday)
            words = len(view.words_in(hit.start, hit.end))
            short = len(keys[hit.key_id]) < SOUND_ALIKE_KEY
            for entry_id in entries_of(hit.key_id):
                entry = self.index.entry(int(entry_id))
                if entry.derived not in ("", "reversed") or words > _word_count(entry.form):
                    continue  # readings and name parts are too weak to misspell
                if local_word and (not _plain_words(entry.form) or surface.islower()):
                    # A word of the prompt's own language ("devant" in French) is
                    # no slip of a coined name ("Teyvat"); near an English word it
                    # may be its cognate written as a name ("el Genio" for a
                    # registered "Genie"), but in lower case it is the word ("une
                    # branche de cerisier" is no "Branch").
                    continue
                if short and not swapped_letters(surface, entry.form):
                    continue  # "Olay" is one edit from "Olaf", but not a slip of it
                if hit.undoubled and not typing_slip(surface, entry.form):
                    continue  # "dette" is "Dedede" by sound, but two letters off
                if any(m.asset_id == entry.asset_id and _covers(m.span, span) for m in exact):
                    continue
                if _plural_of(surface, entry.form) and plural_refused(entry, surface):
                    continue  # "the Vinland sagas": a plural the name cannot take is no slip
                if by_sound and not spelt_alike(surface, entry.form):
                    continue
                match = Match(entry, span, surface, "fuzzy", "fuzzy", hit.similarity)
                key = (entry.index, span.start, span.end)
                if key not in found or found[key].similarity < match.similarity:
                    found[key] = match


def _plural_of(surface: str, form: str) -> bool:
    """Whether ``surface`` is ``form`` with a plural ending, letter for letter."""
    typed, registered = fine_key(surface), fine_key(form)
    return typed in (registered + "s", registered + "es")


#: Shortest CJK key compared for near misses: five characters take one
#: slip (成歩道龍一); in fewer, one changed character makes another word
#: (ラッシュ for フラッシュ), except in a four-kanji full name (坂田銀持).
MIN_CJK_KEY = 5
MIN_CJK_HAN_KEY = 4
#: Longest CJK window compared.
MAX_CJK_WINDOW = 12


def cjk_windows(view: View, prompt: str) -> list[tuple[int, int]]:
    """Runs of kanji and katakana in the CJK view, with their starts and ends.

    A Japanese name is a run of its own between kana particles ("ジバニヤンが");
    Chinese runs on without particles, so a run's opening and closing
    stretches are windows too ("灰太狼又想出了…"). Windows of four
    characters are compared with kanji names only (:data:`MIN_CJK_HAN_KEY`):
    a kana word one character short of a five-character name is mostly
    another word (ラッシュ, フラッシュ).
    """
    runs: list[tuple[int, int]] = []
    start = -1
    for i in range(len(view.text) + 1):
        inside = i < len(view.text) and _name_char(prompt[view.starts[i]])
        if inside and start < 0:
            start = i
        elif not inside and start >= 0:
            runs.append((start, i))
            start = -1
    out: set[tuple[int, int]] = set()
    for a, b in runs:
        if MIN_CJK_HAN_KEY <= b - a <= MAX_CJK_WINDOW + 1:
            out.add((a, b))
        for length in range(MIN_CJK_HAN_KEY, min(MAX_CJK_WINDOW + 1, b - a)):
            out.add((a, a + length))
            out.add((b - length, b))
    return sorted(out)


def _name_char(ch: str) -> bool:
    return is_katakana(ch) or ch == "ー" or is_han(ch)


def _closest_per_span(matches: list[Match]) -> list[Match]:
    """Of several names near the same typed text, those it is closest to letter for letter.

    "Snoopie" is one sound-key edit from both "Snoopy" and "Sophie"; as
    typed it is two letters from "Snoopy" and three from "Sophie".
    """
    by_span: dict[tuple[int, int], list[tuple[int, Match]]] = {}
    for m in matches:
        distance = Levenshtein.distance(fine_key(m.surface), fine_key(m.entry.form))
        by_span.setdefault((m.span.start, m.span.end), []).append((distance, m))
    kept: list[Match] = []
    for group in by_span.values():
        best = min(d for d, _ in group)
        kept.extend(m for d, m in group if d == best)
    return kept


def typing_slip(typed: str, name: str) -> bool:
    """Whether ``typed`` is within the edit budget of ``name`` letter for letter.

    Letters as typed (look-alikes and leet read, nothing merged by sound):
    "Dedde" is one letter short of "Dedede", "dette" two letters off it.
    """
    name_letters = fine_key(name)
    limit = allowed_distance(len(name_letters))
    return OSA.distance(fine_key(typed), name_letters, score_cutoff=limit) <= limit


def swapped_letters(typed: str, name: str) -> bool:
    """Whether ``typed`` is ``name`` with two adjacent letters swapped ("Kriby", "Kirby").

    Letters as typed (look-alikes and leet read, nothing merged by sound).
    This is the one slip a short name tolerates: a swap keeps every letter
    of the name, while a substituted or added letter in four letters makes
    other people's words ("Olay", "Sturm", "Kimi", "Flink").
    """
    a, b = fine_key(typed), fine_key(name)
    if a == b or len(a) != len(b):
        return False
    return OSA.distance(a, b, score_cutoff=1) == 1 and Levenshtein.distance(a, b) == 2


@lru_cache(maxsize=65536)
def _word_count(form: str) -> int:
    return len(latin_view(form).words)


def _covers(outer: Span, inner: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end
