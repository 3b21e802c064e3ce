"""Backend lookup by name."""

from __future__ import annotations

import pytest

from kyodaku.generate import (
    Backend,
    BackendConfigError,
    available_backends,
    get_backend,
    register_backend,
)
from kyodaku.generate.hosted_veo import VeoBackend
from kyodaku.generate.registry import _REGISTERED
from kyodaku.generate.storyboard import StoryboardBackend


def test_default_is_the_storyboard() -> None:
    backend = get_backend()
    assert isinstance(backend, StoryboardBackend) and isinstance(backend, Backend)
    assert backend.name == "storyboard"


def test_hosted_backend_by_name_with_config() -> None:
    backend = get_backend("veo", {"model": "veo-3.1-fast-generate-preview"})
    assert isinstance(backend, VeoBackend)
    assert backend.model == "veo-3.1-fast-generate-preview"


def test_unknown_backend_lists_the_known_ones() -> None:
    with pytest.raises(BackendConfigError, match="storyboard, veo") as caught:
        get_backend("sora")
    assert caught.value.code == "generate.unknown_backend"
    assert caught.value.params["name"] == "sora"


def test_unknown_option_is_a_config_error() -> None:
    with pytest.raises(BackendConfigError, match="colour"):
        get_backend("storyboard", {"colour": "red"})


def test_registered_backend_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kyodaku.generate.registry._REGISTERED", dict(_REGISTERED))
    register_backend("quiet", lambda config: StoryboardBackend({"speech": False}))
    assert "quiet" in available_backends()
    assert get_backend("quiet").speech is False
