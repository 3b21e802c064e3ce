"""Video generation backends behind one small protocol.

``get_backend(name, config)`` builds a backend (default: the built-in
storyboard renderer); every backend checks a :class:`GenerationRequest`
against its :class:`Capabilities` and writes an MP4 it describes in a
:class:`GenerationOutput`.
"""

from kyodaku.generate.base import (
    Backend,
    BackendConfigError,
    BackendError,
    BackendTimeout,
    Capabilities,
    GenerationOutput,
    GenerationRequest,
    ProviderRefusal,
    TransientBackendError,
    UnsupportedRequest,
    check_request,
)
from kyodaku.generate.registry import (
    DEFAULT_BACKEND,
    available_backends,
    get_backend,
    register_backend,
)

__all__ = [
    "DEFAULT_BACKEND",
    "Backend",
    "BackendConfigError",
    "BackendError",
    "BackendTimeout",
    "Capabilities",
    "GenerationOutput",
    "GenerationRequest",
    "ProviderRefusal",
    "TransientBackendError",
    "UnsupportedRequest",
    "available_backends",
    "check_request",
    "get_backend",
    "register_backend",
]
