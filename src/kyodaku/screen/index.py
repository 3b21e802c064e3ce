"""The screening index: every registered form of every asset, compiled once.

Compiling turns a registry snapshot into flat tables: one entry per form a
name can take (registered spelling, romaji/pinyin/Hangul reading, kana
reading of kanji, the two words of a two-word name in the other order, a
distinctive word of a longer name), each entry keyed in the view it is
matched in. Entries are stored column by column (numbers in numpy arrays,
strings in lists) so that a compiled index for a large registry pickles
small and loads fast; :meth:`CompiledIndex.entry` rebuilds one entry on
demand. The Aho–Corasick automata over the Latin and the CJK keys are
compiled here too and kept with the tables (:mod:`kyodaku.screen.automata`),
so a restarted process loads them instead of building them again. Pure: no
I/O here (see :mod:`kyodaku.screen.index_cache`).
"""

from __future__ import annotations

import dataclasses
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal

import numpy as np

from kyodaku.registry.model import Character, Registry, Work
from kyodaku.screen.automata import KeyAutomaton, build_key_automaton
from kyodaku.screen.fuzzy import MIN_CJK_HAN_KEY as MIN_CJK_FUZZY_KEY
from kyodaku.screen.fuzzy import MIN_KEY, MIN_SPELLING_KEY, FuzzyTable
from kyodaku.screen.glossary import chinese_translations, simplified_characters
from kyodaku.screen.japanese_words import (
    PersonalNames,
    compile_personal_names,
    is_common_noun,
    is_everyday_word,
    kanji_spellings,
)
from kyodaku.screen.lexicon import (
    LexicalClass,
    form_class,
    prepare,
    word_class,
    word_key,
    word_languages,
    words_of,
)
from kyodaku.screen.normalise import (
    HARD_BREAK,
    cjk_key,
    fine_key,
    is_cjk,
    is_han,
    is_hangul,
    is_hiragana,
    is_kana,
    is_katakana,
    latin_key,
)
from kyodaku.screen.readings import (
    cjk_readings,
    hiragana,
    kana_of_romaji,
    katakana,
    latin_readings,
)
from kyodaku.screen.wordlists import common_words, compile_word_lists

#: Bump when the compiled layout or any key function changes: old caches are ignored.
INDEX_FORMAT = 25

KINDS: tuple[str, ...] = ("name", "alias", "title", "term", "reading")
DERIVATIONS: tuple[str, ...] = (
    "", "reversed", "partial", "romaji", "pinyin", "hangul", "kana", "gloss",
)  # fmt: skip
LEXICAL: tuple[LexicalClass, ...] = ("coined", "proper", "ordinary", "letter")
Script = Literal["latin", "cjk"]

#: Shortest Latin key worth matching (a one-letter name like "L" keys to one letter).
MIN_LATIN_KEY = 1
#: Shortest CJK key worth matching: one kanji or kana alone is mostly noise.
MIN_CJK_KEY = 2
#: Shortest key the fuzzy recogniser looks at (it allows such short keys only
#: a swap of two adjacent letters: "Kriby").
MIN_FUZZY_KEY = MIN_KEY
#: Entries a short form (the start or end of a name, before an honorific) may
#: be cut from: character names, aliases and readings; in the Latin view only
#: registered spellings and their readings (see :mod:`kyodaku.screen.short_forms`).
SHORT_FORM_KINDS = frozenset(KINDS.index(k) for k in ("name", "alias", "reading"))
SHORT_FORM_LATIN_DERIVATIONS = frozenset(
    DERIVATIONS.index(d) for d in ("", "reversed", "romaji", "hangul")
)

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One form of one asset, as matched."""

    index: int
    asset_id: str
    work_id: str
    asset_kind: Literal["work", "character"]
    kind: str  # name | alias | title | term | reading
    form: str  # the text that was keyed (a registered form or a reading of one)
    source: str  # the registered form it comes from
    lexical: LexicalClass
    derived: str  # "" for a registered form, else how it was derived
    shared: int  # how many assets share this key (for partial names)
    script: Script


@dataclass(slots=True)
class _Draft:
    asset: int
    kind: int
    form: str
    source: str
    lexical: int  # -1 until classified (Latin forms are classified in one batch)
    derived: int
    script: Script
    key: str


class StringColumn(Sequence[str]):
    """A read-only list of strings kept as one string and its offsets.

    Unpickling half a million small strings takes a tenth of a second per
    column; one long string and an integer array load in a millisecond, and
    each item is cut out when asked for.
    """

    __slots__ = ("_offsets", "_text")

    def __init__(self, strings: Iterable[str] = ()) -> None:
        items = list(strings)
        self._text = "".join(items)
        self._offsets = array("q", accumulate(map(len, items), initial=0))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        offsets = self._offsets
        if i < 0:
            i += len(offsets) - 1
            if i < 0:
                raise IndexError("StringColumn index out of range")
        return self._text[offsets[i] : offsets[i + 1]]

    def __iter__(self) -> Iterator[str]:
        text, offsets = self._text, self._offsets
        return (text[offsets[k] : offsets[k + 1]] for k in range(len(offsets) - 1))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StringColumn):
            return self._text == other._text and self._offsets == other._offsets
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StringColumn({len(self)} strings)"

    def __getstate__(self) -> tuple[str, array]:
        return self._text, self._offsets

    def __setstate__(self, state: tuple[str, array]) -> None:
        self._text, self._offsets = state


@dataclass
class SegmentOrder:
    """The short-form entries of one view, sorted by key forwards and backwards.

    Row ``i`` of the forward order is entry ``forward_entries[i]`` under key
    ``forward_keys[i]`` (a key id), rows sorted by (key, entry); the backward
    order sorts by (reversed key, entry). Prefix and suffix lookups bisect
    them (:mod:`kyodaku.screen.short_forms`); numbers only, so they load at
    once with the index instead of being sorted again at the first honorific.
    """

    forward_keys: np.ndarray  # int32 key ids
    forward_entries: np.ndarray  # int32 entry ids
    backward_keys: np.ndarray
    backward_entries: np.ndarray


@dataclass
class CompiledIndex:
    """Flat tables for one registry version (see module docs)."""

    digest: str
    version: int
    assets: list[str]
    asset_work: np.ndarray  # int32, index into assets of each asset's work
    asset_is_work: np.ndarray  # bool
    entry_asset: np.ndarray  # int32
    entry_kind: np.ndarray  # int8 into KINDS
    entry_lexical: np.ndarray  # int8 into LEXICAL
    entry_derived: np.ndarray  # int8 into DERIVATIONS
    entry_shared: np.ndarray  # int16
    entry_script: np.ndarray  # int8: 0 latin, 1 cjk
    entry_form: StringColumn
    entry_source: StringColumn
    latin_keys: StringColumn
    latin_offsets: np.ndarray  # int32, CSR offsets into latin_entries
    latin_entries: np.ndarray  # int32
    cjk_keys: StringColumn
    cjk_offsets: np.ndarray
    cjk_entries: np.ndarray
    fuzzy: FuzzyTable
    #: Registered spellings letter for letter (skeleton and leet read, nothing
    #: merged by sound) → their entries, and the fuzzy table over them:
    #: a slip that the sound key magnifies ("Magican" keys two edits from
    #: "Magician") is one edit as typed (kyodaku.screen.fuzzy).
    spelling_keys: StringColumn
    spelling_offsets: np.ndarray  # int32, CSR offsets into spelling_entries
    spelling_entries: np.ndarray  # int32
    fuzzy_spelling: FuzzyTable
    #: Katakana names too short for the CJK automaton (ポー) → their entries.
    short_katakana: dict[str, list[int]]
    #: Registered CJK spellings of MIN_CJK_KEY characters or more, for near
    #: misses (成歩道龍一); key ids are cjk_keys positions.
    fuzzy_cjk: FuzzyTable
    latin_automaton: KeyAutomaton | None  # over latin_keys (key id = position)
    cjk_automaton: KeyAutomaton | None  # over cjk_keys
    latin_segments: SegmentOrder
    cjk_segments: SegmentOrder
    word_lists: dict[tuple[str, float], frozenset[str]]  # kyodaku.screen.wordlists
    #: Registered Latin words (folded, lower case) that are everyday words of
    #: other languages → those languages (kyodaku.screen.lexicon.word_languages).
    word_languages: dict[str, frozenset[str]]
    #: Japanese given and family names in kanji (kyodaku.screen.japanese_words).
    personal_names: PersonalNames = field(default_factory=PersonalNames)
    format: int = INDEX_FORMAT
    _asset_pos: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._asset_pos = {a: i for i, a in enumerate(self.assets)}
        self._entries: dict[int, NameEntry] = {}

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_asset_pos", None)
        state.pop("_entries", None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @property
    def size(self) -> int:
        return len(self.entry_form)

    def entry(self, i: int) -> NameEntry:
        cached = self._entries.get(i)
        if cached is not None:
            return cached
        if len(self._entries) > 200_000:
            self._entries.clear()
        entry = self._entries[i] = self._make_entry(i)
        return entry

    def _make_entry(self, i: int) -> NameEntry:
        asset = int(self.entry_asset[i])
        return NameEntry(
            index=i,
            asset_id=self.assets[asset],
            work_id=self.assets[int(self.asset_work[asset])],
            asset_kind="work" if bool(self.asset_is_work[asset]) else "character",
            kind=KINDS[int(self.entry_kind[i])],
            form=self.entry_form[i],
            source=self.entry_source[i],
            lexical=LEXICAL[int(self.entry_lexical[i])],
            derived=DERIVATIONS[int(self.entry_derived[i])],
            shared=int(self.entry_shared[i]),
            script="cjk" if int(self.entry_script[i]) else "latin",
        )

    def latin_entries_of(self, key_id: int) -> Iterable[int]:
        return self.latin_entries[self.latin_offsets[key_id] : self.latin_offsets[key_id + 1]]

    def spelling_entries_of(self, key_id: int) -> Iterable[int]:
        return self.spelling_entries[
            self.spelling_offsets[key_id] : self.spelling_offsets[key_id + 1]
        ]

    def cjk_entries_of(self, key_id: int) -> Iterable[int]:
        return self.cjk_entries[self.cjk_offsets[key_id] : self.cjk_offsets[key_id + 1]]

    def work_of(self, asset_id: str) -> str:
        pos = self._asset_pos.get(asset_id)
        return asset_id if pos is None else self.assets[int(self.asset_work[pos])]


# ---------------------------------------------------------------- compiling


def compile_index(registry: Registry) -> CompiledIndex:
    """Compile every form of every registered work and character."""
    assets: list[str] = []
    asset_work: list[int] = []
    asset_is_work: list[bool] = []
    position: dict[str, int] = {}
    for work in registry.works:
        position[work.id] = len(assets)
        assets.append(work.id)
        asset_is_work.append(True)
        asset_work.append(position[work.id])
    for character in registry.characters:
        position[character.id] = len(assets)
        assets.append(character.id)
        asset_is_work.append(False)
        asset_work.append(position.get(character.work, position[character.id]))

    prepare(word for text in _registered_latin_texts(registry) for word in words_of(text))
    drafts: list[_Draft] = []
    for work in registry.works:
        ordinary_title = _ordinary_title_letters(work)
        for lang, titles in work.titles.items():
            for title in titles:
                drafts.extend(_forms(position[work.id], "title", title, lang, ordinary_title))
        for term in work.terms:
            drafts.extend(_forms(position[work.id], "term", term, "", 0))
        drafts.extend(_kana_of_romanised_titles(position[work.id], work))
    for character in registry.characters:
        for lang, names in character.names.items():
            for name in names:
                drafts.extend(_forms(position[character.id], "name", name, lang, 0))
        for alias in character.aliases:
            drafts.extend(_forms(position[character.id], "alias", alias, "", 0))
        drafts.extend(_kana_of_romanised_names(position[character.id], character))
    drafts.extend(_translations(registry, position))
    drafts = _hangul_spellings_of_words(_romaji_of_words(_classify(drafts)))
    drafts = _dedupe(drafts)
    shared = _shared_counts(drafts)

    latin_map: dict[str, list[int]] = {}
    cjk_map: dict[str, list[int]] = {}
    for i, d in enumerate(drafts):
        target = latin_map if d.script == "latin" else cjk_map
        target.setdefault(d.key, []).append(i)
    latin_keys, latin_offsets, latin_entries = _csr(latin_map)
    cjk_keys, cjk_offsets, cjk_entries = _csr(cjk_map)
    short_katakana: dict[str, list[int]] = {}
    for i, d in enumerate(drafts):
        if d.script == "cjk" and d.key == d.form and _short_katakana(d.form):
            short_katakana.setdefault(d.form, []).append(i)
    fuzzy_eligible = [
        k
        for k, key in enumerate(latin_keys)
        if len(key) >= MIN_FUZZY_KEY
        and any(
            DERIVATIONS[drafts[int(e)].derived] not in ("partial", "pinyin", "hangul")
            for e in latin_entries[latin_offsets[k] : latin_offsets[k + 1]]
        )
    ]
    spelling_keys, spelling_offsets, spelling_entries = _csr(_spellings(drafts))
    entry_asset = np.asarray([d.asset for d in drafts], dtype=np.int32)
    entry_kind = np.asarray([d.kind for d in drafts], dtype=np.int8)
    entry_derived = np.asarray([d.derived for d in drafts], dtype=np.int8)
    is_work = np.asarray(asset_is_work, dtype=bool)
    short_form = ~is_work[entry_asset] & np.isin(entry_kind, sorted(SHORT_FORM_KINDS))
    latin_short_form = short_form & np.isin(entry_derived, sorted(SHORT_FORM_LATIN_DERIVATIONS))
    return CompiledIndex(
        digest=registry.digest,
        version=registry.version,
        assets=assets,
        asset_work=np.asarray(asset_work, dtype=np.int32),
        asset_is_work=is_work,
        entry_asset=entry_asset,
        entry_kind=entry_kind,
        entry_lexical=np.asarray([d.lexical for d in drafts], dtype=np.int8),
        entry_derived=entry_derived,
        entry_shared=np.asarray([min(shared.get(d.key, 1), 999) for d in drafts], dtype=np.int16),
        entry_script=np.asarray([0 if d.script == "latin" else 1 for d in drafts], dtype=np.int8),
        entry_form=StringColumn(d.form for d in drafts),
        entry_source=StringColumn(d.source for d in drafts),
        latin_keys=StringColumn(latin_keys),
        latin_offsets=latin_offsets,
        latin_entries=latin_entries,
        cjk_keys=StringColumn(cjk_keys),
        cjk_offsets=cjk_offsets,
        cjk_entries=cjk_entries,
        fuzzy=FuzzyTable.build(latin_keys, fuzzy_eligible),
        short_katakana=short_katakana,
        spelling_keys=StringColumn(spelling_keys),
        spelling_offsets=spelling_offsets,
        spelling_entries=spelling_entries,
        fuzzy_spelling=FuzzyTable.build(
            spelling_keys, list(range(len(spelling_keys))), min_length=MIN_SPELLING_KEY
        ),
        fuzzy_cjk=FuzzyTable.build(
            cjk_keys, _cjk_spellings(drafts, cjk_keys, cjk_offsets, cjk_entries), MIN_CJK_FUZZY_KEY
        ),
        latin_automaton=build_key_automaton(latin_keys),
        cjk_automaton=build_key_automaton(cjk_keys),
        latin_segments=_segment_order(latin_keys, latin_offsets, latin_entries, latin_short_form),
        cjk_segments=_segment_order(cjk_keys, cjk_offsets, cjk_entries, short_form),
        word_lists=compile_word_lists(),
        word_languages=_word_languages(registry),
        personal_names=compile_personal_names(),
    )


def _cjk_spellings(
    drafts: list[_Draft], keys: list[str], offsets: np.ndarray, entries: np.ndarray
) -> list[int]:
    """CJK key ids long enough for near misses that hold a registered spelling."""
    plain = DERIVATIONS.index("")
    kinds = {KINDS.index(k) for k in ("name", "alias", "title")}
    return [
        k
        for k, key in enumerate(keys)
        if len(key) >= MIN_CJK_FUZZY_KEY
        and any(
            drafts[int(e)].derived == plain and drafts[int(e)].kind in kinds
            for e in entries[offsets[k] : offsets[k + 1]]
        )
    ]


def _spellings(drafts: list[_Draft]) -> dict[str, list[int]]:
    """Letters of every registered Latin spelling (not readings or name parts) → entries.

    Only spellings of :data:`~kyodaku.screen.fuzzy.MIN_SPELLING_KEY` letters
    or more: shorter names keep to the sound key, which lets them only swap
    two letters ("Olay" is not a slip of "Olaf").
    """
    spellings: dict[str, list[int]] = {}
    plain = {DERIVATIONS.index(""), DERIVATIONS.index("reversed")}
    for i, d in enumerate(drafts):
        if d.script != "latin" or d.derived not in plain:
            continue
        letters = fine_key(d.form)
        if len(letters) >= MIN_SPELLING_KEY:
            spellings.setdefault(letters, []).append(i)
    return spellings


def _word_languages(registry: Registry) -> dict[str, frozenset[str]]:
    """Every registered Latin word that is an everyday word elsewhere, with the languages."""
    out: dict[str, frozenset[str]] = {}
    for text in _registered_latin_texts(registry):
        for word in words_of(text):
            languages = word_languages(word)
            if languages:
                out[word_key(word)] = languages
    return out


def _translations(registry: Registry, position: dict[str, int]) -> list[_Draft]:
    """Chinese translations of registered Latin names, as a dictionary attests them."""
    latin_names: dict[str, list[tuple[int, str]]] = {}
    for work in registry.works:
        for title in work.all_titles:
            latin_names.setdefault(title, []).append((position[work.id], "title"))
    for character in registry.characters:
        for name in (*character.all_names, *character.aliases):
            latin_names.setdefault(name, []).append((position[character.id], "name"))
    latin_names = {n: v for n, v in latin_names.items() if not any(is_cjk(c) for c in n)}
    drafts: list[_Draft] = []
    for name, translations in chinese_translations(latin_names).items():
        for translation in translations:
            key = cjk_key(translation.headword)
            if len(key) < MIN_CJK_KEY:
                continue
            for asset, kind in latin_names[name]:
                kind_i = KINDS.index(kind)
                lexical = translation.lexical
                headword = translation.headword
                drafts.append(_draft(asset, kind_i, headword, name, lexical, "gloss", "cjk", key))
    return drafts


def _registered_latin_texts(registry: Registry) -> Iterable[str]:
    for work in registry.works:
        yield from work.all_titles
        yield from work.terms
    for character in registry.characters:
        yield from character.all_names
        yield from character.aliases


def _ordinary_title_letters(work: Work) -> int:
    """Letters of the shortest Latin title when every one is a phrase of ordinary words.

    ("One Piece", "Dragon Ball"; 0 otherwise.) The katakana transliterations
    of such a title are ordinary loanwords in Japanese too (ワンピース is also
    a dress), so they need corroboration; a clipped form (ドラクエ for
    ドラゴンクエスト, "Dragon Quest") is a coined name (:func:`_forms`).
    """
    latin = [t for t in work.all_titles if not any(is_cjk(c) for c in t)]
    if not latin or any(form_class(t) != "ordinary" or not _everyday(t) for t in latin):
        return 0
    return min(sum(c.isalpha() for c in t) for t in latin)


#: Zipf frequency from which an English word is everyday vocabulary, whose
#: katakana form Japanese uses too ("piece" 4.6; "evangelion" is in the
#: dictionary but nobody's everyday word).
EVERYDAY_ZIPF = 3.5


def _everyday(title: str) -> bool:
    from wordfreq import zipf_frequency

    words = [w for w in words_of(title) if len(w) > 1]
    return all(zipf_frequency(w.lower(), "en") >= EVERYDAY_ZIPF for w in words)


#: Zipf frequency from which a Korean noun is everyday vocabulary.
KOREAN_EVERYDAY_ZIPF = 4.0


def _korean_word_name(text: str) -> bool:
    """A Korean name made of an everyday noun and the name suffix 이.

    Korean renders names like Joy and Sadness as 기쁨이 and 슬픔이: "joy",
    "sadness" plus 이, which is also the subject particle, so 슬픔이 밀려온다
    is "sadness floods in". Such names need corroboration like "Joy" does.
    """
    return (
        len(text) >= 2
        and text.endswith("이")
        and all(is_hangul(c) for c in text)
        and text[:-1] in common_words("ko", KOREAN_EVERYDAY_ZIPF)
    )


#: Zipf frequency from which a name written in kanji/hanzi is an everyday
#: word (师父 "master", 闪电 "lightning", 次元 "dimension"; a popular
#: character's name stays below: 孫悟空 3.4, 皮卡丘 3.1).
HAN_EVERYDAY_ZIPF = 4.0


def _han_word_name(text: str, kind: str, lang: str) -> bool:
    """A name or title of Han characters that is also an everyday word of its language.

    日常 is the sitcom Nichijou and "everyday life": 大学生の日常 is the latter.
    """
    if kind not in ("name", "alias", "title") or lang not in ("ja", "zh") or len(text) > 3:
        return False
    if not all(is_han(c) for c in text):
        return False
    return text in common_words(lang, HAN_EVERYDAY_ZIPF) or (lang == "ja" and is_common_noun(text))


#: A katakana title this long, relative to the letters of an ordinary Latin
#: title, transliterates it; a shorter one is a clipped, coined form.
TRANSLITERATION_RATIO = 0.5


def _katakana_name_as_word(text: str, kind: str, lang: str, lexical: str) -> str:
    """The hiragana spelling of a katakana name when that is an everyday word, else "".

    ヨル and ヒカル are names; よる ("night") and ひかる ("to shine") are
    words, which all-kana prompts write in hiragana (くろさき いちご が よる の
    まち で…). The hiragana spelling is matched as that word, and needs
    corroboration (:mod:`kyodaku.screen.names`).
    """
    if kind not in ("name", "alias") or lang != "ja" or lexical == "ordinary":
        return ""
    if not all(is_katakana(c) or c == "ー" for c in text):
        return ""
    written = hiragana(text)
    return written if is_everyday_word(written) else ""


def _kana_word_name(text: str, kind: str, lang: str) -> bool:
    """A Japanese name in kana that is also a common noun (サザエ, ねこ, マイク).

    A name in hiragana that is any everyday word is that word as often (かがみ,
    a mirror: こども が かがみ の まえ で…).
    """
    if kind not in ("name", "alias") or lang != "ja":
        return False
    if all(is_hiragana(c) or c == "ー" for c in text):
        return is_everyday_word(text)
    return is_common_noun(text)


#: Titles before a name and their abbreviations, both ways ("Capt. Haddock").
_TITLE_ABBREVIATIONS = {
    "captain": "Capt.", "doctor": "Dr.", "mister": "Mr.", "professor": "Prof.",
    "saint": "St.", "general": "Gen.", "sergeant": "Sgt.", "lieutenant": "Lt.",
    "colonel": "Col.", "major": "Maj.", "commander": "Cmdr.", "detective": "Det.",
}  # fmt: skip
_TITLE_WORDS = {abbr.lower().rstrip("."): word.capitalize()
                for word, abbr in _TITLE_ABBREVIATIONS.items()}  # fmt: skip


def _title_abbreviations(name: str) -> list[str]:
    """The name with its leading title abbreviated or written out ("Capt." ↔ "Captain")."""
    first, _, rest = name.partition(" ")
    if not rest:
        return []
    key = first.lower().rstrip(".")
    if key in _TITLE_ABBREVIATIONS:
        return [f"{_TITLE_ABBREVIATIONS[key]} {rest}"]
    if key in _TITLE_WORDS:
        return [f"{_TITLE_WORDS[key]} {rest}"]
    return []


def _short_katakana(text: str) -> bool:
    """A katakana name of two or three characters whose key is one kana (ポー, ブー)."""
    return 2 <= len(text) <= 3 and all(is_katakana(c) or c == "ー" for c in text)


def _kana_reading_class(lexical: str, text: str) -> str:
    """The class of a kana reading that is no everyday word itself.

    A name in kanji that is a common noun (海馬) is written in kanji as that
    noun: its kana reading (かいば) is the name. Readings of other names keep
    their class.
    """
    return "coined" if lexical == "ordinary" and any(is_han(c) for c in text) else lexical


def _forms(asset: int, kind: str, form: str, lang: str, ordinary_title: int) -> list[_Draft]:
    """The registered form and everything derived from it."""
    kind_i = KINDS.index(kind)
    text = form.strip()
    if not text:
        return []
    out: list[_Draft] = []
    if any(is_cjk(c) for c in text):
        lexical = "coined"
        if (
            (
                kind == "title"
                and ordinary_title
                and all(is_katakana(c) or c in "ー・" for c in text)
                and len(text) >= TRANSLITERATION_RATIO * ordinary_title
            )
            or _korean_word_name(text)
            or _han_word_name(text, kind, lang)
            or _kana_word_name(text, kind, lang)
        ):
            lexical = "ordinary"
        key = cjk_key(text)
        if len(key) >= MIN_CJK_KEY:
            out.append(_draft(asset, kind_i, text, text, lexical, "", "cjk", key))
        elif kind in ("name", "alias") and _short_katakana(text):
            # ポー, ブー: one mora and a long vowel key to one kana, which the
            # automaton cannot take. Keyed by the katakana itself, which no
            # CJK view holds (it reads kana as hiragana), and matched as a
            # whole katakana word (kyodaku.screen.names).
            out.append(_draft(asset, kind_i, text, text, lexical, "", "cjk", text))
        kana_word = _katakana_name_as_word(text, kind, lang, lexical)
        if kana_word:
            out.append(_draft(asset, kind_i, kana_word, text, "ordinary", "kana", "cjk", key))
        for variant in _chinese_forms(text, kind, lang):
            vkey = cjk_key(variant)
            if vkey != key and len(vkey) >= MIN_CJK_KEY:
                vclass = "ordinary" if _han_word_name(variant, kind, "zh") else lexical
                out.append(_draft(asset, kind_i, variant, text, vclass, "gloss", "cjk", vkey))
        for reading in cjk_readings(text, lang):
            rkey = cjk_key(reading)
            if len(rkey) >= MIN_CJK_KEY + 1:
                # 成歩堂 read なるほど(う) is also "I see": such a reading is a word
                # (as read, or as keyed with its long vowel folded).
                # Other readings of a word written in kanji are no words in kana
                # (海馬, "hippocampus", is written so; かいば is the name).
                word = lang == "ja" and (is_everyday_word(reading) or is_everyday_word(rkey))
                read_class = "ordinary" if word else _kana_reading_class(lexical, text)
                out.append(
                    _draft(
                        asset, KINDS.index("reading"), reading, text, read_class, "kana", "cjk",
                        rkey,
                    )
                )  # fmt: skip
        for reading, how in latin_readings(text, lang):
            rkey = latin_key(reading)
            if len(rkey) >= 3 and HARD_BREAK not in rkey:
                # A romanised Korean word stays that word ("seulpeumi").
                read_class = lexical if how == "hangul" and lexical == "ordinary" else None
                out.append(
                    _draft(
                        asset, KINDS.index("reading"), reading, text, read_class, how, "latin",
                        rkey,
                    )
                )  # fmt: skip
        return out
    key = latin_key(text)
    if len(key) < MIN_LATIN_KEY:
        return out
    out.append(_draft(asset, kind_i, text, text, None, "", "latin", key))
    if kind in ("name", "alias"):
        for variant in _title_abbreviations(text):
            out.append(_draft(asset, kind_i, variant, text, None, "", "latin", latin_key(variant)))
    words = _WORDS.findall(text)
    # Given and family name may swap ("Kamado Tanjiro"); the halves of a
    # hyphenated name ("Pac-Man", "Shin-chan") never do.
    if kind in ("name", "alias") and len(words) == 2 and len(text.split()) == 2:
        reversed_text = f"{words[1]} {words[0]}"
        out.append(
            _draft(
                asset,
                kind_i,
                reversed_text,
                text,
                None,
                "reversed",
                "latin",
                latin_key(reversed_text),
            )
        )
    if kind in ("name", "alias") and len(words) >= 2:
        for word in words:
            wkey = latin_key(word)
            if len(wkey) >= 3:
                out.append(_draft(asset, kind_i, word, text, None, "partial", "latin", wkey))
    return out


#: Chinese writes a Japanese title's の as 的 or 之 (進撃の巨人 → 进击的巨人,
#: 鋼の錬金術師 → 钢之炼金术师).
_CHINESE_NO = ("的", "之")


def _chinese_forms(text: str, kind: str, lang: str) -> list[str]:
    """A Japanese name or title in kanji as a Chinese prompt writes it, in simplified characters.

    Only kanji (and a title's の) carry over: a form with other kana is not
    written so in Chinese.
    """
    if lang != "ja" or kind == "term" or not any(is_han(c) for c in text):
        return []
    simplified = "".join(simplified_characters().get(c, c) for c in text)
    forms = [simplified]
    if kind == "title" and "の" in simplified:
        forms = [simplified.replace("の", no) for no in _CHINESE_NO]
    if kind in ("name", "alias"):
        forms.extend(_kana_given_name_in_kanji(text))
    return [f for f in dict.fromkeys(forms) if f != text and all(is_han(c) for c in f)]


#: Least kanji in the family name before a kana given name spelt in kanji:
#: a one-kanji family name and a one-kanji given name would be any word.
_MIN_FAMILY_KANJI = 2


def _kana_given_name_in_kanji(name: str) -> list[str]:
    """志摩リン as Chinese writes it: the kana given name in kanji that read the same.

    Chinese has no kana, so a translation spells a Japanese given name in
    kana with kanji of that reading (志摩凛, 星野爱, 各务原抚子); the kanji
    come from :func:`kyodaku.screen.japanese_words.kanji_spellings`, in
    Japanese and in simplified form. Only after a family name in kanji: a
    lone kanji given name is too often a word.
    """
    family = name.rstrip("".join(c for c in name if is_kana(c) or c == "ー"))
    given = name[len(family) :]
    if (
        len(family) < _MIN_FAMILY_KANJI
        or not all(is_han(c) for c in family)
        or not given
        or not all(is_kana(c) for c in given)
    ):
        return []
    table = simplified_characters()
    forms: list[str] = []
    for kanji in kanji_spellings(katakana(given)):
        written = family + kanji
        forms.extend((written, "".join(table.get(c, c) for c in written)))
    return forms


def _kana_of_romanised_names(asset: int, character: Character) -> list[_Draft]:
    """Kana readings of a Japanese-named character, taken from its romanised names.

    A dictionary reads 蔵馬 くらうま and 火神大我 かしんたいが; the registry's
    "Kurama" and "Taiga Kagami" say how the names are read, so a prompt in
    kana (くらま が…, かがみ たいが が…) finds them. Both orders of a
    two-word name: Japanese writes the family name first. A character
    registered in katakana by its given name alone (ゲンジ) is found by its
    full name too ("Genji Shimada": しまだ げんじ).
    """
    if not character.names.get("ja"):
        return []
    return _kana_of_romaji_forms(asset, character.names.get("en", ()), swap=True)


def _kana_of_romanised_titles(asset: int, work: Work) -> list[_Draft]:
    """Kana readings of a Japanese title, taken from its romanised title.

    A dictionary reads うる星やつら うるほしやつら; "Urusei Yatsura" says
    うるせい やつら, as an all-kana prompt writes it. English titles are no
    romaji ("Initial D") and give none, nor does a one-word title.
    """
    if not any(is_han(c) for title in work.titles.get("ja", ()) for c in title):
        return []
    # One word ("Suzume", "Ponyo") is a character's name or a word (すずめ, a
    # sparrow) before it is the title: only phrases are read so.
    phrases = [t for t in work.titles.get("en", ()) if len(t.split()) > 1]
    return _kana_of_romaji_forms(asset, phrases, swap=False)


def _kana_of_romaji_forms(asset: int, names: Iterable[str], *, swap: bool) -> list[_Draft]:
    """A reading draft for each romanised name that reads as kana (both orders if ``swap``)."""
    out: list[_Draft] = []
    for name in names:
        kana = kana_of_romaji(name)
        if kana is None:
            continue
        words = kana.split()
        orders = [words, words[::-1]] if swap and len(words) == 2 else [words]
        for order in orders:
            reading = " ".join(order)
            key = cjk_key(reading)
            if len(key) < MIN_CJK_KEY + 1:
                continue
            word = is_everyday_word(key)
            out.append(
                _draft(
                    asset, KINDS.index("reading"), reading, name,
                    "ordinary" if word else "coined", "kana", "cjk", key,
                )
            )  # fmt: skip
    return out


def _draft(
    asset: int, kind: int, form: str, source: str, lexical: str | None, derived: str,
    script: Script, key: str,
) -> _Draft:  # fmt: skip
    lexical_i = -1 if lexical is None else LEXICAL.index(lexical)  # type: ignore[arg-type]
    return _Draft(asset, kind, form, source, lexical_i, DERIVATIONS.index(derived), script, key)


def _classify(drafts: list[_Draft]) -> list[_Draft]:
    """Give every Latin form its lexical class (one batch over all words).

    A distinctive word of a longer name is kept only if it is coined or a
    name ("Ackerman", "Yagami"), never an ordinary word ("Sailor", "Hello").
    """
    prepare(w for d in drafts if d.lexical < 0 for w in words_of(d.form))
    partial = DERIVATIONS.index("partial")
    kept = []
    for d in drafts:
        if d.lexical < 0:
            cls = word_class(d.form) if d.derived == partial else form_class(d.form)
            if d.derived == partial and cls not in ("coined", "proper"):
                continue
            d.lexical = LEXICAL.index(cls)
        kept.append(d)
    return kept


#: Most edits between the sound keys of a Hangul name and the Latin name it spells.
_HANGUL_SPELLING_EDITS = 1


def _hangul_spellings_of_words(drafts: list[_Draft]) -> list[_Draft]:
    """A Korean name that spells the character's Latin name by its sound is as ordinary as it.

    브라운 is "Brown", a colour in Korean as in English (브라운 코트, a brown
    coat), and 소라 "Sora": where the character's Latin name is an ordinary
    word or a personal name, its Hangul spelling needs corroboration as the
    Latin name does. Korean has no capitals to tell a name, and no
    dictionary here to tell the word. (Katakana has IPADIC for that:
    Japanese writes スヌーピー for no adjective.)
    """
    from kyodaku.screen.hangul_loanwords import english_reading

    plain = DERIVATIONS.index("")
    hangul_derived = DERIVATIONS.index("hangul")
    coined = LEXICAL.index("coined")
    latin: dict[int, list[tuple[str, int]]] = {}
    for d in drafts:
        if d.script == "latin" and d.derived == plain and d.lexical != coined:
            latin.setdefault(d.asset, []).append((d.key, d.lexical))
    if not latin:
        return drafts
    inherited: dict[tuple[int, str], int] = {}  # (asset, CJK form) → the Latin name's class
    for d in drafts:
        if d.script != "cjk" or d.derived != plain or d.lexical != coined or d.asset not in latin:
            continue
        written = d.form.replace(" ", "")
        if not all(is_hangul(c) for c in written):
            continue
        key = latin_key(english_reading(written)[0])
        for latin_form_key, lexical in latin[d.asset]:
            if _spelt_by_sound(key, latin_form_key):
                inherited[(d.asset, d.form)] = lexical
                break
    if not inherited:
        return drafts
    return [
        dataclasses.replace(d, lexical=inherited[(d.asset, d.source)])
        if (d.asset, d.source) in inherited and d.derived in (plain, hangul_derived)
        else d
        for d in drafts
    ]


def _spelt_by_sound(read: str, registered: str) -> bool:
    """Whether two sound keys are one edit apart, or share all their consonants.

    Korean renders an English diphthong with its own vowels (브라운, "braun",
    for "Brown"): the consonants carry the word.
    """
    from rapidfuzz.distance import Levenshtein

    if len(read) < 3:
        return False
    if Levenshtein.distance(read, registered) <= _HANGUL_SPELLING_EDITS:
        return True
    consonants = _consonants(read)
    return len(consonants) >= 2 and consonants == _consonants(registered)


def _consonants(key: str) -> str:
    return "".join(c for c in key if c not in "aeiouwy")


def _romaji_of_words(drafts: list[_Draft]) -> list[_Draft]:
    """A Latin name that spells a Japanese word in romaji is that word too.

    "Katsuo" and "Neko" transliterate カツオ (bonito) and ねこ (cat), "Kagura"
    神楽 (a shrine dance): where
    the character's Japanese name is an everyday word and the registry
    lists its romaji as a name, that name in a prompt ("searing fresh
    katsuo", "a neko café") needs corroboration too. Other romaji readings
    of such words stay as classified: the reading matters only as a name.
    """
    ordinary = LEXICAL.index("ordinary")
    romaji = DERIVATIONS.index("romaji")
    kana_words = {
        (d.asset, d.source)
        for d in drafts
        if d.script == "cjk" and d.lexical == ordinary and d.derived == DERIVATIONS.index("")
    }
    word_keys = {
        (d.asset, d.key)
        for d in drafts
        if d.script == "latin" and d.derived == romaji and (d.asset, d.source) in kana_words
    }
    # Only where the character is registered by that romaji: Bowser's
    # reading "kuppa" (クッパ, a soup) is no name of his in Latin letters.
    plain = DERIVATIONS.index("")
    word_keys &= {(d.asset, d.key) for d in drafts if d.script == "latin" and d.derived == plain}
    if not word_keys:
        return drafts
    return [
        dataclasses.replace(d, lexical=ordinary)
        if d.script == "latin" and (d.asset, d.key) in word_keys
        else d
        for d in drafts
    ]


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    """One entry per (asset, script, key): the registered form beats a derived one.

    The everyday word a katakana name is spelt as in hiragana (よる for ヨル)
    keeps its own entry beside the name's: which one counts depends on the
    script typed.
    """
    best: dict[tuple[int, str, str, bool], _Draft] = {}
    for d in drafts:
        k = (d.asset, d.script, d.key, _is_kana_word(d))
        current = best.get(k)
        if current is None or (d.derived, d.kind) < (current.derived, current.kind):
            best[k] = d
    return list(best.values())


_KANA = DERIVATIONS.index("kana")
_ORDINARY = LEXICAL.index("ordinary")


def _is_kana_word(d: _Draft) -> bool:
    """A hiragana word spelling a katakana name (:func:`_katakana_name_as_word`)."""
    return (
        d.derived == _KANA
        and d.lexical == _ORDINARY
        and all(is_katakana(c) or c == "ー" for c in d.source)
    )


def _shared_counts(drafts: list[_Draft]) -> dict[str, int]:
    """How many assets each partial-name key belongs to ("Ackerman": two)."""
    owners: dict[str, set[int]] = {}
    partial = DERIVATIONS.index("partial")
    for d in drafts:
        if d.derived == partial:
            owners.setdefault(d.key, set()).add(d.asset)
    return {k: len(v) for k, v in owners.items()}


def _segment_order(
    keys: list[str], offsets: np.ndarray, entries: np.ndarray, eligible: np.ndarray
) -> SegmentOrder:
    """Eligible (key, entry) rows sorted by key forwards and by key backwards."""
    rows = [
        (key, key_id, e)
        for key_id, key in enumerate(keys)
        for e in entries[offsets[key_id] : offsets[key_id + 1]].tolist()
        if eligible[e]
    ]
    forwards = sorted(rows, key=lambda row: (row[0], row[2]))
    backwards = sorted(rows, key=lambda row: (row[0][::-1], row[2]))
    return SegmentOrder(
        forward_keys=np.asarray([row[1] for row in forwards], dtype=np.int32),
        forward_entries=np.asarray([row[2] for row in forwards], dtype=np.int32),
        backward_keys=np.asarray([row[1] for row in backwards], dtype=np.int32),
        backward_entries=np.asarray([row[2] for row in backwards], dtype=np.int32),
    )


def _csr(mapping: dict[str, list[int]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    keys = list(mapping)
    offsets = np.zeros(len(keys) + 1, dtype=np.int32)
    flat: list[int] = []
    for i, key in enumerate(keys):
        flat.extend(mapping[key])
        offsets[i + 1] = len(flat)
    return keys, offsets, np.asarray(flat, dtype=np.int32)
