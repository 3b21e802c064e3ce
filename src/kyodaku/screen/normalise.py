"""Normalised views of a prompt, each with a map back to the original text.

A name can hide behind spelling: full-width letters, zero-width characters,
look-alike Cyrillic or Greek letters, leet digits ("P1kachu"), letters spaced
out ("P i k a c h u", "Pi-ka-chu", "F.r.i.e.z.a"), hiragana for katakana,
romaji with or without long vowels ("Myūtsū", "Pikachuu"), Korean Hangul for a
Japanese name. Matching every spelling of every name is hopeless; instead the
prompt *and* every registered name are brought to the same normal form, and
names are matched in that form. Each character of a view remembers which
code points of the original prompt it came from, so a match can always be
quoted back exactly as the user typed it.

Three views are built, each in one linear pass:

* the **folded** text: NFKC, case folded, format characters (zero-width
  space, joiners, soft hyphen) removed, diacritics of alphabetic scripts
  removed, whitespace collapsed. Marks after a base character are bounded
  (:data:`MAX_MARKS`), so a run of 100,000 combining marks costs linear time.
* the **Latin key** view: alphabetic words reduced to a coarse phonetic key
  (confusables to their Latin skeleton, leet digits to letters, separators
  inside a word and between spaced-out letters removed, "!" or "|" between
  letters read as "i", then l/r, b/p/v/f,
  voiced/voiceless, sibilants, long vowels and doubled letters merged).
  Hangul is romanised syllable by syllable into the same key space, so 리바이
  meets リヴァイ ("rivai"). Word boundaries are kept beside the text: a name
  must start and end on one.
* the **CJK key** view: katakana as hiragana, long-vowel marks and vowel
  lengthening folded, separators between kana removed. Kanji, Hangul and
  everything else stay as they are.

The same functions produce the keys of registered names (:func:`latin_key`,
:func:`cjk_key`), which is what makes a match in a view meaningful.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from kyodaku.screen.types import Span

#: Combining marks kept after one base character; the rest are dropped. Real
#: text never needs more than a few, hostile text may carry thousands.
MAX_MARKS = 3

#: Separator written into key views where a match must not run across
#: (punctuation, other scripts). No registered key contains it except where
#: the name itself has such punctuation, normalised the same way.
HARD_BREAK = "|"

# ---------------------------------------------------------------- character classes

_KANA_VOICE_MARKS = frozenset("\u3099\u309a\uff9e\uff9f")
_SOFT_SEPARATORS = frozenset(" -.·‧•_'’‐‑‒–—・･/\\~*+^`")
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
         "¥": "y", "€": "e", "£": "l", "¢": "c", "§": "s", "®": "r", "©": "c",
         "℗": "p"}  # fmt: skip
_LEET_SYMBOLS = frozenset("@$¥€£¢§®©℗")
#: Punctuation that stands for a letter only inside a word ("T!gger", "P|kachu"):
#: elsewhere "!" ends a sentence and "|" separates, so they stay hard breaks.
_INNER_LEET = {"!": "i", "|": "i"}


def is_mark(ch: str) -> bool:
    """Combining marks, and the kana voicing marks that NFKC composes."""
    return ch in _KANA_VOICE_MARKS or unicodedata.category(ch) in ("Mn", "Me", "Mc")


def is_katakana(ch: str) -> bool:
    """Katakana letters (not the middle dot or the prolonged sound mark)."""
    return "\u30a1" <= ch <= "\u30fa" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9d"


def is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u3096" or ch == "\u309d" or ch == "\u309e"


def is_kana(ch: str) -> bool:
    return is_katakana(ch) or is_hiragana(ch) or ch == "ー"


def is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or o == 0x3005


@lru_cache(maxsize=65536)
def is_cjk(ch: str) -> bool:
    """Scripts written without spaces between words (plus Hangul syllables)."""
    return is_kana(ch) or is_han(ch) or is_hangul(ch) or ch in "・ー"


# ---------------------------------------------------------------- views

_word_start = itemgetter(0)
_word_end = itemgetter(1)


@dataclass(frozen=True, slots=True)
class View:
    """A normalised text plus, per character, the original code points it came from.

    ``starts[i]``/``ends[i]`` is the half-open range of the original prompt
    behind view character ``i``. ``boundaries`` holds the view positions
    where a word (or a spelt-out letter) starts or ends, ``words`` the view
    range of every word (Latin key view only; empty elsewhere).
    """

    name: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    boundaries: frozenset[int] = frozenset()
    #: Where whole words start and end (a spaced-out "p i k a" is one word),
    #: in order and without overlaps.
    words: tuple[tuple[int, int], ...] = ()

    def span(self, start: int, end: int) -> Span:
        """The original span behind view characters ``[start, end)``."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"view range [{start}, {end}) outside 0..{len(self.text)}")
        return Span(self.starts[start], self.ends[end - 1])

    def at_boundaries(self, start: int, end: int) -> bool:
        return start in self.boundaries and end in self.boundaries

    def words_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The words lying inside view range ``[start, end)``.

        Words follow one another without overlapping, so those inside are
        one slice of ``words``, found by bisection (fuzzy matching asks for
        every hit, and scanning every word each time showed up in profiles).
        """
        first = bisect.bisect_left(self.words, start, key=_word_start)
        stop = bisect.bisect_right(self.words, end, key=_word_end)
        return list(self.words[first:stop])


@dataclass(frozen=True, slots=True)
class PromptViews:
    """Every view of one prompt, computed once and shared by the recognisers.

    The folded view is built only when asked for: no recogniser matches in
    it, and building it cost a fifth of the views' time.
    """

    prompt: str
    latin: View
    cjk: View
    units: tuple[Unit, ...] = ()

    @property
    def folded(self) -> View:
        return _view_of_units("folded", self.units)


def _view_of_units(name: str, units: list[Unit] | tuple[Unit, ...]) -> View:
    """A view whose characters are ``units`` (no word boundaries), built column by column."""
    return View(
        name=name,
        text="".join([u[0] for u in units]),
        starts=tuple([u[1] for u in units]),
        ends=tuple([u[2] for u in units]),
    )


# ---------------------------------------------------------------- folded view

Unit = tuple[str, int, int]  # one view character and its original [start, end)


def _cluster_end(text: str, i: int) -> int:
    """End of the cluster that starts at ``text[i]``: the base and every mark after it."""
    j, n = i + 1, len(text)
    while j < n and is_mark(text[j]):
        j += 1
    return j


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str) -> str:
    category = unicodedata.category(cluster[0])
    if category == "Cf":
        return ""
    out = unicodedata.normalize("NFKC", cluster).casefold()
    if category == "So" and len(out) > 1:
        return cluster  # "™" stays a symbol: NFKC would spell "Pikachu™" "PikachuTM"
    if out.isascii():
        return " " if out.isspace() else out
    # Strip diacritics of alphabetic scripts, keep kana voicing; NFC puts
    # Hangul and voiced kana back together.
    decomposed = unicodedata.normalize("NFKD", out)
    kept = "".join(c for c in decomposed if c in "\u3099\u309a" or unicodedata.combining(c) == 0)
    out = unicodedata.normalize("NFC", kept)
    out = "".join(c for c in out if unicodedata.category(c) != "Cf")
    return "".join(" " if c.isspace() else c for c in out)


#: ASCII whitespace, each written as one space in the folded view.
_ASCII_SPACES = {code: " " for code in range(128) if chr(code).isspace()}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _ascii_units(chunk: str, offset: int) -> list[Unit]:
    """Folded units of ASCII text found at ``offset``: one per character.

    Lower-casing and spacing the whole chunk at once, then zipping the
    ranges on, is several times faster than one unit per loop turn.
    """
    folded = chunk.lower().translate(_ASCII_SPACES)
    end = offset + len(folded)
    return list(zip(folded, range(offset, end), range(offset + 1, end + 1), strict=True))


def _ascii_run_end(text: str, i: int) -> int:
    """End of the ASCII characters from ``text[i]`` on that are clusters of their own.

    An ASCII character is never a mark, so it is a cluster by itself unless
    marks follow it ("e" + U+0301): the last one before non-ASCII text
    may not be.
    """
    found = _NON_ASCII.search(text, i)
    if found is None:
        return len(text)
    end = found.start()
    return end - 1 if end > i and is_mark(text[end]) else end


def fold_units(text: str) -> list[Unit]:
    """NFKC + casefold + no format characters + no diacritics; any space becomes " ".

    Runs of spaces are kept: "S o n  G o k u" spells two words. Each base
    character keeps at most MAX_MARKS of the marks after it, so a run of
    100,000 combining marks costs linear time. Runs of plain ASCII are
    folded in bulk, everything else cluster by cluster.
    """
    if text.isascii():
        return _ascii_units(text, 0)
    units: list[Unit] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] < "\x80" and (run_end := _ascii_run_end(text, i)) > i:
            units.extend(_ascii_units(text[i:run_end], i))
            i = run_end
            continue
        j = _cluster_end(text, i)
        cluster = text[i : min(j, i + 1 + MAX_MARKS)]
        ascii_char = cluster if len(cluster) == 1 and cluster < "\x80" else None
        folded = ascii_char.lower() if ascii_char is not None else _fold_cluster(cluster)
        if ascii_char is not None and ascii_char.isspace():
            folded = " "
        for ch in folded:
            units.append((ch, i, j))
        i = j
    return units


def fold_view(text: str) -> View:
    return _view_of_units("folded", fold_units(text))


def fold(text: str) -> str:
    """The folded form of ``text`` (what :func:`fold_view` shows)."""
    return "".join(ch for ch, _, _ in fold_units(text))


# ---------------------------------------------------------------- Latin key view


@lru_cache(maxsize=1)
def _confusable_skeleton() -> dict[str, str]:
    """Single look-alike characters mapped to the ASCII letter they imitate.

    Built from the Unicode confusables data shipped with
    ``confusable-homoglyphs`` (TR39). Only one-to-one mappings onto a
    lower-case ASCII letter are kept; CJK is left alone.
    """
    from confusable_homoglyphs import confusables

    table: dict[str, str] = {}
    for char, entries in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii() or is_cjk(char):
            continue
        for entry in entries:
            target = entry.get("c", "")
            if len(target) == 1 and target.isascii() and target.isalpha():
                table[char] = target.lower()
                break
    # Lower-case Greek and Cyrillic letters are confusable with Latin ones but
    # the data lists mostly capitals; fold via their capital form.
    for char in list(table):
        lower = char.lower()
        if lower != char and lower not in table and not lower.isascii():
            table[lower] = table[char]
    return table


def skeleton_char(ch: str) -> str:
    """The Latin letter a look-alike character imitates, or the character itself."""
    if ch.isascii():
        return ch
    return _confusable_skeleton().get(ch, ch)


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def is_cyrillic_word(text: str) -> bool:
    """A word written in Cyrillic, not Latin letters disguised with look-alikes.

    "Хацунэ Мику" is Hatsune Miku written by its sound; "Рорру", all
    look-alikes of Latin letters, imitates "Poppy". A word of Cyrillic
    letters with one at least that imitates no Latin letter (ц, э, и, й, п)
    is read by its sound; other words by their look (:func:`skeleton_char`).
    """
    return (
        len(text) >= 2
        and all(is_cyrillic(c) for c in text)
        and any(skeleton_char(c) == c for c in text.lower())
    )


#: Cyrillic letters as Russian writes foreign names by their sound: х for h
#: (Хацунэ, Хогвартс), й for the i of a diphthong (Паймон); the signs are
#: silent. Other letters as ``unidecode`` reads them.
_CYRILLIC_FOR_NAMES = {"х": "h", "й": "i", "ю": "yu", "я": "ya", "ё": "yo", "ь": "", "ъ": ""}


@lru_cache(maxsize=1024)
def romanise_cyrillic_letter(ch: str) -> str:
    """One Cyrillic letter in Latin letters, lower case (:data:`_CYRILLIC_FOR_NAMES`)."""
    from unidecode import unidecode

    lower = ch.lower()
    return _CYRILLIC_FOR_NAMES.get(lower, unidecode(lower))


_HANGUL_PARTICLES_1 = frozenset("이가은는을를의에도와과로랑야아")
_HANGUL_PARTICLES_2 = frozenset(
    ["에서", "으로", "에게", "까지", "부터", "처럼", "하고", "이랑", "한테"]
)


@lru_cache(maxsize=16384)
def romanise_hangul_syllable(syllable: str) -> str:
    """Revised Romanisation of one Hangul syllable (via ``hangul-romanize``)."""
    from hangul_romanize import Transliter
    from hangul_romanize.rule import academic

    return "".join(c for c in Transliter(academic).translit(syllable) if c.isalpha()).lower()


@dataclass(slots=True)
class _Token:
    units: list[Unit]
    text: str  # the units' characters
    sep_before: str  # separator text between the previous token and this one
    hard_before: bool  # a hard break lies between the previous token and this one
    hangul: bool = False


@lru_cache(maxsize=65536)
def _latin_class(ch: str) -> str:
    """'l' letter, 'd' digit, 'x' leet symbol, 's' soft separator, 'h' hard break, 'k' Hangul."""
    if is_hangul(ch):
        return "k"
    if is_cjk(ch):
        return "h"
    if ch.isalpha():
        return "l"
    if ch.isdigit():
        return "d"
    if ch in _LEET_SYMBOLS:
        return "x"
    if ch in _SOFT_SEPARATORS:
        return "s"
    if skeleton_char(ch).isalpha():
        return "l"  # a symbol that imitates a letter ("N℮mesis"): the letter
    cat = unicodedata.category(ch)
    if cat.startswith("S") or cat in ("Co", "Cn"):
        return "s"  # emoji and symbols inside words ("Lu🍖ffy") only split words
    return "h"


#: :func:`_latin_class` of every ASCII character, as a ``str.translate`` table.
_ASCII_CLASSES = {code: _latin_class(chr(code)) for code in range(128)}
#: One token: a run of Latin letters, digits and leet symbols, or of Hangul.
_TOKEN_RUN = re.compile(r"[ldx]+|k+")


def _classes(text: str) -> str:
    """The :func:`_latin_class` of each character of ``text``, as one string.

    A string of classes lets a regular expression find the tokens, instead
    of a Python loop turn per character.
    """
    if text.isascii():
        return text.translate(_ASCII_CLASSES)
    return "".join(map(_latin_class, text))


def _tokens(units: list[Unit]) -> list[_Token]:
    """Split folded units into word tokens; Hangul words lose trailing particles.

    A token is a run of letters, digits and leet symbols, or a run of
    Hangul; the separators between two tokens are remembered on the second
    one, and whether a hard break lies among them.
    """
    text = "".join([u[0] for u in units])
    classes = _classes(text)
    if "!" in text or "|" in text:
        units, text, classes = _read_inner_leet(units, text, classes)
    tokens: list[_Token] = []
    previous_end = 0
    for run in _TOKEN_RUN.finditer(classes):
        start, end = run.span()
        if start == previous_end + 1 and classes[previous_end] == "s":
            sep, hard = text[previous_end], False  # one space: the usual gap
        else:
            sep, hard = _gap(text, classes, previous_end, start)
        token = _Token(units[start:end], text[start:end], sep, hard, classes[start] == "k")
        if token.hangul:
            tokens.extend(_split_particles(token))
        else:
            tokens.append(token)
        previous_end = end
    return tokens


def _gap(text: str, classes: str, start: int, end: int) -> tuple[str, bool]:
    """(soft separators, whether a hard break is among them) in ``text[start:end]``."""
    gap = classes[start:end]
    sep = "".join([text[k] for k in range(start, end) if classes[k] == "s"])
    return sep, "h" in gap


def _read_inner_leet(units: list[Unit], text: str, classes: str) -> tuple[list[Unit], str, str]:
    """Read "!" and "|" between two Latin letters as "i" ("T!gger", "P|kachu").

    Only the characters around each one decide (so "a!|b" stays as it is).
    """
    inner = [
        k
        for k, ch in enumerate(text)
        if ch in _INNER_LEET and 0 < k < len(text) - 1 and classes[k - 1] == classes[k + 1] == "l"
    ]
    if not inner:
        return units, text, classes
    units, chars, class_list = list(units), list(text), list(classes)
    for k in inner:
        ch, start, end = units[k]
        units[k] = (_INNER_LEET[ch], start, end)
        chars[k] = _INNER_LEET[ch]
        class_list[k] = "l"
    return units, "".join(chars), "".join(class_list)


def _split_particles(token: _Token) -> list[_Token]:
    """Split a trailing particle off a Hangul word (조로가 → 조로 + 가)."""
    text = token.text
    cut = 0
    if len(text) >= 4 and text[-2:] in _HANGUL_PARTICLES_2:
        cut = 2
    elif len(text) >= 3 and text[-1] in _HANGUL_PARTICLES_1:
        cut = 1
    if not cut:
        return [token]
    head = _Token(token.units[:-cut], text[:-cut], token.sep_before, token.hard_before, True)
    tail = _Token(token.units[-cut:], text[-cut:], "", False, True)
    return [head, tail]


def _deleet(units: list[Unit]) -> list[Unit]:
    """Leet digits and symbols to letters, in words that start with a letter.

    A word that starts with a digit is read too when digits and letters
    alternate in it ("5eph1r0th", "1r0n"); "3rd", "5am", "90s" and "4k"
    (digits, then letters) stay as they are.
    """
    first = units[0][0]
    letters = sum(1 for u in units if u[0].isalpha())
    if not letters:
        return units
    if not (first.isalpha() or first in _LEET_SYMBOLS):
        text = "".join(u[0] for u in units)
        if letters < 2 or not _INTERLEAVED.search(text):
            return units
    return [(_LEET.get(ch, ch), s, e) for ch, s, e in units]


#: A letter followed later by a digit: leet, not a number with a unit.
_INTERLEAVED = re.compile(r"[^\W\d_].*\d")


def _letters(token: _Token) -> tuple[str, list[Unit]]:
    """A token's characters as Latin letters (skeleton, leet, Hangul romanised), and their text."""
    if token.hangul:
        out: list[Unit] = []
        for ch, s, e in token.units:
            for letter in romanise_hangul_syllable(ch):
                out.append((letter, s, e))
        return "".join([u[0] for u in out]), out
    if token.text.isascii() and token.text.isalpha():
        return token.text, token.units  # plain letters: nothing to map (most words)
    if is_cyrillic_word(token.text):
        out = []
        for ch, s, e in token.units:
            for letter in romanise_cyrillic_letter(ch):
                out.append((letter, s, e))
        return "".join([u[0] for u in out]), out
    units = _deleet([(skeleton_char(ch), s, e) for ch, s, e in token.units])
    return "".join([u[0] for u in units]), units


#: Letters of one token: their text and their units.
Letters = tuple[str, list[Unit]]


def _chunks(tokens: list[_Token]) -> list[tuple[list[Letters], bool]]:
    """Group tokens into chunks: spaced-out single letters ("p i k a") join up.

    Returns (letters per token, hard_before) per chunk. Single-character
    tokens separated by one and the same separator character form one chunk;
    any other separator (a double space, a different mark) starts a new one,
    so "S o n  G o k u" is two words and "E.r.e.n Y.e.a.g.e.r" too.
    """
    chunks: list[tuple[list[Letters], bool]] = []
    run_sep: str | None = None  # separator of the spaced-out run being built
    run_open = False  # the last chunk is a run of single letters
    for token in tokens:
        letters = _letters(token)
        if not letters[1]:
            continue
        single = len(token.units) == 1 and not token.hangul
        joins = (
            single
            and run_open
            and not token.hard_before
            and (token.sep_before == run_sep if run_sep is not None else len(token.sep_before) == 1)
        )
        if joins:
            chunks[-1][0].append(letters)
            run_sep = token.sep_before
            continue
        chunks.append(([letters], token.hard_before))
        run_sep = None
        run_open = single
    return chunks


_VOWELS = frozenset("aeiou")


def phonetic(letters: list[Unit]) -> list[Unit]:
    """Coarse phonetic key of one chunk of Latin letters, keeping original ranges.

    The merges are the ones that separate spellings of the same name across
    English, Hepburn romaji and Korean romanisation: l/r; b/p/v/f; g/k/c/q;
    d/t; s/z/j/sh/ch/ts; long and doubled vowels; doubled consonants; the
    Korean vowels eu/eo/ae; a post-vocalic r before a consonant ("Lizardon"
    for Rizādon).
    """
    s = [u[0] for u in letters]
    spans = [(u[1], u[2]) for u in letters]
    out: list[str] = []
    out_spans: list[tuple[int, int]] = []

    def emit(ch: str, start_idx: int, end_idx: int) -> None:
        out.append(ch)
        out_spans.append((spans[start_idx][0], spans[end_idx - 1][1]))

    i, n = 0, len(s)
    while i < n:
        c = s[i]
        nxt = s[i + 1] if i + 1 < n else ""
        nxt2 = s[i + 2] if i + 2 < n else ""
        if c == "t" and nxt == "c" and nxt2 == "h":
            emit("s", i, i + 3)
            i += 3
            continue
        if c == "s" and nxt == "c" and nxt2 == "h":
            emit("s", i, i + 3)
            i += 3
            continue
        pair = c + nxt
        if pair in ("sh", "ch", "ts", "tz", "dz", "zh"):
            emit("s", i, i + 2)
            i += 2
            continue
        if pair in ("ph",):
            emit("p", i, i + 2)
            i += 2
            continue
        if pair in ("th",):
            emit("t", i, i + 2)
            i += 2
            continue
        if pair in ("ck", "kh", "gh"):
            emit("k", i, i + 2)
            i += 2
            continue
        if pair in ("eu",):
            emit("u", i, i + 2)
            i += 2
            continue
        if pair in ("eo", "ou"):
            emit("o", i, i + 2)
            i += 2
            continue
        if pair in ("ae", "ei"):
            emit("e", i, i + 2)
            i += 2
            continue
        if c == "c":
            emit("s" if nxt in ("e", "i", "y") else "k", i, i + 1)
        elif c in "gq":
            emit("k", i, i + 1)
        elif c in "jzx":
            emit("s", i, i + 1)
        elif c == "d":
            emit("t", i, i + 1)
        elif c in "bvf":
            emit("p", i, i + 1)
        elif c == "l":
            emit("r", i, i + 1)
        elif c == "y":
            emit("i" if (not nxt or nxt not in _VOWELS) and i > 0 else "y", i, i + 1)
        elif c == "h" and i > 0 and s[i - 1] not in _VOWELS and s[i - 1].isalpha():
            pass  # silent h after a consonant
        else:
            emit(c, i, i + 1)
        i += 1
    units = [(out[k], out_spans[k][0], out_spans[k][1]) for k in range(len(out))]
    units = _reduce(units)
    units = _final_adjustments(units)
    return _reduce(units)


#: Pairs that merge after single letters are mapped ("ds" → "ts" → "s", "ou" → "o").
_PAIRS = {"ts": "s", "eu": "u", "eo": "o", "ou": "o", "ae": "e", "ei": "e"}


def _reduce(units: list[Unit]) -> list[Unit]:
    """Merge pairs left to right with a stack, so merges that make new pairs cascade."""
    stack: list[Unit] = []
    for unit in units:
        stack.append(unit)
        while len(stack) >= 2:
            a, b = stack[-2][0], stack[-1][0]
            merged = _PAIRS.get(a + b)
            if merged is None and a == b and a.isalpha():
                merged = a
            if merged is None and b == "h" and a.isalpha() and a not in _VOWELS and a != "h":
                merged = a
            if merged is None:
                break
            second = stack.pop()
            first = stack.pop()
            stack.append((merged, first[1], second[2]))
    return stack


def _final_adjustments(units: list[Unit]) -> list[Unit]:
    """y before a consonant reads i; a post-vocalic r before a consonant goes."""
    out: list[Unit] = []
    for k, (ch, start, end) in enumerate(units):
        following = units[k + 1][0] if k + 1 < len(units) else ""
        consonant_next = bool(following) and following.isalpha() and following not in _VOWELS
        if ch == "y" and out and (not following or consonant_next):
            out.append(("i", start, end))
            continue
        if ch == "r" and out and out[-1][0] in _VOWELS and consonant_next and following != "y":
            out[-1] = (out[-1][0], out[-1][1], end)
            continue
        out.append((ch, start, end))
    return out


@lru_cache(maxsize=65536)
def _phonetic_word(letters: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Phonetic key of one word, and per key character its first and last letter in the word."""
    keyed = phonetic([(c, i, i + 1) for i, c in enumerate(letters)])
    return (
        "".join([u[0] for u in keyed]),
        tuple(u[1] for u in keyed),
        tuple(u[2] - 1 for u in keyed),
    )


def _keyed_word(word: str, letters: list[Unit], coarse: bool) -> tuple[str, list[int], list[int]]:
    """Key of one ordinary word, with the original range of each key character.

    The key depends on the word's letters only, so the coarse key comes
    from a cache and only the ranges are looked up per prompt.
    """
    if not coarse:
        return word, [u[1] for u in letters], [u[2] for u in letters]
    key, firsts, lasts = _phonetic_word(word)
    return key, [letters[k][1] for k in firsts], [letters[k][2] for k in lasts]


def _keyed_run(
    letters_by_token: list[Letters], coarse: bool
) -> tuple[str, list[int], list[int], list[int]]:
    """Key of spaced-out letters ("p i k a") read as one word, with original ranges.

    Also returns the key positions where one of the spelt-out letters
    starts: each is a boundary, so that a name may start or end there.
    """
    token_starts = {letters[0][1] for _, letters in letters_by_token}
    flat = [unit for _, letters in letters_by_token for unit in letters]
    keyed = phonetic(flat) if coarse else flat
    inner = [
        k
        for k, (_, s, _) in enumerate(keyed)
        if k == 0 or (s in token_starts and keyed[k - 1][2] <= s)
    ]
    return "".join([u[0] for u in keyed]), [u[1] for u in keyed], [u[2] for u in keyed], inner


def _key_view(units: list[Unit], *, coarse: bool) -> View:
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    boundaries: set[int] = set()
    words: list[tuple[int, int]] = []
    length = 0  # characters in pieces
    after_break = False  # the last character in pieces is a HARD_BREAK
    for letters_by_token, hard_before in _chunks(_tokens(units)):
        if hard_before and length and not after_break:
            pieces.append(HARD_BREAK)
            starts.append(ends[-1])
            ends.append(ends[-1])
            length += 1
            after_break = True
        word_start = length
        if len(letters_by_token) == 1:
            key, key_starts, key_ends = _keyed_word(*letters_by_token[0], coarse)
            boundaries.add(word_start)
        else:
            key, key_starts, key_ends, inner = _keyed_run(letters_by_token, coarse)
            boundaries.update([word_start + k for k in inner])
        pieces.append(key)
        starts.extend(key_starts)
        ends.extend(key_ends)
        length += len(key)
        boundaries.add(length)
        if length > word_start:
            words.append((word_start, length))
            after_break = False
    return View(
        name="latin" if coarse else "fine",
        text="".join(pieces),
        starts=tuple(starts),
        ends=tuple(ends),
        boundaries=frozenset(boundaries),
        words=tuple(words),
    )


def latin_view(text: str, units: list[Unit] | None = None) -> View:
    """The Latin key view of ``text`` (coarse phonetic key with word boundaries)."""
    return _key_view(fold_units(text) if units is None else units, coarse=True)


def fine_view(text: str, units: list[Unit] | None = None) -> View:
    """Like :func:`latin_view` but without the phonetic merges (skeleton + leet only)."""
    return _key_view(fold_units(text) if units is None else units, coarse=False)


@lru_cache(maxsize=262144)
def latin_key(text: str) -> str:
    """The coarse key a registered name is matched under in the Latin view."""
    return latin_view(text).text.strip(HARD_BREAK)


@lru_cache(maxsize=262144)
def fine_key(text: str) -> str:
    """Letters after skeleton and leet mapping, separators removed."""
    return fine_view(text).text.replace(HARD_BREAK, "")


@lru_cache(maxsize=262144)
def plain_key(text: str) -> str:
    """Letters and digits of the folded text, nothing mapped: the spelling as typed."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


# ---------------------------------------------------------------- CJK key view

_VOWEL_ROWS = {
    "a": "あかさたなはまやらわがざだばぱぁゃゎ",
    "i": "いきしちにひみりぎじぢびぴぃ",
    "u": "うくすつぬふむゆるぐずづぶぷぅゅ",
    "e": "えけせてねへめれげぜでべぺぇ",
    "o": "おこそとのほもよろをごぞどぼぽぉょ",
}
_VOWEL_OF = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}
_VU = {"ぁ": "ば", "ぃ": "び", "ぇ": "べ", "ぉ": "ぼ"}
#: Dropped from the CJK view: spacing and the marks people put between the
#: characters of a name to slip past a filter (喜*羊*羊, ピ/カ/チュウ).
_CJK_SEPARATORS = frozenset(" ・･·‧.-_=＝*+~/|")


_SMALL_KANA = frozenset("ぁぃぅぇぉゃゅょゎァィゥェォャュョヮ")


def _small_kana_after(units: list[Unit], i: int) -> bool:
    """Whether a small kana follows ``units[i]``."""
    return i + 1 < len(units) and units[i + 1][0] in _SMALL_KANA


def _to_hiragana(ch: str) -> str:
    o = ord(ch)
    if 0x30A1 <= o <= 0x30F6:
        return chr(o - 0x60)
    return ch


def cjk_units(units: list[Unit]) -> list[Unit]:
    """Kana unified to hiragana with long vowels folded; separators dropped.

    Folding (ピカチュウ/ピカチュー/ぴかちゅう → ぴかちゅ) only joins kana of the
    same script, so a particle never swallows the next word's vowel (でエル).
    A dropped long-vowel mark widens the previous character's range, so a
    match quotes ジョーカー whole.
    """
    out: list[Unit] = []
    scripts: list[bool] = []  # per out unit: came from katakana
    after_vu = False  # the last unit came from ヴ, so a small vowel makes バ, ビ, ...
    for i, unit in enumerate(units):
        ch, s, e = unit
        if ch < "\x80":  # most of a mixed prompt: kept as it is, or a separator dropped
            if ch not in _CJK_SEPARATORS:
                out.append(unit)
                scripts.append(False)
                after_vu = False
            continue
        if ch in "ー〜" and out and scripts[-1]:
            out[-1] = (out[-1][0], out[-1][1], e)
            continue
        if ch in _CJK_SEPARATORS or ch in "ー〜" or ch in "\u3099\u309a":
            # A voicing mark still loose after folding belongs to no kana (NFC
            # would have composed it): kept, it would voice the kana before a
            # dropped separator and the key would change when keyed again.
            continue
        katakana = is_katakana(ch)
        h = _to_hiragana(ch)
        if h == "ゔ":
            out.append(("ぶ", s, e))
            scripts.append(katakana)
            after_vu = True
            continue
        if after_vu and h in _VU:
            prev = out.pop()
            out.append((_VU[h], prev[1], e))
            after_vu = False
            continue
        after_vu = False
        # A vowel before a small kana starts a syllable with it (うぉ "wo",
        # いぇ "ye"): no long vowel of the kana before (の うぉーりー).
        if out and scripts[-1] == katakana and is_kana(ch) and not _small_kana_after(units, i):
            prev_vowel = _VOWEL_OF.get(out[-1][0])
            if h == "う" and prev_vowel in ("u", "o"):
                out[-1] = (out[-1][0], out[-1][1], e)
                continue
            if h == "い" and prev_vowel == "e":
                out[-1] = (out[-1][0], out[-1][1], e)
                continue
            if h in "あいうえお" and prev_vowel == _VOWEL_OF.get(h):
                out[-1] = (out[-1][0], out[-1][1], e)
                continue
        out.append((h, s, e))
        scripts.append(katakana)
    return out


def cjk_view(text: str, units: list[Unit] | None = None) -> View:
    return _view_of_units("cjk", cjk_units(fold_units(text) if units is None else units))


@lru_cache(maxsize=262144)
def cjk_key(text: str) -> str:
    return cjk_view(text).text


# ---------------------------------------------------------------- all views

#: Anything NFKC may turn into kana, kanji or Hangul (radicals, enclosed and
#: half-width forms, compatibility ideographs) lies in these blocks.
_CJK_CHARS = re.compile(
    "[\u2e80-\u33ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0002fa1f]"
)


def views_of(prompt: str) -> PromptViews:
    """All views of a prompt; linear in its length."""
    units = fold_units(prompt)
    # Every CJK key holds a CJK character: without one the CJK view is empty.
    has_cjk = _CJK_CHARS.search(prompt) is not None
    return PromptViews(
        prompt=prompt,
        latin=_key_view(units, coarse=True),
        cjk=cjk_view(prompt, units) if has_cjk else View("cjk", "", (), ()),
        units=tuple(units),
    )
