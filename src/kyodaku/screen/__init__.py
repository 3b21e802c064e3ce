"""Screening: what a prompt refers to, found in substance rather than spelling.

Public API::

    from kyodaku.screen import Screener, get_screener
    result = get_screener(registry).screen("P1kachu surfing at sunset")
    result.references   # (Reference(asset_id="c-pikachu", ...),)

See :mod:`kyodaku.screen.engine` for the pipeline.
"""

from kyodaku.screen.engine import DEFAULT_MAX_PROMPT_LENGTH, Screener, get_screener
from kyodaku.screen.fuzzy import FuzzyRecogniser
from kyodaku.screen.index import CompiledIndex, compile_index
from kyodaku.screen.index_cache import DEFAULT_CACHE, IndexCache
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import PromptViews, View, views_of
from kyodaku.screen.types import (
    ContextHit,
    Evidence,
    Recogniser,
    Reference,
    ScreeningError,
    ScreenResult,
    Span,
)

__all__ = [
    "DEFAULT_CACHE",
    "DEFAULT_MAX_PROMPT_LENGTH",
    "CompiledIndex",
    "ContextHit",
    "Evidence",
    "FuzzyRecogniser",
    "IndexCache",
    "NameRecogniser",
    "PromptViews",
    "Recogniser",
    "Reference",
    "ScreenResult",
    "Screener",
    "ScreeningError",
    "Span",
    "View",
    "compile_index",
    "get_screener",
    "views_of",
]
