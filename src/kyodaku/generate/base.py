"""The generation backend protocol: request, capabilities, output, errors.

The gateway talks to every video generator (the built-in storyboard renderer,
hosted APIs) through this one small interface, so that screening, policy and
sealing never care which backend made the pictures. A request a backend cannot
honour is refused by :func:`check_request` *before* anything runs or costs
money, with a message that says which limit was hit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

Style = Literal["live-action", "cinematic", "anime"]
STYLES: tuple[str, ...] = ("live-action", "cinematic", "anime")

#: ``progress(fraction, stage)``: fraction in [0, 1], stage a short machine word
#: ("render", "encode", "submit", "poll", "download", ...).
ProgressCallback = Callable[[float, str], None]


class BackendError(Exception):
    """A backend could not produce a video. Nothing is released.

    ``code`` and ``params`` identify the problem for the message catalogue
    (see :mod:`kyodaku.messages`); the exception text is the English rendering for
    logs and operators.
    """

    default_code = "generate.failed"

    def __init__(
        self, message: str, *, code: str | None = None, params: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.params: dict[str, Any] = dict(params or {})


class UnsupportedRequest(BackendError):
    """The request asks for something the backend cannot do (checked before running)."""

    default_code = "generate.unsupported"


class BackendConfigError(BackendError):
    """The backend is not set up to run (missing API key, bad option, unknown name)."""

    default_code = "generate.config"


class TransientBackendError(BackendError):
    """A failure that may go away if tried again later (rate limit, 5xx, network).

    ``retry_after_s`` carries the provider's own hint (HTTP ``Retry-After``)
    when it gave one.
    """

    default_code = "generate.transient"

    def __init__(
        self,
        message: str,
        *,
        retry_after_s: float | None = None,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.retry_after_s = retry_after_s


class BackendTimeout(TransientBackendError):
    """The job did not finish within the configured overall time limit."""

    default_code = "generate.timeout"


class ProviderRefusal(BackendError):
    """The provider itself refused the content (its own content policy).

    Recorded as such, separately from kyodaku's own refusals, keeping the
    provider's stated reasons verbatim so that the ledger can show them.
    """

    default_code = "generate.provider_refusal"

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        reasons: tuple[str, ...] = (),
        provider_job_id: str | None = None,
    ) -> None:
        super().__init__(
            message, params={"provider": provider, "reasons": "; ".join(reasons) or "-"}
        )
        self.provider = provider
        self.reasons = reasons
        self.provider_job_id = provider_job_id


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    """What to generate. The prompt has already passed screening and policy."""

    prompt: str
    duration_s: float = 4.0
    width: int = 1280
    height: int = 720
    fps: int = 24
    seed: int | None = None
    style: Style | None = None
    audio: bool = True
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a backend can produce.

    Sizes are either an explicit set (``resolutions``, typical of hosted APIs)
    or bounded by ``max_width``/``max_height`` (a renderer that draws any even
    size). ``durations`` lists the only lengths a provider accepts, when it
    only takes a few; otherwise any length between the min and max works.
    """

    max_duration_s: float
    min_duration_s: float = 0.5
    durations: frozenset[float] | None = None
    resolutions: frozenset[tuple[int, int]] | None = None
    max_width: int | None = None
    max_height: int | None = None
    fps_options: frozenset[int] = frozenset({24})
    audio: bool = True
    styles: frozenset[str] = frozenset(STYLES)
    #: Whether the same seed reproduces the same video.
    deterministic_seed: bool = False
    max_prompt_chars: int | None = None


@dataclass(frozen=True, slots=True)
class GenerationOutput:
    """The file a backend produced and how it was made (for the ledger and C2PA)."""

    path: Path
    backend: str
    model: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    timings: Mapping[str, float] = field(default_factory=dict)
    provider_job_id: str | None = None


@runtime_checkable
class Backend(Protocol):
    """A video generator. ``generate`` writes an MP4 under ``out_dir`` and says where."""

    name: str
    model: str

    def capabilities(self) -> Capabilities: ...

    def generate(
        self,
        request: GenerationRequest,
        out_dir: Path,
        progress: ProgressCallback | None = None,
    ) -> GenerationOutput: ...


def check_request(caps: Capabilities, req: GenerationRequest) -> None:
    """Raise :class:`UnsupportedRequest` naming the first limit ``req`` exceeds."""
    if not req.prompt or not req.prompt.strip():
        raise UnsupportedRequest("the prompt is empty", code="generate.unsupported.empty_prompt")
    if caps.max_prompt_chars is not None and len(req.prompt) > caps.max_prompt_chars:
        raise UnsupportedRequest(
            f"the prompt has {len(req.prompt)} characters; this backend takes at most "
            f"{caps.max_prompt_chars}",
            code="generate.unsupported.prompt_too_long",
            params={"chars": len(req.prompt), "max": caps.max_prompt_chars},
        )
    _check_duration(caps, req.duration_s)
    _check_size(caps, req.width, req.height)
    if req.fps not in caps.fps_options:
        allowed = ", ".join(str(f) for f in sorted(caps.fps_options))
        raise UnsupportedRequest(
            f"{req.fps} fps is not available; choose one of {allowed}",
            code="generate.unsupported.fps",
            params={"fps": req.fps, "allowed": allowed},
        )
    if req.style is not None and req.style not in caps.styles:
        allowed = ", ".join(sorted(caps.styles))
        raise UnsupportedRequest(
            f"style {req.style!r} is not available; choose one of {allowed}",
            code="generate.unsupported.style",
            params={"style": req.style, "allowed": allowed},
        )
    if req.audio and not caps.audio:
        raise UnsupportedRequest(
            "this backend cannot produce an audio track", code="generate.unsupported.audio"
        )


def _check_duration(caps: Capabilities, duration_s: float) -> None:
    if caps.durations is not None:
        allowed = ", ".join(f"{d:g}" for d in sorted(caps.durations))
        ok = any(abs(duration_s - d) < 1e-6 for d in caps.durations)
    else:
        allowed = f"{caps.min_duration_s:g}–{caps.max_duration_s:g}"
        ok = caps.min_duration_s <= duration_s <= caps.max_duration_s
    if not (duration_s > 0 and ok):
        raise UnsupportedRequest(
            f"a {duration_s:g} s video is not available; this backend makes {allowed} s",
            code="generate.unsupported.duration",
            params={"duration": f"{duration_s:g}", "allowed": allowed},
        )


def _check_size(caps: Capabilities, width: int, height: int) -> None:
    if caps.resolutions is not None:
        allowed = ", ".join(f"{w}x{h}" for w, h in sorted(caps.resolutions))
    else:
        allowed = f"even sizes up to {caps.max_width or '?'}x{caps.max_height or '?'}"
    problem = None
    if width <= 0 or height <= 0:
        problem = "is not positive"
    elif width % 2 or height % 2:
        problem = "has an odd side; H.264 needs even width and height"
    elif caps.resolutions is not None and (width, height) not in caps.resolutions:
        problem = "is not offered"
    elif (caps.max_width is not None and width > caps.max_width) or (
        caps.max_height is not None and height > caps.max_height
    ):
        problem = "is larger than the maximum"
    if problem:
        raise UnsupportedRequest(
            f"frame size {width}x{height} {problem}; choose one of: {allowed}",
            code="generate.unsupported.size",
            params={"width": width, "height": height, "allowed": allowed},
        )
