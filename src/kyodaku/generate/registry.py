"""Backends by name: ``get_backend("storyboard")``, ``get_backend("veo", config)``.

Configuration files and the CLI name a backend with a short word; this is the
one place that maps the word to a class. Hosted backends are imported only
when asked for, so the default path never loads an HTTP client it does not
use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from kyodaku.generate.base import Backend, BackendConfigError

DEFAULT_BACKEND = "storyboard"

BackendFactory = Callable[[Mapping[str, Any] | None], Backend]

#: name → "module:Class", resolved lazily.
_BUILTIN: dict[str, str] = {
    "storyboard": "kyodaku.generate.storyboard:StoryboardBackend",
    "veo": "kyodaku.generate.hosted_veo:VeoBackend",
}
_REGISTERED: dict[str, BackendFactory] = {}


def register_backend(name: str, factory: BackendFactory) -> None:
    """Add (or replace) a backend under ``name`` — for plug-ins and tests."""
    _REGISTERED[name] = factory


def available_backends() -> tuple[str, ...]:
    return tuple(sorted({*_BUILTIN, *_REGISTERED}))


def get_backend(name: str | None = None, config: Mapping[str, Any] | None = None) -> Backend:
    """Build the backend called ``name`` (default: the storyboard renderer)."""
    name = name or DEFAULT_BACKEND
    if name in _REGISTERED:
        return _REGISTERED[name](config)
    target = _BUILTIN.get(name)
    if target is None:
        known = ", ".join(available_backends())
        raise BackendConfigError(
            f"unknown backend {name!r}; available: {known}",
            code="generate.unknown_backend",
            params={"name": name, "known": known},
        )
    module_name, _, class_name = target.partition(":")
    factory = getattr(importlib.import_module(module_name), class_name)
    return factory(config)
