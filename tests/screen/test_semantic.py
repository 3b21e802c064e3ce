"""Tests for the optional semantic recogniser.

The retrieval logic is tested with a small deterministic encoder (bag of
words hashed into a vector), so it runs everywhere; the real model is tested
only where it is installed, and those tests say why they skip otherwise.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import numpy as np
import pytest

from kyodaku.registry.model import Registry, make_character, make_work
from kyodaku.screen import semantic
from kyodaku.screen.semantic import SemanticConfig, SemanticRecogniser
from kyodaku.screen.types import Recogniser, ScreeningError

DESCRIPTIONS = {
    "c-glimmerfox": (
        "A small teal fox with three silver tails, a crescent-moon mark on its forehead "
        "and amber eyes, who carries a tiny brass lantern."
    ),
    "c-pipwick": (
        "A clockwork owl with brass feathers, glowing blue lens eyes and a wind-up key "
        "turning slowly in its back."
    ),
    "c-mara": (
        "A bespectacled apprentice inventor with frizzy orange hair, soot-stained overalls "
        "and a toolbelt full of tiny screwdrivers."
    ),
}


def _registry() -> Registry:
    work = make_work("w-test", "rh-test", {"en": ["Moonlit Grove Tales"]})
    described = [
        make_character(cid, "w-test", {"en": [cid[2:].title()]}, [], text)
        for cid, text in DESCRIPTIONS.items()
    ]
    nameless = make_character("c-nameless", "w-test", {"en": ["Nameless"]}, [], "")
    characters = (*described, nameless)
    return Registry(works=(work,), characters=characters, version=1)


class HashingEncoder:
    """Bag of words hashed into 256 dimensions: cosine ~ shared words."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, sentences: list[str], **kwargs: Any) -> np.ndarray:
        self.calls.append(len(sentences))
        out = np.zeros((len(sentences), 256), dtype=np.float32)
        for row, text in enumerate(sentences):
            for word in re.findall(r"[a-z]+", text.lower()):
                if len(word) > 3:
                    bucket = int(hashlib.blake2b(word.encode(), digest_size=2).hexdigest(), 16)
                    out[row, bucket % 256] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


class BrokenEncoder:
    def __init__(self, fail_after: int = 0) -> None:
        self.remaining = fail_after

    def encode(self, sentences: list[str], **kwargs: Any) -> np.ndarray:
        if self.remaining <= 0:
            raise RuntimeError("out of memory")
        self.remaining -= 1
        return np.ones((len(sentences), 4), dtype=np.float32) / 2.0


class WrongShapeEncoder:
    def encode(self, sentences: list[str], **kwargs: Any) -> np.ndarray:
        return np.ones((len(sentences) + 1, 4), dtype=np.float32)


@pytest.mark.slow  # imports torch where the model is installed
def test_available_is_a_plain_answer() -> None:
    assert isinstance(semantic.available(), bool)
    reason = semantic.unavailable_reason()
    assert (reason is None) == semantic.available()
    if reason is not None:
        assert isinstance(reason, str) and reason


def test_descriptions_are_embedded_once_per_registry() -> None:
    encoder = HashingEncoder()
    recogniser = SemanticRecogniser(_registry(), model=encoder)
    assert encoder.calls == [len(DESCRIPTIONS)]  # the empty description is left out
    recogniser.find("a fox")
    recogniser.find("an owl")
    assert encoder.calls == [len(DESCRIPTIONS), 1, 1]


def test_nearest_description_is_reported_with_its_kind_and_span() -> None:
    recogniser: Recogniser = SemanticRecogniser(
        _registry(), model=HashingEncoder(), config=SemanticConfig(description_threshold=0.6)
    )
    prompt = "  a small teal fox with three silver tails and a crescent-moon mark on its forehead "
    evidence = recogniser.find(prompt)
    assert evidence[0].asset_id == "c-glimmerfox"
    assert evidence[0].kind == "description"
    assert evidence[0].recogniser == "semantic"
    assert 0.5 <= evidence[0].score <= 1.0
    assert evidence[0].span is not None
    assert evidence[0].span.text(prompt) == prompt.strip()
    assert all(e.kind == "feature" and e.score < 0.5 for e in evidence[1:])


def test_unrelated_prompt_gives_no_description() -> None:
    recogniser = SemanticRecogniser(_registry(), model=HashingEncoder())
    evidence = recogniser.find("a bowl of ramen on a wooden counter, steam rising")
    assert [e for e in evidence if e.kind == "description"] == []


def test_blank_prompt_and_empty_registry() -> None:
    encoder = HashingEncoder()
    assert SemanticRecogniser(_registry(), model=encoder).find("   ") == []
    assert SemanticRecogniser(Registry(), model=encoder).find("a teal fox") == []


def test_prompt_must_be_text() -> None:
    recogniser = SemanticRecogniser(_registry(), model=HashingEncoder())
    with pytest.raises(ScreeningError) as error:
        recogniser.find(None)  # type: ignore[arg-type]
    assert error.value.code == "semantic.prompt_type"


def test_encoder_failure_fails_closed() -> None:
    with pytest.raises(ScreeningError) as error:
        SemanticRecogniser(_registry(), model=BrokenEncoder())
    assert error.value.code == "semantic.encode_failed"
    recogniser = SemanticRecogniser(_registry(), model=BrokenEncoder(fail_after=1))
    with pytest.raises(ScreeningError) as error:
        recogniser.find("a teal fox")
    assert error.value.code == "semantic.encode_failed"


def test_malformed_embeddings_fail_closed() -> None:
    with pytest.raises(ScreeningError) as error:
        SemanticRecogniser(_registry(), model=WrongShapeEncoder())
    assert "shape" in str(error.value)


def test_missing_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "unavailable_reason", lambda: "no model weights here")
    semantic._shared_model.cache_clear()
    try:
        assert semantic.available() is False
        with pytest.raises(ScreeningError) as error:
            SemanticRecogniser(_registry())
        assert error.value.code == "semantic.unavailable"
        assert "no model weights" in str(error.value)
    finally:
        semantic._shared_model.cache_clear()


# -- the real model, where it is installed --------------------------------------------


@pytest.fixture(scope="module")
def real_recogniser() -> SemanticRecogniser:
    reason = semantic.unavailable_reason()
    if reason is not None:
        pytest.skip(f"semantic model not installed: {reason}")
    return SemanticRecogniser(_registry())


@pytest.mark.slow
def test_real_model_ranks_a_paraphrase_first(real_recogniser: SemanticRecogniser) -> None:
    evidence = real_recogniser.find(
        "a little blue-green fox whose three tails shine like silver, a moon sign on its brow"
    )
    assert evidence
    assert evidence[0].asset_id == "c-glimmerfox"


@pytest.mark.slow
def test_real_model_leaves_unrelated_prompts_alone(real_recogniser: SemanticRecogniser) -> None:
    evidence = real_recogniser.find("time-lapse of clouds rolling over snowy mountains at dawn")
    assert [e for e in evidence if e.kind == "description"] == []
