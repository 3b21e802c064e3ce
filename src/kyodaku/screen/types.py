"""Values that screening produces: evidence, references, contexts, results.

Every finding keeps its span in the *original* prompt, the recogniser that
found it, a score in [0, 1] and a human-readable reason, so that any refusal
can be explained by quoting the prompt back to its author (the Presidio
``RecognizerResult`` idea).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from kyodaku.registry.model import Registry


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open code-point range ``[start, end)`` into the original prompt."""

    start: int
    end: int

    def text(self, prompt: str) -> str:
        return prompt[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One recogniser's finding about one asset.

    ``matched`` is the registered form it matched (a name, alias, title, term
    or description feature); ``detail`` is a short English phrase for
    explanations and logs (user-facing wording comes from the message
    catalogue using ``kind``/``matched``/``span``).
    """

    asset_id: str
    recogniser: str  # e.g. "names", "fuzzy", "description", "semantic"
    kind: str  # e.g. "name", "alias", "title", "term", "reading", "feature"
    span: Span | None
    matched: str
    score: float
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """A registered work or character the prompt refers to, with its evidence."""

    asset_id: str
    asset_kind: Literal["work", "character"]
    score: float
    evidence: tuple[Evidence, ...] = ()

    @property
    def best(self) -> Evidence | None:
        return max(self.evidence, key=lambda e: e.score, default=None)


@dataclass(frozen=True, slots=True)
class ContextHit:
    """A prohibited context the prompt puts its subject in (e.g. gambling)."""

    context: str  # one of kyodaku.registry.model.CONTEXTS
    span: Span | None
    cue: str  # the cue word/phrase that triggered it
    score: float


@dataclass(frozen=True, slots=True)
class ScreenResult:
    prompt: str
    references: tuple[Reference, ...] = ()
    contexts: tuple[ContextHit, ...] = ()
    registry_version: int = 0
    #: Evidence that was considered but did not count (e.g. an ambiguous name
    #: without corroboration), kept for ``--explain``.
    discarded: tuple[Evidence, ...] = field(default=())

    @property
    def asset_ids(self) -> tuple[str, ...]:
        return tuple(r.asset_id for r in self.references)

    @property
    def context_names(self) -> tuple[str, ...]:
        seen: list[str] = []
        for hit in self.contexts:
            if hit.context not in seen:
                seen.append(hit.context)
        return tuple(seen)


class ScreeningError(Exception):
    """Screening could not complete (hostile input, broken index...).

    The gateway treats it as a refusal: fail closed.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Recogniser(Protocol):
    """One kind of evidence. Built once per registry version, then pure."""

    name: str

    def find(self, prompt: str) -> list[Evidence]: ...


class RecogniserFactory(Protocol):
    def __call__(self, registry: Registry) -> Recogniser: ...
