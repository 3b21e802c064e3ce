"""Common words of a language (wordfreq), as sets, kept with the compiled index.

Two recognisers ask whether a run of characters is a common word: the
transliteration reader (a Chinese name rendered in sound is not 大发 "big")
and the short-form finder (ママさん is no short name). Reading a language's
list from wordfreq takes 0.05–0.2 s, at every start; the sets are small
(a few thousand to twenty thousand words), so the index is compiled with
them (:data:`WORD_LISTS`) and they load with it. A recogniser asks
:func:`common_words_of`, which falls back to wordfreq for a list the index
does not hold (a threshold changed since it was compiled).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from kyodaku.screen.lexicon import FOREIGN_LANGUAGES, LOCAL_WORD_ZIPF

if TYPE_CHECKING:
    from kyodaku.screen.index import CompiledIndex

#: Zipf frequency from which a word is everyday in a prompt's language: the
#: lexicon's bar for registered words, applied to the words typed.
EVERYDAY_ZIPF = LOCAL_WORD_ZIPF
#: (language, least Zipf frequency) of the lists kept with the index: Chinese
#: for the transliteration reader, Japanese for short forms, Korean for the
#: Hangul read as Latin names (사이, "between", is no "Sai"), the European
#: languages and English for the fuzzy recogniser ("devant" in a French
#: prompt is no slip of a registered "Teyvat", "sushi" none of "Atsushi").
WORD_LISTS: tuple[tuple[str, float], ...] = (
    ("zh", 3.5),
    ("ja", 4.5),
    ("ko", 5.0),
    *((lang, EVERYDAY_ZIPF) for lang in ("en", *FOREIGN_LANGUAGES)),
)


@lru_cache(maxsize=4)
def word_frequencies(lang: str) -> dict[str, float]:
    """wordfreq's frequency of every word of ``lang`` (read once per process)."""
    import wordfreq

    return wordfreq.get_frequency_dict(lang)


@lru_cache(maxsize=8)
def common_words(lang: str, min_zipf: float) -> frozenset[str]:
    """Words of ``lang`` at least ``min_zipf`` frequent (wordfreq's list needs no tokenizer)."""
    import wordfreq

    last_bucket = round((9.0 - min_zipf) * 100)
    words: set[str] = set()
    for bucket in wordfreq.get_frequency_list(lang)[: last_bucket + 1]:
        words.update(bucket)
    return frozenset(words)


def compile_word_lists() -> dict[tuple[str, float], frozenset[str]]:
    """Every list of :data:`WORD_LISTS`, for the compiled index."""
    return {(lang, zipf): common_words(lang, zipf) for lang, zipf in WORD_LISTS}


def common_words_of(index: CompiledIndex | None, lang: str, min_zipf: float) -> frozenset[str]:
    """The list as the index holds it, else read from wordfreq."""
    held = getattr(index, "word_lists", {}).get((lang, min_zipf)) if index is not None else None
    return held if held is not None else common_words(lang, min_zipf)
