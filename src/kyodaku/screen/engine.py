"""The screening engine: every recogniser, one merge, one result.

:class:`Screener` is built once per registry version (Presidio's analyzer
idea): it holds the compiled index and a list of recognisers made for that
version. ``screen(prompt)`` computes the normalised views once, runs the
name-like recognisers on them (registered names and readings, near
spellings, short forms before an honorific, Chinese transliterations) and
any other recogniser on the raw prompt (descriptions, names translated word
by word when the dictionaries are installed, embeddings, or one plugged
in), merges and disambiguates the evidence into references, and adds the
prohibited contexts. Everything is bounded: a prompt over ``max_prompt_length`` code
points, or one that makes the automata report absurd numbers of hits, is
refused with :class:`ScreeningError` (fail closed), never screened slowly.
"""

from __future__ import annotations

import importlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from kyodaku.registry.model import Registry
from kyodaku.screen.disambiguation import THRESHOLD, disambiguate
from kyodaku.screen.fuzzy import FuzzyRecogniser
from kyodaku.screen.hangul_loanwords import HangulLoanwordRecogniser
from kyodaku.screen.index import CompiledIndex
from kyodaku.screen.index_cache import DEFAULT_CACHE, IndexCache, paused_gc, registry_digest
from kyodaku.screen.lexicon import is_word
from kyodaku.screen.loanwords import LoanwordRecogniser
from kyodaku.screen.loanwords import available as loanwords_available
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import views_of
from kyodaku.screen.short_forms import ShortFormRecogniser
from kyodaku.screen.transliteration import TransliterationRecogniser
from kyodaku.screen.transliteration import warm_up as warm_up_transliteration
from kyodaku.screen.types import ContextHit, Evidence, Recogniser, ScreeningError, ScreenResult

#: Longest prompt screened, in code points; longer ones are refused.
DEFAULT_MAX_PROMPT_LENGTH = 20_000
#: Screened once when a screener is made, so that every recogniser loads its
#: lazily built tables (word frequencies, lemmas, short-form lists) then and
#: not in the first user's request: descriptions, an honorific, Japanese,
#: Korean and Chinese (pinyin) text, and a context cue.
_WARM_UP_PROMPTS = (
    "Warm-up: a small fox spirit with red hair, a blue scarf and round glasses; "
    "Wārm-chan, ウォームちゃん and 웜 씨 share a glass of wine",
    "库巴和马里奥在城堡里",
)


RecogniserFactory = Callable[[Registry], Recogniser]


def _optional(module: str, attribute: str) -> Any | None:
    """A colleague's component if its module exists; a broken module still raises."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise
    return getattr(mod, attribute, None)


def default_recognisers(semantic: bool = False) -> list[RecogniserFactory]:
    """Recognisers beyond names and fuzzy matches, as far as they are installed."""
    factories: list[RecogniserFactory] = []
    description = _optional("kyodaku.screen.descriptions", "DescriptionRecogniser")
    if description is not None:
        factories.append(description)
    translated = _optional("kyodaku.screen.translated_names", "TranslatedNameRecogniser")
    dictionaries = _optional("kyodaku.screen.translated_names", "available")
    if translated is not None and dictionaries is not None and dictionaries():
        factories.append(translated)
    if semantic:
        available = _optional("kyodaku.screen.semantic", "available")
        recogniser = _optional("kyodaku.screen.semantic", "SemanticRecogniser")
        if recogniser is None or available is None or not available():
            raise ScreeningError(
                "semantic_unavailable", "the semantic recogniser was asked for but is not installed"
            )
        factories.append(recogniser)
    return factories


class Screener:
    """Screens prompts against one registry version."""

    def __init__(
        self,
        registry: Registry,
        index: CompiledIndex,
        recognisers: Sequence[Recogniser] = (),
        *,
        detect_contexts: Callable[[str], Sequence[ContextHit]] | None = None,
        max_prompt_length: int = DEFAULT_MAX_PROMPT_LENGTH,
        threshold: float = THRESHOLD,
    ) -> None:
        self.registry = registry
        self.index = index
        self.names = NameRecogniser(index)
        self.fuzzy = FuzzyRecogniser(index)
        self.short_forms = ShortFormRecogniser(index)
        self.transliteration = TransliterationRecogniser(index, self.names.latin_automaton)
        self.hangul_loanwords = HangulLoanwordRecogniser(index, self.names.latin_automaton)
        self.loanwords = (
            LoanwordRecogniser(index, self.names.latin_automaton) if loanwords_available() else None
        )
        self.recognisers = list(recognisers)
        self.detect_contexts = detect_contexts
        self.max_prompt_length = max_prompt_length
        self.threshold = threshold
        self._work_of = {c.id: c.work for c in registry.characters} | {
            w.id: w.id for w in registry.works
        }
        self._kind_of = {c.id: "character" for c in registry.characters} | {
            w.id: "work" for w in registry.works
        }
        # Load the lazily built tables (dictionary, confusables, every
        # recogniser's own) now, not in the first user's request.
        views_of("Wаrm ウォーム 웜")
        is_word("warm")
        warm_up_transliteration()
        for prompt in _WARM_UP_PROMPTS:
            self.screen(prompt)

    @classmethod
    def build(
        cls,
        registry: Registry,
        *,
        semantic: bool = False,
        cache: IndexCache | None = None,
        extra: Sequence[RecogniserFactory] = (),
        max_prompt_length: int = DEFAULT_MAX_PROMPT_LENGTH,
    ) -> Screener:
        """Compile (or load) the index and make every recogniser for this registry.

        Runs with the garbage collector paused (:func:`paused_gc`): loading
        the cached tables, importing the recognisers' dictionaries and the
        warm-ups only add objects, and with the collector running over the
        registry snapshot they took twice as long.
        """
        cache = cache or DEFAULT_CACHE
        with paused_gc():
            index = cache.get(registry)
            factories = [*default_recognisers(semantic), *extra]
            return cls(
                registry,
                index,
                [cache.recogniser(registry, factory) for factory in factories],
                detect_contexts=_optional("kyodaku.screen.contexts", "detect_contexts"),
                max_prompt_length=max_prompt_length,
            )

    def _names_of(self, asset_id: str) -> tuple[str, ...]:
        """Every registered name of a character (none for a work)."""
        character = self.registry.character(asset_id)
        return character.all_names if character is not None else ()

    @property
    def version(self) -> int:
        return self.registry.version

    def screen(self, prompt: str) -> ScreenResult:
        """What the prompt refers to, in which contexts, and what was set aside."""
        if not isinstance(prompt, str):
            kind = type(prompt).__name__
            raise ScreeningError("invalid_prompt", f"prompt must be text, not {kind}")
        if len(prompt) > self.max_prompt_length:
            raise ScreeningError(
                "prompt_too_long",
                f"prompt has {len(prompt)} characters; at most {self.max_prompt_length} "
                "are screened",
            )
        views = views_of(prompt)
        matches, set_aside = self.names.screened_matches(views)
        matches += self.fuzzy.matches(views, matches)
        matches += self.short_forms.matches(views, matches)
        matches += self.transliteration.matches(views, matches)
        matches += self.hangul_loanwords.matches(views, matches)
        if self.loanwords is not None:
            matches += self.loanwords.matches(views, matches)
        others: list[Evidence] = []
        for recogniser in self.recognisers:
            others.extend(recogniser.find(prompt))
        outcome = disambiguate(
            prompt,
            matches,
            others,
            work_of=self._work_of,
            kind_of=self._kind_of,
            description=_Descriptions(self.registry),
            names_of=self._names_of,
            threshold=self.threshold,
            word_languages=self.index.word_languages,
        )
        contexts = tuple(self.detect_contexts(prompt)) if self.detect_contexts else ()
        return ScreenResult(
            prompt=prompt,
            references=tuple(outcome.references),
            contexts=contexts,
            registry_version=self.registry.version,
            discarded=tuple(outcome.discarded)
            + tuple(match.evidence(0.0, problem.describe()) for match, problem in set_aside),
        )


class _Descriptions(dict[str, str]):
    """Character descriptions looked up on demand (only weak matches ask)."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self._registry = registry

    def get(self, key: str, default: str = "") -> str:  # type: ignore[override]
        character = self._registry.character(key)
        return character.description if character is not None else default


# ---------------------------------------------------------------- per-version cache

_SCREENERS: OrderedDict[str, Screener] = OrderedDict()
_SCREENERS_LOCK = threading.Lock()
_MAX_SCREENERS = 4


def get_screener(registry: Registry, *, semantic: bool = False) -> Screener:
    """The screener for this registry version, built once and kept.

    A changed registry has a new digest, so it gets a new screener at once
    (no restart); the compiled index comes from the memory or disk cache.
    """
    key = f"{registry_digest(registry)}:{registry.version}:{int(semantic)}"
    with _SCREENERS_LOCK:
        screener = _SCREENERS.get(key)
        if screener is not None:
            _SCREENERS.move_to_end(key)
            return screener
    screener = Screener.build(registry, semantic=semantic)
    with _SCREENERS_LOCK:
        _SCREENERS[key] = screener
        while len(_SCREENERS) > _MAX_SCREENERS:
            _SCREENERS.popitem(last=False)
    return screener
