"""Recognise characters that a prompt describes without naming them.

A prompt such as "a chubby yellow electric mouse with red cheeks and a
lightning-bolt tail" names nothing, yet plainly asks for a registered
character. This recogniser compares the prompt's words with every registered
character description and reports the characters whose *distinctive* features
the prompt repeats, plus epithets ("the Straw Hat captain") built from a
character's description, names and its work's signature terms.

How it stays general (nothing here knows any character):

* Words are reduced to keys (NFKC, accents and case folded, lemmatised with
  ``lemminflect``, then Snowball-stemmed), so "winged"/"wings",
  "haired"/"hair", "teeth"/"tooth", "swordsman"/"sword" and
  "lightning-bolt tail" / "lightning bolt shaped tail" meet.
* A key's weight says how much it distinguishes: a general-English
  commonness prior (``wordfreq``'s Zipf scale: "hair" is everywhere, "haori"
  is not) times an IDF over all registered descriptions.
* A description is recognised by its *phrases*: two features side by side
  in both texts ("red cheeks", "blue overalls") count extra, and at least
  one such phrase is needed, because stray shared words ("a teenage girl
  with blonde pigtails") are how unrelated prompts resemble a character.
* A colour the prompt gives a matched word that the description does not
  ("gray overalls" against "blue overalls") is evidence *against*.
* Candidates that add nothing beyond what a better-fitting candidate already
  explains are demoted; a work-mate of a described character gets a small
  bonus (companions appear together).
* A prompt that calls its subject by a name the registry does not list
  ("Hideki Ryuga crouching on his chair") needs fewer features.
* A capitalised epithet ("the Caped Crusader", "the Prince of all Saiyans")
  is resolved by the whole prompt and by the *identity phrase* a
  description opens with ("A proud Saiyan warrior"); a clear winner only.
* A work is evoked by distinctive words of its titles and terms spread over
  the prompt ("a giant titan peering over a wall"), never by the words of
  one registered form scattered ("a dragon chasing a ball").

And fast: an inverted index from keys to characters finds candidates from
the prompt's rarest keys first, within a fixed budget of postings, and only
those candidates are scored; per-character features live in flat arrays.

The recogniser is pure: :class:`DescriptionRecogniser` compiles its index
once per registry snapshot and ``find`` does no I/O.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import Stemmer
from lemminflect import getAllLemmas
from wordfreq import zipf_frequency

from kyodaku.registry.model import Character, Registry
from kyodaku.screen.index_cache import CachedOnDisk
from kyodaku.screen.nicknames import compound_nicknames, name_with_identity
from kyodaku.screen.types import Evidence, ScreeningError, Span

__all__ = [
    "COLOUR_FAMILIES",
    "DEFAULT_CONFIG",
    "ROLE_NOUNS",
    "STOPWORDS",
    "DescriptionRecogniser",
    "ScoringConfig",
    "Token",
    "analyse",
    "colours_of",
    "word_key",
]

# ---------------------------------------------------------------------------
# Tunables. Defaults were set from the development set's score distributions
# (the gap between described characters and hard negatives), never from a
# particular character; benchmarks/descriptions_dev.py prints the figures.


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """Thresholds and weights of the scorer, in one place to tune and report."""

    #: Zipf frequency at or above which a word carries (almost) no weight, and
    #: at or below which it carries full weight ("hair" ~5.1, "haori" ~1.3).
    zipf_common: float = 6.0
    zipf_rare: float = 3.0
    #: Floor so that even a common word counts a little.
    min_word_weight: float = 0.05
    #: Share of a key's weight that depends on registry IDF (the rest is the
    #: general-English prior, which matters most for small registries).
    idf_share: float = 0.5
    #: Bonus per pair of features adjacent in both description and prompt,
    #: as a multiple of the lighter feature's weight.
    pair_bonus: float = 1.0
    #: Content words apart that still count as "adjacent".
    pair_window: int = 2
    #: Weight of a work's term/title key relative to a description key: it
    #: points at every character of the work, not at one.
    work_term_factor: float = 0.5
    #: A description needs at least this many distinct matched features...
    min_features: int = 3
    #: ...this many of them side by side as in the description...
    min_phrases: int = 1
    #: ...and this much summed evidence to be reported as kind="description".
    description_threshold: float = 1.9
    #: A feature the prompt gives another colour ("gray overalls") subtracts
    #: this multiple of its weight.
    conflict_penalty: float = 2.0
    #: Weight of another character's name inside a description ("Goku's rival").
    relational_factor: float = 0.5
    #: Added to a character whose work-mate is described in the same prompt
    #: (such a character needs no phrase of its own).
    sibling_bonus: float = 0.5
    #: Evidence a candidate must add beyond words a stronger one already
    #: explains, to be reported as a description of its own.
    explained_residual: float = 0.5
    #: ...where "stronger" means ahead by this much evidence: two characters
    #: that fit equally well are both reported.
    explained_margin: float = 1.0
    #: Softness of the score above the threshold.
    score_scale: float = 1.5
    #: Below the threshold, evidence above this is reported as kind="feature".
    feature_threshold: float = 0.6
    feature_score_cap: float = 0.45
    max_feature_evidence: int = 5
    #: Epithet: share of the epithet's word weight a character must cover...
    epithet_min_coverage: float = 0.6
    #: ...with at least one distinctive modifier ("young soldier" is no
    #: epithet, "Straw Hat captain" is) and this much covered weight in all.
    epithet_min_modifier_weight: float = 0.5
    epithet_min_evidence: float = 1.0
    #: An epithet that this many characters could carry is no epithet.
    epithet_max_candidates: int = 256
    #: A work's vocabulary: a title word at least this distinctive, and this
    #: much evidence from two or more of its words in different forms.
    vocabulary_title_weight: float = 0.6
    vocabulary_threshold: float = 1.0
    #: A prompt that calls its subject by an unregistered name ("Hideki
    #: Ryuga ...") needs only this much evidence and this many features.
    named_threshold: float = 1.5
    named_min_features: int = 2
    #: A word rarer than this in English (Zipf) reads as a name when capitalised.
    name_word_zipf: float = 3.0
    #: Sobriquets (title-cased epithets resolved by the whole prompt): the
    #: winner needs this much evidence and this lead over the runner-up.
    sobriquet_min_evidence: float = 0.5
    sobriquet_margin: float = 0.25
    #: ...and, unless a word of the epithet besides its role noun is the
    #: winner's own, this much description evidence outside the epithet.
    sobriquet_outside_evidence: float = 0.25
    #: Identity-phrase fit: the same role noun (or the epithet's words after
    #: "of" in it); the epithet's words beside a role noun.
    identity_same_role: float = 0.5
    identity_group_role: float = 0.3
    #: Candidate generation: keys are taken rarest first until this many
    #: postings were read; only the best ``max_candidates`` are scored.
    posting_budget: int = 60_000
    max_candidates: int = 64


DEFAULT_CONFIG = ScoringConfig()

# ---------------------------------------------------------------------------
# Lexicons: closed classes of general English, nothing about any character.


def _word_list(text: str) -> list[str]:
    return text.split()


#: Function words and description filler. They carry no identity and would
#: otherwise separate an attribute from its object ("a red *and* blue gi").
STOPWORDS: frozenset[str] = frozenset(
    _word_list(
        """
    a an the and or but nor of to in on at by for with without from into onto over under
    above below up down out off about as than then so such very too also just only even
    is are was were be been being am has have had having do does did doing can could
    will would shall should may might must who whom whose which that this these those
    what when where while whilst why how it its he him his she her hers they them
    their theirs we us our you your i me my mine s t d ll re ve m
    all any both each every either neither some no not nothing
    often usually always sometimes famously mostly mainly rather quite
    there here upon via per
    wear wears wearing worn wore dressed clad bearing bears
    character person figure someone something
    """
    )
)

#: Nouns that head an epithet ("the Straw Hat *captain*", "the *Prince* of
#: all Saiyans").
ROLE_NOUNS: frozenset[str] = frozenset(
    _word_list(
        """
    captain king queen prince princess emperor empress lord lady leader chief commander
    general admiral hunter soldier warrior guardian knight master hero heroine crusader
    protector defender detective pirate ninja samurai wizard witch sorcerer sorceress god
    goddess demon devil boss champion slayer burglar thief avenger villain doctor professor
    ruler monarch tyrant overlord sovereign heir legend rider keeper sage saint angel
    assassin mercenary ranger outlaw bandit scout sentinel vigilante spirit guard beast
    monster duke duchess baron count countess
    """
    )
)

#: Colour words and the hue families they belong to; near colours share a
#: family so that "blond"/"golden"/"yellow" agree.
_COLOUR_GROUPS: dict[str, str] = {
    "red": "red crimson scarlet ruby burgundy maroon cherry",
    "orange": "orange tangerine amber ginger copper",
    "yellow": "yellow gold golden blond blonde amber lemon",
    "green": "green emerald lime olive teal jade mint",
    "blue": "blue navy azure cyan teal cobalt sapphire turquoise",
    "purple": "purple violet lavender lilac magenta plum indigo mauve",
    "pink": "pink magenta rose rosy salmon",
    "brown": "brown tan chocolate chestnut auburn burgundy bronze beige copper",
    "black": "black ebony jet dark raven",
    "white": "white cream ivory pale snowy chalk",
    "gray": "gray grey silver ash slate",
}


def _colour_bits(groups: dict[str, str]) -> dict[str, int]:
    bits: dict[str, int] = {}
    for bit, words in enumerate(groups.values()):
        for word in words.split():
            bits[word] = bits.get(word, 0) | (1 << bit)
    return bits


#: Colour word → bitmask of its hue families.
COLOUR_FAMILIES: dict[str, int] = _colour_bits(_COLOUR_GROUPS)

_SPELLING = {
    "grey": "gray",
    "armour": "armor",
    "colour": "color",
    "coloured": "colored",
    "moustache": "mustache",
    "moustached": "mustached",
    "moustachioed": "mustachioed",
    "favourite": "favorite",
    "centre": "center",
}

# ---------------------------------------------------------------------------
# Words → keys, and how common a word is.

_STEMMER = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """NFKC, case-fold and strip accents, so that "Pokémon" meets "pokemon"."""
    text = unicodedata.normalize("NFKC", word).casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


@lru_cache(maxsize=200_000)
def _key_and_base(folded: str) -> tuple[str, str]:
    """(key, base word): the base is the lemma the key was stemmed from."""
    word = _SPELLING.get(folded, folded)
    if not word.isascii() or not word.isalpha():
        return word, word
    for suffix in ("swoman", "swomen", "smen", "sman"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    lemmas = getAllLemmas(word)
    for pos in ("ADJ", "NOUN", "VERB"):
        forms = lemmas.get(pos)
        if forms:
            word = min(forms, key=len)
            break
    return _STEMMER.stemWord(word), word


def word_key(folded: str) -> str:
    """The matching key of an already folded word.

    Lemmatise first (``lemminflect``: "taller"→"tall", "teeth"→"tooth",
    "flew"→"fly"), then stem (Snowball: "winged"→"wing", "haired"→"hair"),
    because neither alone covers both irregular forms and derivations.
    "-sman"/"-swoman" compounds keep their first part ("swordsman"→"sword").
    """
    return _key_and_base(folded)[0]


@lru_cache(maxsize=200_000)
def word_zipf(folded: str) -> float:
    """General-English frequency of a word on the Zipf scale (0 = unseen)."""
    return zipf_frequency(folded, "en")


@lru_cache(maxsize=200_000)
def key_zipf(folded: str) -> float:
    """How common the word *family* of ``folded`` is (Zipf scale, 0 = unseen).

    The most common of the word, its base and its stem when that is a word:
    "swordsman" is rare but a prompt says "sword"; "winged" is rare, "wing"
    is not.
    """
    key, base = _key_and_base(folded)
    return max(word_zipf(folded), word_zipf(base), word_zipf(key))


# ---------------------------------------------------------------------------
# Text analysis: tokens with offsets into the original text.

_TOKEN_RE = re.compile(r"[^\W_]+")
#: Punctuation that ends a clause: features on either side are not "adjacent".
_BREAK_RE = re.compile(r'[,.;:!?()\[\]{}"“”「」『』、。！？…—–\n]')
_HYPHEN_RE = re.compile(r"[-‐‑‒]+")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f]")


class Token(NamedTuple):
    """One word of a text, with where it is and what it matches as."""

    start: int
    end: int
    folded: str
    key: str
    is_content: bool
    segment: int  # clause number: increases at , . ; : and the like
    hyphen_before: bool  # joined to the previous word by a hyphen
    capitalised: bool
    colour: int  # hue-family bits if the word itself is a colour, else 0


def analyse(text: str) -> list[Token]:
    """Split ``text`` into tokens with code-point offsets into ``text`` itself.

    Scripts without spaces (Japanese, Chinese) come out as long runs that
    are kept as tokens but never match: registered descriptions are English.
    """
    tokens: list[Token] = []
    segment = 0
    previous_end = 0
    for match in _TOKEN_RE.finditer(text):
        start = match.start()
        hyphen_before = False
        if start != previous_end + 1 or text[previous_end] != " ":
            gap = text[previous_end:start]
            if _BREAK_RE.search(gap):
                segment += 1
            hyphen_before = bool(tokens) and _HYPHEN_RE.fullmatch(gap) is not None
        folded, key, is_content, capitalised, colour = _word_facts(match.group())
        previous_end = match.end()
        tokens.append(
            Token(
                start,
                previous_end,
                folded,
                key,
                is_content,
                segment,
                hyphen_before,
                capitalised,
                colour,
            )
        )
    return tokens


@lru_cache(maxsize=100_000)
def _word_facts(raw: str) -> tuple[str, str, bool, bool, int]:
    """What a word says wherever it stands: (folded, key, is_content, capitalised, colour).

    One cached lookup per prompt word instead of one per fact.
    """
    folded = fold(raw)
    is_content = folded not in STOPWORDS and not folded.isdigit() and _CJK_RE.search(raw) is None
    key = word_key(folded) if is_content else folded
    return folded, key, is_content, raw[:1].isupper(), COLOUR_FAMILIES.get(folded, 0)


def _content(tokens: Sequence[Token]) -> list[Token]:
    return [t for t in tokens if t.is_content]


@lru_cache(maxsize=4096)
def _description_content(description: str) -> tuple[Token, ...]:
    """Content tokens of a registered description (re-read to quote matches)."""
    return tuple(_content(analyse(description)))


# ---------------------------------------------------------------------------
# Colours that modify a word. A prompt's "gray overalls" contradicts a
# description's "blue overalls". (Counts were tried too, but "one katana in
# his mouth" against "three katanas, one held in his mouth" shows how they
# mislead.)

_COLOUR_LINKS = frozenset({"and", "or"})


def contradicts(described: int, said: int) -> bool:
    """Both sides give a colour and no hue family agrees."""
    return bool(described and said and not described & said)


def colours_of(tokens: Sequence[Token], index: int) -> int:
    """Hue-family bits of the colours that modify ``tokens[index]``.

    Walks back over hyphenated units in the same clause: colour units are
    collected ("orange-and-blue gi", "black-tipped ears"), "and"/"or" link
    them, and one other word may stand between them and the noun ("blue
    *robot* cat"); anything else ends the walk. A participle hands the colour
    on to the noun after it ("an orange winged lizard"), so only its own
    unit ("black-haired") colours it.
    """
    token = tokens[index]
    if token.colour:
        return 0
    start = index
    while start > 0 and tokens[start].hyphen_before:
        start -= 1
    found = 0
    for inner in tokens[start:index]:
        found |= inner.colour
    if token.folded.endswith("ed"):
        return found
    skipped = False
    cursor = start - 1
    while cursor >= 0 and tokens[cursor].segment == token.segment:
        unit_end = cursor
        unit = tokens[cursor].colour
        while cursor > 0 and tokens[cursor].hyphen_before:
            cursor -= 1
            unit |= tokens[cursor].colour
        if unit:
            found |= unit
        elif tokens[unit_end].folded in _COLOUR_LINKS and found:
            pass
        elif tokens[unit_end].is_content and not skipped and not found:
            skipped = True
        else:
            break
        cursor -= 1
    return found


# ---------------------------------------------------------------------------
# The compiled index.

_COMPOUND = 1  # joined from a hyphenated pair ("head-light" → "headlight")
_RELATIONAL = 2  # another character's name ("Tanjiro's younger sister")


class _Feature(NamedTuple):
    """A key of one character's description and where it sits in it."""

    key_id: int
    position: int  # index among the description's content words
    segment: int
    flags: int
    colours: int  # hue families the description gives this word, all places

    @property
    def compound(self) -> bool:
        return bool(self.flags & _COMPOUND)

    @property
    def relational(self) -> bool:
        return bool(self.flags & _RELATIONAL)


class _Occurrence(NamedTuple):
    """Where a key occurs in the prompt."""

    position: int  # index among the prompt's content words
    segment: int
    first_token: int
    last_token: int
    from_pair: bool  # made by joining two adjacent prompt words
    colours: int


class _Seen(NamedTuple):
    """What every candidate asks about one key of the prompt, worked out once per prompt."""

    weight: float
    place: _Occurrence  # where it occurs first
    colours: int  # colours the prompt gives it, all places
    word_place: _Occurrence | None  # first place as a word of its own (not a joined pair)
    word_colours: int  # colours at those places

    @classmethod
    def of(cls, places: list[_Occurrence], weight: float) -> _Seen:
        colours = word_colours = 0
        word_place = None
        for place in places:
            colours |= place.colours
            if not place.from_pair:
                word_colours |= place.colours
                if word_place is None:
                    word_place = place
        return cls(weight, places[0], colours, word_place, word_colours)


@dataclass(slots=True)
class _Match:
    """One candidate's matched features, with the evidence they add up to."""

    char_index: int
    features: list[tuple[_Feature, _Occurrence, float]]
    work_keys: list[tuple[int, _Occurrence, float]]
    pairs: int
    total: float
    #: Features the prompt gives another colour ("gray overalls").
    conflicts: list[tuple[_Feature, _Occurrence, float]]

    @property
    def distinct(self) -> int:
        """Matched features that describe the character (not relational ones)."""
        return sum(1 for f, _, _ in self.features if not f.flags & _RELATIONAL)


class _Vocabulary:
    """Keys ↔ ids, with how common each key's word family is (for weighting)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.max_zipf: list[float] = []

    def add(self, key: str, folded_surface: str) -> int:
        key_id = self.ids.get(key)
        zipf = key_zipf(folded_surface)
        if key_id is None:
            key_id = len(self.max_zipf)
            self.ids[key] = key_id
            self.max_zipf.append(zipf)
        elif zipf > self.max_zipf[key_id]:
            self.max_zipf[key_id] = zipf
        return key_id

    def keys_of(self, texts: Iterable[str]) -> set[int]:
        keys: set[int] = set()
        for text in texts:
            for token in analyse(text):
                if token.is_content:
                    keys.add(self.add(token.key, token.folded))
        return keys


def _description_features(
    description: str, vocabulary: _Vocabulary, named_by: dict[int, int], own_names: set[int]
) -> list[_Feature]:
    """Keys of a description with positions; the first occurrence of each key wins.

    A hyphenated pair that is also a dictionary word when joined
    ("head-light" → "headlight") adds the joined key too, so a prompt that
    writes it closed still meets it. A key in another character's name
    (``named_by`` counts the characters per name key) that the description
    always writes capitalised is relational.
    """
    tokens = analyse(description)
    has_colour = any(t.colour for t in tokens)
    features: dict[int, list[int]] = {}  # key → [position, segment, flags, colours]
    lower_case: set[int] = set()
    position = -1
    for index, token in enumerate(tokens):
        if not token.is_content:
            continue
        position += 1
        key_id = vocabulary.add(token.key, token.folded)
        if not token.capitalised:
            lower_case.add(key_id)
        colours = colours_of(tokens, index) if has_colour else 0
        held = features.get(key_id)
        if held is None:
            features[key_id] = [position, token.segment, 0, colours]
        else:
            held[3] |= colours
        previous = tokens[index - 1] if index else None
        if token.hyphen_before and previous is not None and previous.is_content:
            joined = previous.folded + token.folded
            if word_zipf(joined) > 0:
                joined_id = vocabulary.add(word_key(joined), joined)
                features.setdefault(joined_id, [position - 1, token.segment, _COMPOUND, 0])
    out = []
    for key_id, (pos, segment, flags, colours) in features.items():
        if named_by.get(key_id, 0) > (key_id in own_names) and key_id not in lower_case:
            flags |= _RELATIONAL
        out.append(_Feature(key_id, pos, segment, flags, colours))
    return out


class _Postings:
    """Character indices per key (or per work) in one flat array, CSR layout.

    One array per key would be hundreds of thousands of small objects for a
    large registry, and unpickling that many objects dominated loading the
    recogniser from its disk cache; two flat arrays load in milliseconds.
    ``postings[key]`` is a read-only view, sorted ascending.
    """

    __slots__ = ("data", "offsets")

    def __init__(self, lists: dict[int, list[int]], size: int) -> None:
        counts = np.zeros(size + 1, dtype=np.int64)
        for key_id, members in lists.items():
            counts[key_id + 1] = len(members)
        self.offsets = np.cumsum(counts)
        self.data = np.empty(int(self.offsets[-1]), dtype=np.int32)
        for key_id, members in lists.items():
            lo = int(self.offsets[key_id])
            self.data[lo : lo + len(members)] = np.sort(np.asarray(members, dtype=np.int32))
        self.data.flags.writeable = False

    def __getitem__(self, key_id: int) -> np.ndarray:
        return self.data[self.offsets[key_id] : self.offsets[key_id + 1]]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def lengths(self) -> np.ndarray:
        """How many members each key has."""
        return np.diff(self.offsets)


class _DescriptionIndex:
    """Everything ``find`` needs, computed once per registry snapshot.

    Per-character features live in flat arrays (CSR layout: the features of
    character ``c`` are rows ``start[c]:start[c + 1]``), so that a registry
    of 100,000 characters stays in tens of megabytes.
    """

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["characters"] = ()  # restored from the registry by attach()
        return state

    def __init__(self, registry: Registry, config: ScoringConfig) -> None:
        self.config = config
        vocabulary = _Vocabulary()
        self.characters: tuple[Character, ...] = tuple(registry.characters)
        work_index = {w.id: i for i, w in enumerate(registry.works)}

        proper_names: list[set[int]] = []
        named_by: dict[int, int] = {}  # key → how many characters have it in a name
        for character in self.characters:
            keys = vocabulary.keys_of(character.all_names)
            proper_names.append(keys)
            for key_id in keys:
                named_by[key_id] = named_by.get(key_id, 0) + 1

        starts = [0]
        columns: tuple[list[int], ...] = ([], [], [], [], [])
        desc_lists: dict[int, list[int]] = {}
        name_lists: dict[int, list[int]] = {}
        name_starts = [0]
        name_keys: list[int] = []
        work_of_char: list[int] = []
        chars_of_work: list[list[int]] = [[] for _ in registry.works]
        for index, character in enumerate(self.characters):
            own = proper_names[index]
            for feature in _description_features(character.description, vocabulary, named_by, own):
                for column, value in zip(columns, feature, strict=True):
                    column.append(value)
                desc_lists.setdefault(feature.key_id, []).append(index)
            starts.append(len(columns[0]))
            names = own | vocabulary.keys_of(character.aliases)
            name_keys.extend(sorted(names))
            name_starts.append(len(name_keys))
            for key_id in names:
                name_lists.setdefault(key_id, []).append(index)
            work = work_index.get(character.work, -1)
            work_of_char.append(work)
            if work >= 0:
                chars_of_work[work].append(index)

        #: Keys of each registered title and term of each work, form by form.
        self.work_forms: list[tuple[frozenset[int], ...]] = []
        self.title_keys: list[frozenset[int]] = []
        for w in registry.works:
            titles = [frozenset(vocabulary.keys_of((t,))) for t in w.all_titles]
            terms = [frozenset(vocabulary.keys_of((t,))) for t in w.terms]
            self.work_forms.append(tuple(f for f in (*titles, *terms) if f))
            self.title_keys.append(frozenset().union(*titles))
        self.work_keys: list[frozenset[int]] = [frozenset().union(*f) for f in self.work_forms]
        work_lists: dict[int, list[int]] = {}
        for work, keys in enumerate(self.work_keys):
            for key_id in keys:
                work_lists.setdefault(key_id, []).append(work)

        self.key_ids = vocabulary.ids
        #: Keys of every registered name, alias, title and term: a capitalised
        #: word among them is no *unregistered* name.
        self.registered_keys: frozenset[int] = frozenset(name_lists).union(work_lists)
        size = len(vocabulary.max_zipf)
        self.start = np.asarray(starts, dtype=np.int64)
        self.feature_key, self.feature_position, self.feature_segment = (
            np.asarray(column, dtype=np.int32) for column in columns[:3]
        )
        self.feature_flags = np.asarray(columns[3], dtype=np.uint8)
        self.feature_colours = np.asarray(columns[4], dtype=np.int32)
        self.name_start = np.asarray(name_starts, dtype=np.int64)
        self.name_key = np.asarray(name_keys, dtype=np.int32)
        self.work_of_char = np.asarray(work_of_char, dtype=np.int32)
        self.chars_of_work = _Postings(dict(enumerate(chars_of_work)), len(chars_of_work))
        self.postings = _Postings(desc_lists, size)
        self.name_postings = _Postings(name_lists, size)
        self.works_with_key = {k: tuple(v) for k, v in work_lists.items()}
        self.document_frequency = self.postings.lengths().astype(np.int32)
        self.weight = self._weights(np.asarray(vocabulary.max_zipf, dtype=np.float64))

    def _weights(self, zipf: np.ndarray) -> np.ndarray:
        """How much matching each key says, in [min_word_weight, 1].

        Commonness prior: linear on the Zipf scale between ``zipf_rare`` (full
        weight) and ``zipf_common`` (floor). IDF: ``log(1 + N/df) / log(1 + N)``,
        1 for a key only one character has. The prior dominates in a small
        registry, where IDF is noisy; IDF sharpens as the registry grows.
        """
        c = self.config
        prior = np.clip((c.zipf_common - zipf) / (c.zipf_common - c.zipf_rare), 0.0, 1.0)
        n = max(len(self.characters), 1)
        df = np.maximum(self.document_frequency, 1).astype(np.float64)
        idf = np.log1p(n / df) / math.log1p(n) if n > 1 else np.ones_like(df)
        weight = prior * ((1.0 - c.idf_share) + c.idf_share * idf)
        return np.maximum(weight, c.min_word_weight)

    def features_among(self, chars: np.ndarray, present: np.ndarray) -> list[list[_Feature]]:
        """Per character of ``chars``, its features whose key is in ``present``.

        Gathers the feature rows of all the characters with a few array
        operations: reading them character by character cost more than
        scoring them. Each list keeps the description's own order.
        """
        lo = self.start[chars]
        lengths = self.start[chars + 1] - lo
        # Row numbers of every character's features, one character after another.
        first_of_run = np.cumsum(lengths) - lengths
        rows = np.arange(int(lengths.sum())) + np.repeat(lo - first_of_run, lengths)
        owner = np.repeat(np.arange(len(chars)), lengths)
        # (kind="sort": the default first weighs a lookup table, which costs more here)
        hit = np.isin(self.feature_key[rows], present, kind="sort")
        rows, owner = rows[hit], owner[hit].tolist()
        features = map(
            _Feature,
            self.feature_key[rows].tolist(),
            self.feature_position[rows].tolist(),
            self.feature_segment[rows].tolist(),
            self.feature_flags[rows].tolist(),
            self.feature_colours[rows].tolist(),
        )
        out: list[list[_Feature]] = [[] for _ in range(len(chars))]
        for slot, feature in zip(owner, features, strict=True):
            out[slot].append(feature)
        return out

    def feature_keys(self, char_index: int) -> set[int]:
        """Keys of the character's description."""
        lo, hi = int(self.start[char_index]), int(self.start[char_index + 1])
        return set(self.feature_key[lo:hi].tolist())

    def own_keys(self, char_index: int) -> set[int]:
        """Keys of the character's description, names and aliases."""
        lo, hi = int(self.start[char_index]), int(self.start[char_index + 1])
        keys = set(self.feature_key[lo:hi].tolist())
        lo, hi = int(self.name_start[char_index]), int(self.name_start[char_index + 1])
        keys.update(self.name_key[lo:hi].tolist())
        return keys

    def characters_with(self, key_id: int) -> np.ndarray:
        """Characters having ``key_id`` in their description, names or work terms."""
        parts = [self.postings[key_id], self.name_postings[key_id]]
        parts.extend(self.chars_of_work[w] for w in self.works_with_key.get(key_id, ()))
        return np.unique(np.concatenate(parts))

    def prompt_weight(self, token: Token) -> float:
        """Weight of a prompt word, known to the registry or not (for epithets)."""
        key_id = self.key_ids.get(token.key)
        if key_id is not None:
            return float(self.weight[key_id])
        # Unknown to the registry: maximally distinctive there, so IDF is 1.
        c = self.config
        prior = (c.zipf_common - key_zipf(token.folded)) / (c.zipf_common - c.zipf_rare)
        return max(c.min_word_weight, min(1.0, prior))


# ---------------------------------------------------------------------------
# The recogniser.


class DescriptionRecogniser(CachedOnDisk):
    """Finds characters a prompt describes by their registered features.

    ``find`` returns, per character, at most one of kind ``"description"``
    (score ≥ 0.5: enough distinctive features to stand on its own) or
    ``"feature"`` (score < 0.5: corroboration for an ambiguous name match),
    and ``"epithet"`` evidence for phrases like "the Straw Hat captain"; for
    works, ``"vocabulary"`` evidence (words of its titles and terms).
    """

    #: Building takes seconds on a large registry, so the screening cache
    #: keeps the built recogniser on disk (:class:`CachedOnDisk`).
    name = "description"

    def __init__(self, registry: Registry, config: ScoringConfig = DEFAULT_CONFIG) -> None:
        self.registry = registry
        self.config = config
        self._index = _DescriptionIndex(registry, config)

    def attach(self, registry: Registry) -> None:
        super().attach(registry)
        self._index.characters = tuple(registry.characters)

    # -- public --------------------------------------------------------------
    def find(self, prompt: str) -> list[Evidence]:
        if not isinstance(prompt, str):
            raise ScreeningError(
                "description.prompt_type", f"prompt must be str, not {type(prompt).__name__}"
            )
        tokens = analyse(prompt)
        occurrences = self._occurrences(tokens)
        matches = self._match(occurrences) if occurrences else []
        found = self._nicknames(tokens, matches)
        if occurrences:
            found += (
                self._describe(tokens, matches)
                + self._epithets(tokens)
                + self._sobriquets(tokens, matches)
                + self._work_vocabulary(tokens, occurrences)
            )
        if not found:
            return []
        strong = {e.asset_id for e in found if e.kind != "feature"}
        best_feature: dict[str, Evidence] = {}
        for e in found:
            if e.kind == "feature" and e.asset_id not in strong:
                held = best_feature.get(e.asset_id)
                if held is None or e.score > held.score:
                    best_feature[e.asset_id] = e
        kept = [e for e in found if e.kind != "feature"] + list(best_feature.values())
        return sorted(kept, key=lambda e: -e.score)

    def score_candidates(self, prompt: str) -> list[tuple[str, float, int, int]]:
        """(character id, summed evidence, matched features, phrases), best first.

        For benchmarks and ``--explain``: the raw figures behind ``find``.
        """
        occurrences = self._occurrences(analyse(prompt))
        matches = self._match(occurrences) if occurrences else []
        return [
            (self._index.characters[m.char_index].id, m.total, len(m.features), m.pairs)
            for m in matches
        ]

    # -- prompt side ---------------------------------------------------------
    def _occurrences(self, tokens: Sequence[Token]) -> dict[int, list[_Occurrence]]:
        """Registry keys present in the prompt, each with up to four places.

        Adjacent words also try their joined form, so "body suit" meets a
        registered "bodysuit".
        """
        key_ids = self._index.key_ids
        has_colour = any(t.colour for t in tokens)
        found: dict[int, list[_Occurrence]] = {}
        position = -1
        previous_index = -2
        for token_index, token in enumerate(tokens):
            if not token.is_content:
                continue
            position += 1
            key_id = key_ids.get(token.key)
            if key_id is not None:
                places = found.setdefault(key_id, [])
                if len(places) < 4:
                    colours = colours_of(tokens, token_index) if has_colour else 0
                    places.append(
                        _Occurrence(
                            position, token.segment, token_index, token_index, False, colours
                        )
                    )
            if (
                previous_index == token_index - 1
                and tokens[previous_index].segment == token.segment
            ):
                joined_id = key_ids.get(word_key(tokens[previous_index].folded + token.folded))
                if joined_id is not None and joined_id != key_id:
                    places = found.setdefault(joined_id, [])
                    if len(places) < 4:
                        places.append(
                            _Occurrence(
                                position - 1, token.segment, previous_index, token_index, True, 0
                            )
                        )
            previous_index = token_index
        return found

    # -- descriptions --------------------------------------------------------
    def _candidates(self, key_ids: Iterable[int]) -> np.ndarray:
        """Characters sharing the prompt's rarest keys, best first.

        Keys are read rarest first until ``posting_budget`` postings were
        read; a weighted bincount ranks the characters found.
        """
        index = self._index
        ordered = sorted(key_ids, key=lambda k: index.document_frequency[k])
        chosen: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        read = 0
        for key_id in ordered:
            posting = index.postings[key_id]
            if not len(posting):
                continue
            if read and read + len(posting) > self.config.posting_budget:
                break
            chosen.append(posting)
            weights.append(np.full(len(posting), index.weight[key_id]))
            read += len(posting)
        if not chosen:
            return np.empty(0, dtype=np.int32)
        if len(chosen) == 1:
            # One posting list (often one common word): already sorted and
            # unique, each member scoring the key's weight; the sort behind
            # np.unique was most of this method's time.
            present, scores = chosen[0], weights[0]
        else:
            # Sum per character over the characters read only (a bincount over
            # every character of a large registry cost more than the reading).
            present, slot = np.unique(np.concatenate(chosen), return_inverse=True)
            scores = np.bincount(slot, weights=np.concatenate(weights))
        limit = self.config.max_candidates
        if len(present) > limit:
            top = np.argpartition(scores, -limit)[-limit:]
            present, scores = present[top], scores[top]
        return present[np.argsort(-scores, kind="stable")]

    def _match(self, occurrences: dict[int, list[_Occurrence]]) -> list[_Match]:
        index = self._index
        candidates = self._candidates(occurrences.keys())
        if not len(candidates):
            return []
        keys_present = np.fromiter(occurrences, dtype=np.int64, count=len(occurrences))
        features_of = index.features_among(candidates, keys_present)
        # Worked out once per prompt, not once per candidate: weights (numpy
        # scalar reads), first places and colours of each key.
        weights = index.weight[keys_present].tolist()
        seen = {
            key_id: _Seen.of(places, weight)
            for (key_id, places), weight in zip(occurrences.items(), weights, strict=True)
        }
        works = index.work_of_char[candidates].tolist()
        matches: list[_Match] = []
        for char_index, work, present in zip(candidates.tolist(), works, features_of, strict=True):
            match = self._score(char_index, work, present, occurrences, seen)
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda m: -m.total)
        return matches

    def _score(
        self,
        char_index: int,
        work: int,
        present: list[_Feature],
        occurrences: dict[int, list[_Occurrence]],
        seen: dict[int, _Seen],
    ) -> _Match | None:
        """One candidate's evidence from its features the prompt has; None if none counts."""
        config = self.config
        matched: list[tuple[_Feature, _Occurrence, float]] = []
        conflicts: list[tuple[_Feature, _Occurrence, float]] = []
        for feature in present:
            key = seen[feature.key_id]
            place: _Occurrence | None = key.place
            said = key.colours
            if feature.flags & _COMPOUND:  # only a word of its own counts for a compound
                place, said = key.word_place, key.word_colours
                if place is None:
                    continue
            weight = key.weight
            if feature.flags & _RELATIONAL:
                weight *= config.relational_factor
            if said and contradicts(feature.colours, said):
                conflicts.append((feature, place, weight))
            else:
                matched.append((feature, place, weight))
        if not matched:
            return None
        matched.sort(key=lambda m: m[0].position)
        total = sum([w for _, _, w in matched])
        if conflicts:
            total -= config.conflict_penalty * sum([w for _, _, w in conflicts])
        pairs = 0
        for (fa, _, wa), (fb, _, wb) in itertools.pairwise(matched):
            near = fa.segment == fb.segment and fb.position - fa.position <= config.pair_window
            if near and self._adjacent_in_prompt(occurrences[fa.key_id], occurrences[fb.key_id]):
                pairs += 1
                total += config.pair_bonus * min(wa, wb)
        work_matched = self._work_terms(char_index, work, seen)
        for _, _, weight in work_matched:
            total += weight
        return _Match(char_index, matched, work_matched, pairs, total, conflicts)

    def _work_terms(
        self, char_index: int, work: int, seen: dict[int, _Seen]
    ) -> list[tuple[int, _Occurrence, float]]:
        """Terms of the character's work in the prompt that its description lacks."""
        if work < 0:
            return []
        index = self._index
        work_keys = index.work_keys[work]
        if work_keys.isdisjoint(seen):
            return []
        in_prompt = [k for k in work_keys if k in seen]
        own = index.feature_keys(char_index)
        factor = self.config.work_term_factor
        return [(k, seen[k].place, factor * seen[k].weight) for k in in_prompt if k not in own]

    def _adjacent_in_prompt(self, a: list[_Occurrence], b: list[_Occurrence]) -> bool:
        """Whether ``a`` comes shortly before ``b`` in one clause of the prompt.

        Order matters: "spiky blue hair" pairs "spiky … hair" of "spiky black
        hair and an orange-and-blue gi", but "blue hair" does not pair its
        "hair … blue".
        """
        window = self.config.pair_window
        return any(
            x.segment == y.segment and 0 < y.position - x.position <= window for x in a for y in b
        )

    def _judge(
        self, matches: list[_Match], named: bool = False
    ) -> list[tuple[_Match, str, float, str]]:
        """Decide each candidate's kind and score: (match, kind, score, note).

        1. A candidate with ``min_features`` features, ``min_phrases`` of them
           side by side as in the description, and evidence above the
           threshold stands on its own.
        2. A character whose work-mate stands on its own gets
           ``sibling_bonus`` and needs no phrase (characters appear with their
           companions: "Light writes in the notebook while a tall winged
           death god grins").
        3. Explaining away: a candidate whose matched prompt words are
           (nearly) all claimed by a clearly stronger accepted candidate adds
           nothing of its own ("demon slayer … haori" fits Zenitsu only
           because it fits Tanjiro) and is demoted to a feature. Candidates
           that fit equally well are all kept: screening fails closed.
        4. When the prompt calls its subject by a name the registry does not
           know (``named``: "Hideki Ryuga crouching on his chair"), a
           description needs fewer features: the prompt is about somebody in
           particular, and an unlisted alias plus two of a character's
           registered features side by side single that character out.
        """
        config = self.config
        work_of = self._index.work_of_char
        threshold = config.named_threshold if named else config.description_threshold
        min_features = config.named_min_features if named else config.min_features

        def enough(match: _Match, total: float) -> bool:
            return total >= threshold and match.distinct >= min_features

        alone = {
            m.char_index for m in matches if m.pairs >= config.min_phrases and enough(m, m.total)
        }
        strong_works = {int(work_of[c]) for c in alone}
        totals: dict[int, float] = {}
        notes: dict[int, str] = {}
        for match in matches:
            total = match.total
            work = int(work_of[match.char_index])
            if match.char_index not in alone and work >= 0 and work in strong_works:
                total += config.sibling_bonus
                notes[match.char_index] = ", with a work-mate described alongside"
            totals[match.char_index] = total

        claimed: dict[int, float] = {}  # prompt token → best total of a claimant
        judged: list[tuple[_Match, str, float, str]] = []
        features_reported = 0
        for match in sorted(matches, key=lambda m: -totals[m.char_index]):
            total = totals[match.char_index]
            note = notes.get(match.char_index, "")
            if match.char_index in alone or (match.char_index in notes and enough(match, total)):
                clearly_better = total + config.explained_margin
                residual = sum(
                    w
                    for _, o, w in match.features
                    if claimed.get(o.first_token, 0.0) < clearly_better
                )
                if residual >= config.explained_residual:
                    for _, o, _ in match.features:
                        claimed.setdefault(o.first_token, total)
                    excess = total - threshold
                    score = 0.5 + 0.5 * (1.0 - math.exp(-excess / config.score_scale))
                    if named and total < config.description_threshold:
                        note += ", called by a name the registry does not list"
                    judged.append((match, "description", score, note))
                    continue
                note += ", explained by a better-fitting character"
            if total < config.feature_threshold or features_reported >= config.max_feature_evidence:
                continue
            features_reported += 1
            ratio = total / config.description_threshold
            score = min(config.feature_score_cap, config.feature_score_cap * ratio)
            judged.append((match, "feature", score, note))
        return judged

    def _describe(self, tokens: Sequence[Token], matches: list[_Match]) -> list[Evidence]:
        out: list[Evidence] = []
        named = _names_someone(tokens, self._index.key_ids, self._index.registered_keys)
        for match, kind, score, note in self._judge(matches, named):
            character = self._index.characters[match.char_index]
            out.append(
                Evidence(
                    asset_id=character.id,
                    recogniser=self.name,
                    kind=kind,
                    span=self._strongest_span(tokens, match),
                    matched=self._matched_text(character, match),
                    score=round(score, 4),
                    detail=(
                        f"describes {character.display_name} by {len(match.features)} "
                        f"registered feature(s), {match.pairs} as phrases"
                        + (f", plus {len(match.work_keys)} work term(s)" if match.work_keys else "")
                        + (f", {len(match.conflicts)} contradicted" if match.conflicts else "")
                        + note
                        + f" (evidence {match.total:.2f})"
                    ),
                )
            )
        return out

    @staticmethod
    def _strongest_span(tokens: Sequence[Token], match: _Match) -> Span:
        """Span of the densest run of matched prompt words (one clause, small gaps)."""
        hits = sorted(
            [(o.first_token, o.last_token, w) for _, o, w in match.features]
            + [(o.first_token, o.last_token, w) for _, o, w in match.work_keys]
        )
        best: tuple[float, int, int] | None = None
        run_start, run_end, run_weight = hits[0]
        for first, last, weight in hits[1:]:
            if tokens[first].segment == tokens[run_end].segment and first - run_end <= 4:
                run_end = max(run_end, last)
                run_weight += weight
                continue
            if best is None or run_weight > best[0]:
                best = (run_weight, run_start, run_end)
            run_start, run_end, run_weight = first, last, weight
        if best is None or run_weight > best[0]:
            best = (run_weight, run_start, run_end)
        _, first, last = best
        return Span(tokens[first].start, tokens[last].end)

    def _matched_text(self, character: Character, match: _Match) -> str:
        """The registered words matched, grouped by clause of the description."""
        matched_keys = {f.key_id for f, _, _ in match.features}
        key_ids = self._index.key_ids
        groups: list[list[str]] = []
        last_segment = None
        content = _description_content(character.description)
        for position, token in enumerate(content):
            key_id = key_ids.get(token.key)
            joined = None
            if position + 1 < len(content) and content[position + 1].hyphen_before:
                joined = key_ids.get(word_key(token.folded + content[position + 1].folded))
            if key_id not in matched_keys and joined not in matched_keys:
                continue
            if token.segment != last_segment:
                groups.append([])
                last_segment = token.segment
            word = character.description[token.start : token.end]
            if word not in groups[-1]:
                groups[-1].append(word)
        text = ", ".join(" ".join(g) for g in groups)
        if match.work_keys:
            terms = self._work_terms_matched(character, {k for k, _, _ in match.work_keys})
            text = f"{text}; {', '.join(terms)}" if text else ", ".join(terms)
        return text

    def _work_terms_matched(self, character: Character, key_ids: set[int]) -> list[str]:
        work = self.registry.work(character.work)
        if work is None:
            return []
        out: dict[str, str] = {}
        for text in (*work.all_titles, *work.terms):
            keys = {self._index.key_ids.get(t.key) for t in _description_content(text)}
            if keys & key_ids:
                out.setdefault(fold(text), text)
        return list(out.values())

    # -- epithets ------------------------------------------------------------
    def _epithets(self, tokens: Sequence[Token]) -> list[Evidence]:
        best: dict[str, Evidence] = {}
        for phrase in _epithet_phrases(tokens):
            for evidence in self._score_epithet(tokens, phrase):
                held = best.get(evidence.asset_id)
                if held is None or evidence.score > held.score:
                    best[evidence.asset_id] = evidence
        return list(best.values())

    def _score_epithet(self, tokens: Sequence[Token], phrase: _EpithetPhrase) -> list[Evidence]:
        """Characters whose own words (description, names) and work terms cover the phrase.

        The role noun must be the character's own word, and a distinctive
        modifier must be covered too. An epithet singles out one character:
        when several cover it equally well it is ambiguous, and each gets
        only corroborating ``feature`` evidence.
        """
        index = self._index
        config = self.config
        head_id = index.key_ids.get(tokens[phrase.head].key)
        if head_id is None:
            return []
        words = [tokens[i] for i in phrase.content]
        word_ids = [index.key_ids.get(t.key) for t in words]
        weights = [index.prompt_weight(t) for t in words]
        total_weight = sum(weights)
        heads = np.union1d(index.postings[head_id], index.name_postings[head_id])
        modifier_ids = {k for i, k in zip(phrase.content, word_ids, strict=True) if k is not None}
        modifier_ids.discard(head_id)
        if not len(heads) or not modifier_ids:
            return []
        with_modifier = np.unique(np.concatenate([index.characters_with(k) for k in modifier_ids]))
        candidates = np.intersect1d(heads, with_modifier, assume_unique=True)
        if len(candidates) > config.epithet_max_candidates:
            return []
        scored: list[tuple[float, int, list[str]]] = []
        for char_index in candidates.tolist():
            own = index.own_keys(char_index)
            work = int(index.work_of_char[char_index])
            work_keys = index.work_keys[work] if work >= 0 else frozenset()
            covered = 0.0
            best_modifier = 0.0
            matched_words: list[str] = []
            for token_index, key_id, weight in zip(phrase.content, word_ids, weights, strict=True):
                if key_id is not None and (key_id in own or key_id in work_keys):
                    covered += weight
                    matched_words.append(tokens[token_index].folded)
                    if token_index != phrase.head:
                        best_modifier = max(best_modifier, weight)
            coverage = covered / total_weight
            if (
                best_modifier >= config.epithet_min_modifier_weight
                and covered >= config.epithet_min_evidence
                and coverage >= config.epithet_min_coverage
            ):
                scored.append((coverage, char_index, matched_words))
        if not scored:
            return []
        scored.sort(key=lambda s: -s[0])
        top = scored[0][0]
        ambiguous = sum(1 for coverage, _, _ in scored if coverage >= top - 0.05) > 1
        span = Span(tokens[phrase.first].start, tokens[phrase.last].end)
        out: list[Evidence] = []
        for coverage, char_index, matched_words in scored:
            character = index.characters[char_index]
            unique = not ambiguous and coverage == top
            if unique:
                score = 0.5 + 0.45 * (coverage - config.epithet_min_coverage) / (
                    1.0 - config.epithet_min_coverage
                )
            else:
                score = config.feature_score_cap * coverage
            out.append(
                Evidence(
                    asset_id=character.id,
                    recogniser=self.name,
                    kind="epithet" if unique else "feature",
                    span=span,
                    matched=" ".join(matched_words),
                    score=round(score, 4),
                    detail=(
                        f"epithet covered by {character.display_name}'s registered "
                        f"description, names and work terms (coverage {coverage:.2f}"
                        + ("" if unique else ", shared with other characters")
                        + ")"
                    ),
                )
            )
        return out

    # -- nicknames -----------------------------------------------------------
    def _nicknames(self, tokens: Sequence[Token], matches: list[_Match]) -> list[Evidence]:
        """Unlisted nicknames coined from a character's own words (:mod:`.nicknames`)."""
        totals = {m.char_index: m.total for m in matches}
        return compound_nicknames(
            tokens, self._index, totals, word_key, word_zipf
        ) + name_with_identity(tokens, self._index, _identity_words)

    # -- a work's vocabulary -------------------------------------------------
    def _work_vocabulary(
        self, tokens: Sequence[Token], occurrences: dict[int, list[_Occurrence]]
    ) -> list[Evidence]:
        """A work evoked by its own words spread over the prompt.

        "a giant skinless titan peering over a fifty-meter wall" names no
        registered title or term, yet "titan" is the word of the title
        *Attack on Titan* and "wall" of its term *Wall Maria*. A work is
        reported when the prompt holds a distinctive word of one of its
        titles and another word of its titles or terms, the two from
        different registered forms (one form's words scattered about, "a
        dragon chasing a ball", are no evidence), weighing enough together.
        """
        config = self.config
        index = self._index
        present: dict[int, list[int]] = {}
        for key_id in occurrences:
            for work in index.works_with_key.get(key_id, ()):
                present.setdefault(work, []).append(key_id)
        out: list[Evidence] = []
        for work, keys in present.items():
            if len(keys) < 2:
                continue
            titles = [
                k
                for k in keys
                if k in index.title_keys[work] and index.weight[k] >= config.vocabulary_title_weight
            ]
            if not titles:
                continue
            forms = index.work_forms[work]
            if any(len(form.intersection(keys)) >= 2 for form in forms):
                continue
            total = float(sum(index.weight[k] for k in keys))
            if total < config.vocabulary_threshold:
                continue
            anchor = occurrences[max(titles, key=lambda k: index.weight[k])][0]
            words = sorted({tokens[occurrences[k][0].first_token].folded for k in keys})
            excess = total - config.vocabulary_threshold
            score = 0.5 + 0.2 * (1.0 - math.exp(-excess / config.score_scale))
            work_entity = self.registry.works[work]
            out.append(
                Evidence(
                    asset_id=work_entity.id,
                    recogniser=self.name,
                    kind="vocabulary",
                    span=Span(tokens[anchor.first_token].start, tokens[anchor.last_token].end),
                    matched=", ".join(words),
                    score=round(score, 4),
                    detail=(
                        f"words of {work_entity.display_name}'s registered titles and terms "
                        f"spread over the prompt (evidence {total:.2f})"
                    ),
                )
            )
        return out

    # -- sobriquets ----------------------------------------------------------
    def _sobriquets(self, tokens: Sequence[Token], matches: list[_Match]) -> list[Evidence]:
        """Title-cased epithets resolved by the whole prompt ("the Pirate Hunter ... three swords").

        A capitalised epithet ("the Caped Crusader", "the Prince of all
        Saiyans") names one individual, even when its words are not the
        registered ones. The candidates are the characters whose own words
        or work terms the epithet touches; each is scored by what the whole
        prompt says about it (its description evidence) plus how its
        description's identity phrase ("A proud Saiyan warrior", "The
        navigator of the Straw Hat Pirates") fits the epithet (see
        :meth:`_identity_fit`). Only a clear winner is reported.
        """
        config = self.config
        index = self._index
        phrases = [p for p in _epithet_phrases(tokens) if _title_cased(tokens, p)]
        if not phrases:
            return []
        totals = {m.char_index: m.total for m in matches}
        by_char = {m.char_index: m for m in matches}
        best_of: dict[int, tuple[float, Span, str]] = {}
        for phrase in phrases:
            keys = {
                k for i in phrase.content if (k := index.key_ids.get(tokens[i].key)) is not None
            }
            if not keys:
                continue
            head_key = index.key_ids.get(tokens[phrase.head].key)
            group = {
                k
                for i in phrase.content
                if i > phrase.head and (k := index.key_ids.get(tokens[i].key)) is not None
            }
            candidates = np.unique(np.concatenate([index.characters_with(k) for k in keys]))
            if len(candidates) > config.epithet_max_candidates:
                continue
            scored: list[tuple[float, int]] = []
            for char_index in candidates.tolist():
                fit = self._identity_fit(char_index, group, head_key)
                scored.append((totals.get(char_index, 0.0) + fit, char_index))
            scored.sort(reverse=True)
            top, winner = scored[0]
            runner_up = scored[1][0] if len(scored) > 1 else 0.0
            if top < config.sobriquet_min_evidence or top - runner_up < config.sobriquet_margin:
                continue
            if not self._modifier_explained(winner, keys - {head_key}, by_char.get(winner), phrase):
                continue
            span = Span(tokens[phrase.first].start, tokens[phrase.last].end)
            text = " ".join(tokens[i].folded for i in phrase.content)
            held = best_of.get(winner)
            if held is None or top - runner_up > held[0]:
                best_of[winner] = (top - runner_up, span, text)
        out = []
        for char_index, (margin, span, text) in best_of.items():
            character = index.characters[char_index]
            score = 0.5 + 0.25 * min(1.0, margin / (2 * config.sobriquet_margin))
            out.append(
                Evidence(
                    asset_id=character.id,
                    recogniser=self.name,
                    kind="epithet",
                    span=span,
                    matched=text,
                    score=round(score, 4),
                    detail=(
                        f"capitalised epithet resolved to {character.display_name} by the "
                        f"prompt's description and the registered identity (margin {margin:.2f})"
                    ),
                )
            )
        return out

    def _modifier_explained(
        self,
        char_index: int,
        modifiers: set[int],
        match: _Match | None,
        phrase: _EpithetPhrase,
    ) -> bool:
        """Whether the winner owns a word of the epithet besides its role noun.

        "the Control Devil" fits every character whose description calls it
        a devil equally well by its role noun alone; unless the rest of the
        prompt (outside the epithet) describes the winner, one of the
        epithet's other words must be the winner's own (description, names,
        work terms).
        """
        if match is not None:
            outside = sum(
                weight
                for _, place, weight in match.features
                if not phrase.first <= place.first_token <= phrase.last
            )
            if outside >= self.config.sobriquet_outside_evidence:
                return True
        index = self._index
        work = int(index.work_of_char[char_index])
        own = index.own_keys(char_index)
        if work >= 0:
            own |= index.work_keys[work]
        return bool(modifiers & own)

    def _identity_fit(self, char_index: int, group: set[int], head_key: int | None) -> float:
        """How well the description's identity phrase fits an epithet's words.

        The identity phrase is what a description opens with, up to "with",
        "who" and the like: "A shy, studious Sailor Guardian", "The
        orange-haired navigator of the Straw Hat Pirates". Its head noun
        equal to the epithet's role noun fits best. The ``group`` an epithet
        puts its bearer in, the words after its "of" ("the Prince of all
        *Saiyans*"), fit as well when they follow the identity's own "of"
        ("navigator of the *Straw Hat* Pirates") and less when they stand
        next to a role noun ("*Saiyan* warrior"). Words before the role noun
        ("the *Pirate* Hunter") say nothing of membership: they may as well
        be its object.
        """
        config = self.config
        identity = _identity_phrase(self._index.characters[char_index].description)
        if not identity.words:
            return 0.0
        key_ids = self._index.key_ids
        head = key_ids.get(identity.head)
        if head is not None and head == head_key:
            return config.identity_same_role
        if not group:
            return 0.0
        if group & {key_ids.get(k) for k in identity.after_of}:
            return config.identity_same_role
        if identity.head in _ROLE_KEYS and group & {key_ids.get(k) for k in identity.words}:
            return config.identity_group_role
        return 0.0


class _Identity(NamedTuple):
    words: tuple[str, ...]  # keys of the identity phrase's content words
    head: str  # key of its head noun
    after_of: tuple[str, ...]  # keys of the content words after its "of"


_IDENTITY_STOPS = frozenset(
    ["with", "who", "whose", "whom", "which", "that", "in", "wearing", "from", "and", "by"]
)
_ROLE_KEYS = frozenset(word_key(w) for w in ROLE_NOUNS)
_IDENTITY_MAX_WORDS = 8


def _identity_words(character: Character) -> tuple[str, ...]:
    return _identity_phrase(character.description).words


@lru_cache(maxsize=8192)
def _identity_phrase(description: str) -> _Identity:
    """The opening noun phrase of a description: what the character *is*."""
    tokens = analyse(description)
    words: list[str] = []
    after_of: list[str] = []
    head = ""
    seen_of = False
    for token in tokens:
        # Commas may separate its adjectives ("A short, stern ... captain"):
        # only a stop word or too many words end the phrase.
        if token.folded in _IDENTITY_STOPS or len(words) >= _IDENTITY_MAX_WORDS:
            break
        if token.folded == "of":
            seen_of = True
            continue
        if not token.is_content:
            continue
        words.append(token.key)
        if seen_of:
            after_of.append(token.key)
        else:
            head = token.key
    return _Identity(tuple(words), head, tuple(after_of))


def _names_someone(
    tokens: Sequence[Token],
    key_ids: dict[str, int],
    registered: frozenset[int],
    rare_zipf: float = DEFAULT_CONFIG.name_word_zipf,
) -> bool:
    """Whether the prompt calls someone by a personal name the registry does not list.

    A name here is capitalised and rare as an English word: two or more
    such words in a row ("Hideki Ryuga"), or one inside a sentence. Words
    of registered names, titles and terms, colour and role words never
    count, nor do words of other scripts.
    """
    run = 0
    for i, token in enumerate(tokens):
        rare = (
            token.capitalised
            and token.is_content
            and token.folded.isascii()
            and token.folded.isalpha()
            and not token.colour
            and token.folded not in ROLE_NOUNS
            and key_ids.get(token.key, -1) not in registered
            and word_zipf(token.folded) < rare_zipf
        )
        if not rare:
            run = 0
            continue
        mid_sentence = i > 0 and tokens[i - 1].segment == token.segment
        run += 1
        if run >= 2 or mid_sentence:
            return True
    return False


def _title_cased(tokens: Sequence[Token], phrase: _EpithetPhrase) -> bool:
    """Every content word of the epithet capitalised, one of them mid-sentence."""
    content = [tokens[i] for i in phrase.content]
    if not all(t.capitalised for t in content):
        return False
    return any(i > 0 and tokens[i - 1].segment == tokens[i].segment for i in phrase.content)


# ---------------------------------------------------------------------------
# Epithet phrases in a prompt.


class _EpithetPhrase(NamedTuple):
    first: int  # token indices, inclusive
    last: int
    head: int  # the role noun
    content: tuple[int, ...]


_EPITHET_LINKS = frozenset({"of", "the", "all", "and"})
_MAX_MODIFIERS = 3


def _epithet_phrases(tokens: Sequence[Token]) -> list[_EpithetPhrase]:
    """ "<modifiers> ROLE" and "ROLE of (the|all) <words>" around each role noun.

    Modifiers are up to three content words right before the role noun in
    the same clause ("the Straw Hat captain"). The "of" tail takes the
    capitalised words of a title-cased epithet ("the Guardian of Water and
    Wisdom summoning..." stops before "summoning"), or one word after a
    lower-case head ("the prince of saiyans"). A role noun with neither ("a
    knight charges") is not an epithet, and a role noun inside a longer
    epithet is only a modifier there ("demon" in "young demon slayer").
    """
    phrases: list[_EpithetPhrase] = []
    for head, token in enumerate(tokens):
        if not token.is_content or token.folded not in ROLE_NOUNS:
            continue
        first = head
        while (
            first > 0
            and head - first < _MAX_MODIFIERS
            and tokens[first - 1].is_content
            and tokens[first - 1].segment == token.segment
        ):
            first -= 1
        last = _epithet_tail(tokens, head)
        content = tuple(i for i in range(first, last + 1) if tokens[i].is_content)
        if len(content) >= 2:
            phrases.append(_EpithetPhrase(first, last, head, content))
    return [
        p
        for p in phrases
        if not any(
            q is not p and q.first <= p.first and p.last <= q.last and q.content != p.content
            for q in phrases
        )
    ]


def _epithet_tail(tokens: Sequence[Token], head: int) -> int:
    """Index of the last token of "ROLE of ..." (``head`` itself if no tail)."""
    if head + 1 >= len(tokens) or tokens[head + 1].folded != "of":
        return head
    title_cased = tokens[head].capitalised
    limit = _MAX_MODIFIERS if title_cased else 1
    last = head
    taken = 0
    for cursor in range(head + 2, len(tokens)):
        token = tokens[cursor]
        if token.segment != tokens[head].segment or taken >= limit:
            break
        if token.is_content:
            if title_cased and not token.capitalised:
                break
            taken += 1
            last = cursor
        elif token.folded not in _EPITHET_LINKS:
            break
    return last
