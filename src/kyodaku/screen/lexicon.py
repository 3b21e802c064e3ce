"""Is a name also an ordinary word, or somebody's given name?

"Venom", "Joker", "Peach" and "Luna" are dictionary words; "Mario", "Levi",
"Gian" and "Nami" are people's names or common words elsewhere; "Pikachu"
and "Doraemon" are neither. Only the first two kinds need corroboration (or
at least no counter-evidence) before a match counts. The knowledge comes from
maintained packages, never from a hand list of registered names:

* ``english-words`` (Webster's Second, proper nouns capitalised) tells an
  ordinary English word from an English proper name;
* ``lemminflect``'s lexicon (modern English, inflected forms) adds what a
  1934 dictionary lacks: "chainsaw", and plurals such as "knuckles" and
  "tails" (a name typed as an ordinary plural is an ordinary word);
* ``wordfreq`` tells a word that is common in another major European
  language or Turkish (Zipf frequency ≥ :data:`FOREIGN_ZIPF`: "mario" in
  Italian, "eren" in Turkish, "nami" in Polish). Character names are frequent
  in web text too, so the bar sits above what a popular character's name
  alone reaches ("goku" 3.6);
* the same lists say in which languages a word is everyday (Zipf ≥
  :data:`LOCAL_WORD_ZIPF`): "Himmel" in a German prompt is the sky
  (:func:`word_languages`, read with :mod:`kyodaku.screen.languages`);
* ``names`` (the US Census given-name and surname lists) tells a person's
  name: "Zelda", "Kirby", "Fitzgerald". A registered name that is also
  somebody's given name or a common surname needs context like any other
  proper name ("Jack Kirby", "Zelda Fitzgerald" are other people);
* IPADIC (Janome) tells a common Japanese given name in romaji ("Akira",
  "Tetsuo"): a sound that many kanji spellings share.

Consulted when an index is compiled (:func:`prepare` classifies every word
of a registry in one batch, one language list in memory at a time); the
class of every registered form is stored in the compiled index. At
screening time only :func:`is_word` runs, on the English dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

LexicalClass = Literal["coined", "proper", "ordinary", "letter"]

#: Languages whose common words make a name ambiguous.
FOREIGN_LANGUAGES: tuple[str, ...] = ("es", "fr", "it", "pt", "de", "tr", "pl", "nl", "sv")
#: Zipf frequency from which a word counts as common in one of those languages.
FOREIGN_ZIPF = 3.7
#: Zipf frequency from which a word is an everyday word of a foreign language
#: for prompts written in that language ("himmel" is 4.8 in German).
LOCAL_WORD_ZIPF = 3.5
#: Surnames down to this Census rank read as a person's name ("Kirby" is 534th).
SURNAME_MAX_RANK = 5000

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_classes: dict[str, LexicalClass] = {}
_languages: dict[str, frozenset[str]] = {}


class LexiconUnavailableError(RuntimeError):
    """A dictionary package is missing: screening would silently over-accept."""


@lru_cache(maxsize=1)
def _web2() -> frozenset[str]:
    try:
        from english_words import get_english_words_set
    except ImportError as exc:  # fail closed: no lexicon, no index
        raise LexiconUnavailableError(
            "the 'english-words' package is needed to tell ordinary words from names"
        ) from exc
    return frozenset(get_english_words_set(["web2"], lower=False, alpha=True))


def _ascii_letters(word: str) -> str:
    """Letters without diacritics ("Poké" → "Poke"), as the dictionary spells them."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _census() -> tuple[dict[str, int], dict[str, int]]:
    """(given name → best rank, surname → rank), lower case, from the US Census lists."""
    try:
        import names
    except ImportError as exc:  # fail closed: no name lists, no index
        raise LexiconUnavailableError(
            "the 'names' package is needed to tell people's names from coined ones"
        ) from exc
    folder = Path(names.__file__).parent
    given: dict[str, int] = {}
    for list_name in ("dist.male.first", "dist.female.first"):
        for word, rank in _census_rows(folder / list_name):
            given[word] = min(rank, given.get(word, rank))
    surnames = dict(_census_rows(folder / "dist.all.last", max_rank=SURNAME_MAX_RANK))
    return given, surnames


def _census_rows(path: Path, max_rank: int | None = None) -> Iterable[tuple[str, int]]:
    """(name, rank) rows of one Census list: "SMITH  1.006  1.006  1"."""
    with path.open(encoding="ascii") as rows:
        for line in rows:
            parts = line.split()
            if len(parts) != 4 or not parts[3].isdigit():
                raise LexiconUnavailableError(f"{path.name}: unexpected line {line!r}")
            rank = int(parts[3])
            if max_rank is not None and rank > max_rank:
                break
            yield parts[0].lower(), rank


def given_name_rank(word: str) -> int | None:
    """Rank of ``word`` among US given names (1 = most common), if it is one."""
    return _census()[0].get(word.lower())


def surname_rank(word: str) -> int | None:
    """Rank of ``word`` among US surnames (1 = most common), if it is one."""
    return _census()[1].get(word.lower())


def is_person_name(word: str) -> bool:
    """A given name, or a surname common enough to be recognised as one.

    US Census names, and common Japanese given names in romaji ("Akira",
    "Tetsuo": :func:`kyodaku.screen.japanese_words.common_given_names`).
    """
    from kyodaku.screen.japanese_words import common_given_names

    given, surnames = _census()
    lower = word.lower()
    return lower in given or lower in surnames or lower in common_given_names()


def _dictionary_forms(lower: str) -> set[str]:
    """``lower`` and the base forms its English inflection may come from."""
    candidates = {lower}
    doubling: set[str] = set()  # stems of suffixes that double a consonant
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                                ("ing", ""), ("ing", "e"), ("er", ""), ("est", "")):  # fmt: skip
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 2:
            stem_ = lower[: -len(suffix)] + replacement
            candidates.add(stem_)
            if suffix in ("ed", "ing", "er", "est"):
                doubling.add(stem_)
    # A stem that doubled its last consonant ("runn" of "running", "stopp" of
    # "stopped"); the word itself keeps its double ("Scarr" is no form of "scar"),
    # and so does a plural ("Hobbs" is no form of "hob").
    for stem_ in doubling:
        if len(stem_) > 3 and stem_[-1] == stem_[-2]:
            candidates.add(stem_[:-1])
    return candidates


#: Below this Zipf frequency a dictionary word is out of use ("miffy",
#: touchy, 1.6): a name spelt so is that name, not the word.
OBSOLETE_WORD_ZIPF = 2.0


def _english_class(letters: str) -> LexicalClass:
    words = _web2()
    lower = letters.lower()
    if lower in words or _modern_word(lower):
        if len(lower) > 3 and english_zipf(lower) < OBSOLETE_WORD_ZIPF:
            return "coined"
        return "ordinary"
    if lower.capitalize() in words or letters in words:
        return "proper"
    return "coined"


def english_zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English (case folded)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word.lower(), "en"))


def _modern_word(lower: str) -> bool:
    """An English word or inflected form the 1934 dictionary lacks ("chainsaw", "knuckles")."""
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(lower)
    return any(form in _web2() or form == lower for forms in lemmas.values() for form in forms)


def _foreign_zipf(words: set[str]) -> dict[str, dict[str, float]]:
    """Zipf frequency of each of ``words`` (folded, lower case) in each foreign language.

    Only frequencies from :data:`LOCAL_WORD_ZIPF` up are read. A word with
    accents counts for its folded spelling ("león" for a registered "Leon").
    """
    found: dict[str, dict[str, float]] = {}
    if not words:
        return found
    try:
        import wordfreq
    except ImportError as exc:
        raise LexiconUnavailableError(
            "the 'wordfreq' package is needed to tell names from common foreign words"
        ) from exc
    # wordfreq lists words in buckets of one centibel, most frequent first:
    # bucket i holds words of frequency 10^(-i/100), i.e. Zipf 9 - i/100.
    last_bucket = round((9.0 - LOCAL_WORD_ZIPF) * 100)
    for lang in FOREIGN_LANGUAGES:
        for word, zipf in _accented(lang).items():
            if word in words:
                found.setdefault(word, {}).setdefault(lang, zipf)
        buckets = wordfreq.get_frequency_list(lang)
        for i, bucket in enumerate(buckets[: last_bucket + 1]):
            for word in words.intersection(bucket):
                languages = found.setdefault(word, {})
                languages[lang] = max(languages.get(lang, 0.0), 9.0 - i / 100)
        del buckets
        wordfreq.get_frequency_list.cache_clear()  # one language in memory at a time
    return found


@lru_cache(maxsize=len(FOREIGN_LANGUAGES))
def _accented(lang: str) -> dict[str, float]:
    """Folded spelling → Zipf of the words of ``lang`` written with accents ("león")."""
    import wordfreq

    last_bucket = round((9.0 - LOCAL_WORD_ZIPF) * 100)
    folded: dict[str, float] = {}
    for i, bucket in enumerate(wordfreq.get_frequency_list(lang)[: last_bucket + 1]):
        for word in bucket:
            if not word.isascii():
                key = _ascii_letters(word).lower()
                if key and key.isascii():
                    folded.setdefault(key, 9.0 - i / 100)
    return folded


def prepare(words: Iterable[str]) -> None:
    """Classify many words at once (loads each frequency list once)."""
    pending: set[str] = set()
    unplaced: set[str] = set()  # words whose languages are not known yet
    for word in words:
        letters = _ascii_letters(word)
        key = letters.lower()
        if len(letters) > 1 and key not in _languages:
            unplaced.add(key)
        if key in _classes or key in pending:
            continue
        if len(letters) <= 1:
            _classes[key] = "letter"
            continue
        english = _english_class(letters)
        if english != "coined":
            _classes[key] = english
        else:
            pending.add(key)
    frequencies = _foreign_zipf(pending | unplaced)
    for key in unplaced:
        _languages[key] = frozenset(frequencies.get(key, ()))
    for key in pending:
        common = max(frequencies.get(key, {}).values(), default=0.0) >= FOREIGN_ZIPF
        _classes[key] = "proper" if common or is_person_name(key) else "coined"


def word_key(word: str) -> str:
    """How the lexicon keys a word: letters only, no accents, lower case ("León" → "leon")."""
    return _ascii_letters(word).lower()


def word_languages(word: str) -> frozenset[str]:
    """Languages (of :data:`FOREIGN_LANGUAGES`) in which ``word`` is an everyday word.

    Everyday means at least :data:`LOCAL_WORD_ZIPF`: "himmel" and "frieren"
    in German, "dio" in Italian, "leon" (león) in Spanish.
    """
    key = _ascii_letters(word).lower()
    if key not in _languages:
        prepare([word])
    return _languages.get(key, frozenset())


def word_class(word: str) -> LexicalClass:
    """Class of one word: a letter, an ordinary word, a proper name, or coined."""
    key = _ascii_letters(word).lower()
    if key not in _classes:
        prepare([word])
    return _classes[key]


_ALPHANUMERIC = re.compile(r"[^\W_]+")


def _designation(token: str) -> bool:
    """A token of letters and digits together ("2B", "A2", "3PO")."""
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


def words_of(form: str) -> list[str]:
    return _WORD.findall(form)


@lru_cache(maxsize=65536)
def is_word(word: str) -> bool:
    """Whether ``word`` (or its stem: "flies", "milked") is an English dictionary word."""
    letters = _ascii_letters(word)
    if len(letters) <= 1:
        return False
    words = _web2()
    lower = letters.lower()
    if lower in words or lower.capitalize() in words:
        return True
    # An inflected form needs a common-noun base: "Olaff" is no form of "Olaf".
    return any(c in words for c in _dictionary_forms(lower) - {lower})


@lru_cache(maxsize=65536)
def is_proper_noun(word: str) -> bool:
    """Whether the dictionary lists ``word`` only capitalised ("Edward", not "edward")."""
    lower = _ascii_letters(word).lower()
    words = _web2()
    return lower not in words and lower.capitalize() in words


def _clipped_compound(chunk: str) -> bool:
    """A hyphenated coinage of short syllables ("Yo-kai"): no English word, whatever its parts.

    Its parts may each be dictionary words ("yo", "kai"), but joined they
    make no word and nobody writes them so in English.
    """
    parts = [p for p in chunk.split("-") if p]
    if len(parts) < 2 or not all(p.isalpha() for p in parts):
        return False
    if min(len(p) for p in parts) < 2 or max(len(p) for p in parts) > 3:
        return False
    return not is_word("".join(parts))


def form_class(form: str) -> LexicalClass:
    """Class of a (possibly multi-word) Latin form.

    A phrase of ordinary words ("One Piece", "Hello Kitty") is ordinary; any
    coined word makes it coined ("Son Goku"); otherwise it reads like a
    person's or place's name ("Donald Duck").
    """
    tokens = words_of(form)
    if not tokens:
        return "coined"
    if any(_clipped_compound(chunk) for chunk in form.split()):
        return "coined"
    chunks = _ALPHANUMERIC.findall(form)
    if any(_designation(c) for c in chunks):
        # Letters run into digits make a designation: "2B", "A2" or "9S" is
        # a name others bear too (a pencil grade, a paper size); two of them
        # together, or one with a letter ("R2-D2", "C-3PO"), only this one.
        if len(chunks) == 1:
            return "proper"
        if all(_designation(c) or (c.isalpha() and len(c) == 1) for c in chunks):
            return "coined"
    classes = [word_class(t) for t in tokens]
    if len(classes) == 1:
        return classes[0]
    if "coined" in classes:
        return "coined"
    if all(c in ("ordinary", "letter") for c in classes):
        return "ordinary"
    return "proper"
