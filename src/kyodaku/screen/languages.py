"""Which European language a prompt is written in, from its function words.

A registered name can be an everyday word of another language: "Himmel" is
the sky in German, "frieren" to freeze, "Dio" God in Italian, "León" a lion
and a city in Spanish. In a prompt written in that language the word means
what it means there, and needs the same corroboration as "Link" or "Joker"
in English (:mod:`kyodaku.screen.disambiguation`). Which words are common in
which language comes from ``wordfreq`` when the index is compiled
(:func:`kyodaku.screen.lexicon.word_languages`); this module only tells the
prompt's language.

Function words (articles, prepositions, conjunctions) are the cheapest
reliable signal for short texts: a prompt whose words include at least
:data:`MIN_FUNCTION_WORDS` of a language's list, and more of them than of
English's, is taken to be in that language. Lists overlap ("de", "la");
several languages may come back, which only widens the words checked.
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache


def vocabulary(text: str) -> frozenset[str]:
    """A set of words from a whitespace-separated block (how word lists are written here)."""
    return frozenset(text.split())


#: Articles, prepositions, conjunctions and pronouns of each language (the
#: short words every sentence has); general vocabulary, never names.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: vocabulary(words)
    for lang, words in {
        "de": "der die das den dem des ein eine einen einem einer und ist nicht mit auf für "
        "von vom zum zur im am an über unter bei aus nach sich wie oder aber auch",
        "es": "el la los las un una unos unas y del al con por para que se en es su sus entre "
        "sobre bajo mientras muy como pero",
        "fr": "le la les un une des du au aux et avec dans sur pour que qui est son sa ses sous "
        "pendant entre comme mais très",
        "it": "il lo la gli le un uno una e del della dei delle degli al alla con per che di "
        "nel nella sul sulla è sotto mentre come ma molto",
        "pt": "o a os as um uma e do da dos das com para que em no na nos nas pelo pela sobre "
        "sob enquanto como mas muito",
        "nl": "de het een en van met op voor dat niet aan bij uit over onder naar ook maar",
        "sv": "och en ett det den att med på för av är som till under över från men också "
        "genom vid mot om när eller hos sin sitt sina mellan utan",
        "pl": "i w na z do się nie jest że od po dla pod nad przez oraz ale",
        "tr": "ve bir bu ile için çok gibi ama daha sonra üzerinde altında",
    }.items()
}
#: English function words. A word that is also English ("a", "an", "die",
#: "son", "no", "men") counts for no language, English included.
ENGLISH_FUNCTION_WORDS = vocabulary(
    """
    the a an and of on in to for by as at from into onto over under with without his her
    their its this that these those is are was were be been has have had it he she they
    we you i not no but or if then than so some every each all both how what who which
    while when where after before during above below behind across through around against
    near out up down off am die den men met till son do um per pod sob
    """
)
#: Fewest function words of a language that make a prompt that language's.
MIN_FUNCTION_WORDS = 2

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: English words that are no function word elsewhere ("a", "no" and "do" are
#: also Portuguese: they count for neither).
_ENGLISH_ONLY = ENGLISH_FUNCTION_WORDS - frozenset().union(*FUNCTION_WORDS.values())
#: Function word → the languages it belongs to (one lookup a prompt word).
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, words in FUNCTION_WORDS.items() if word in words)
    for word in frozenset().union(*FUNCTION_WORDS.values()) - ENGLISH_FUNCTION_WORDS
}


@lru_cache(maxsize=1024)  # asked by the cues and the loanword reader of the same prompt
def prompt_languages(prompt: str) -> frozenset[str]:
    """Languages (ISO 639-1) other than English that ``prompt`` is written in; empty if none."""
    counts: Counter[str] = Counter()
    english = 0
    for word in _WORD.findall(prompt.lower()):
        if word in _ENGLISH_ONLY:
            english += 1
        else:
            counts.update(_LANGUAGES_OF.get(word, ()))
    return frozenset(lang for lang, n in counts.items() if n >= MIN_FUNCTION_WORDS and n > english)
