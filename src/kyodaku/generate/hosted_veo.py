"""Google Veo through the Gemini API, behind the backend protocol.

Wire flow (Gemini API, ``v1beta``):

1. ``POST {base}/v1beta/models/{model}:predictLongRunning`` with
   ``{"instances": [{"prompt": ...}], "parameters": {"aspectRatio", "resolution",
   "durationSeconds", ...}}`` → a long-running operation ``{"name": ...}``;
2. ``GET {base}/v1beta/{operation name}`` until ``"done": true``; the finished
   operation holds either ``error`` (the job failed) or
   ``response.generateVideoResponse`` with ``generatedSamples[].video.uri``, or
   — when Google's own safety filters withheld the video —
   ``raiMediaFilteredCount`` / ``raiMediaFilteredReasons`` and no sample;
3. ``GET`` the video URI (same API key) and store the MP4.

The key is read from ``GEMINI_API_KEY`` (or ``GOOGLE_API_KEY``) and sent in the
``x-goog-api-key`` header, never in the URL (URLs end up in logs). The base URL
can be overridden (config ``base_url`` or ``KYODAKU_VEO_BASE_URL``) so tests
and proxies can stand in for Google.

Written directly on httpx rather than through LiteLLM's video interface
(checked: litellm 1.110): that interface marks any finished Veo operation
"completed", so a failed or safety-filtered job surfaces as an index or
value error instead of a refusal with Google's reasons; it drops ``seed`` for
Gemini; it reads the whole video into memory; and it pulls in some hundred MB
of dependencies (openai, tiktoken, tokenizers, huggingface-hub, boto3,
aiohttp) for two HTTP calls and a download.
"""

from __future__ import annotations

import base64
import contextlib
import os
import random
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from kyodaku.generate.base import (
    STYLES,
    BackendConfigError,
    BackendError,
    Capabilities,
    GenerationOutput,
    GenerationRequest,
    ProgressCallback,
    ProviderRefusal,
    UnsupportedRequest,
    check_request,
)
from kyodaku.generate.jobs import Deadline, JobClient, PollPolicy, RetryPolicy
from kyodaku.media.video_io import MediaError, MediaInfo, copy_video_only, probe

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com"
DEFAULT_MODEL = "veo-3.1-generate-preview"
BASE_URL_ENV = "KYODAKU_VEO_BASE_URL"
API_KEY_ENVS: tuple[str, ...] = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
PROVIDER = "Google Veo"

_SIZES: dict[tuple[int, int], tuple[str, str]] = {
    (1280, 720): ("16:9", "720p"),
    (720, 1280): ("9:16", "720p"),
    (1920, 1080): ("16:9", "1080p"),
    (1080, 1920): ("9:16", "1080p"),
}

#: A sentence appended to the (already screened) prompt to ask for the style.
STYLE_HINTS: dict[str, str] = {
    "live-action": "Style: photorealistic live-action footage.",
    "cinematic": "Style: cinematic film look, anamorphic widescreen, dramatic lighting.",
    "anime": "Style: Japanese anime, cel-shaded 2D animation.",
}

#: Words in an operation error that mean the provider refused the content
#: rather than failing to make it.
_REFUSAL_WORDS = re.compile(
    r"safety|content policy|usage polic|responsible ai|\brai\b|blocked|prohibited|violat",
    re.IGNORECASE,
)

_KNOWN_OPTIONS = frozenset(
    {
        "model",
        "base_url",
        "api_key",
        "api_key_env",
        "timeout_s",
        "request_timeout_s",
        "poll_interval_s",
        "max_poll_interval_s",
        "attempts",
        "retry_base_s",
        "retry_max_s",
        "negative_prompt",
        "person_generation",
        "send_seed",
    }
)


class VeoBackend:
    """Veo text-to-video through the Gemini API (see the module docstring)."""

    name = "veo"

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        *,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        config = dict(config or {})
        unknown = set(config) - _KNOWN_OPTIONS
        if unknown:
            raise BackendConfigError(
                f"unknown veo option(s): {', '.join(sorted(unknown))}",
                params={"detail": ", ".join(sorted(unknown))},
            )
        self.model = str(config.get("model", DEFAULT_MODEL))
        self.base_url = str(
            config.get("base_url") or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        ).rstrip("/")
        self._api_key = config.get("api_key")
        self._api_key_envs = (
            (str(config["api_key_env"]),) if config.get("api_key_env") else API_KEY_ENVS
        )
        self.timeout_s = float(config.get("timeout_s", 900.0))
        self.request_timeout_s = float(config.get("request_timeout_s", 60.0))
        self.poll = PollPolicy(
            initial_interval_s=float(config.get("poll_interval_s", 10.0)),
            max_interval_s=float(config.get("max_poll_interval_s", 60.0)),
        )
        self.retry = RetryPolicy(
            attempts=int(config.get("attempts", 4)),
            base_delay_s=float(config.get("retry_base_s", 2.0)),
            max_delay_s=float(config.get("retry_max_s", 60.0)),
        )
        self.negative_prompt = config.get("negative_prompt")
        self.person_generation = config.get("person_generation")
        # The Gemini API's Veo endpoint documents no seed (Vertex AI's does), so
        # it is only sent when asked for; the output records whether it was.
        self.send_seed = bool(config.get("send_seed", False))
        self._http_client = http_client
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()

    def capabilities(self) -> Capabilities:
        return Capabilities(
            max_duration_s=8.0,
            min_duration_s=4.0,
            durations=frozenset({4.0, 6.0, 8.0}),
            resolutions=frozenset(_SIZES),
            fps_options=frozenset({24}),
            audio=True,
            styles=frozenset(STYLES),
            deterministic_seed=False,
        )

    # -- the job

    def generate(
        self,
        request: GenerationRequest,
        out_dir: Path,
        progress: ProgressCallback | None = None,
    ) -> GenerationOutput:
        check_request(self.capabilities(), request)
        aspect, resolution = _SIZES[(request.width, request.height)]
        if resolution == "1080p" and request.duration_s != 8:
            raise UnsupportedRequest(
                "Veo makes 1080p videos only at 8 s; ask for 8 s or 1280x720",
                code="generate.unsupported.duration",
                params={"duration": f"{request.duration_s:g}", "allowed": "8"},
            )
        api_key = self._resolve_api_key()
        report = progress or (lambda fraction, stage: None)
        started = self._clock()
        deadline = Deadline(self.timeout_s, self._clock)
        body = self._request_body(request, aspect, resolution)
        headers = {"x-goog-api-key": api_key}
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)

        with self._client() as client:
            jobs = JobClient(
                client, PROVIDER, deadline, self.retry, sleep=self._sleep, rng=self._rng
            )
            report(0.0, "submit")
            submitted = jobs.call(
                "POST",
                f"{self.base_url}/v1beta/models/{self.model}:predictLongRunning",
                doing="submitting the job",
                json=body,
                headers=headers,
            )
            operation = _json(submitted, "the submit response")
            name = operation.get("name")
            if not isinstance(name, str) or not name:
                raise BackendError(
                    f"{PROVIDER}: the submit response has no operation name",
                    code="generate.job_failed",
                    params={"detail": "no operation name"},
                )
            submitted_at = self._clock()
            polls = 0

            def fetch() -> dict[str, Any]:
                response = jobs.call(
                    "GET",
                    f"{self.base_url}/v1beta/{name}",
                    doing="checking the job",
                    headers=headers,
                )
                return _json(response, "the job status")

            shown = 0.05

            def on_poll(number: int, state: dict[str, Any]) -> None:
                nonlocal polls, shown
                polls = number
                percent = (state.get("metadata") or {}).get("progressPercent")
                if isinstance(percent, int | float) and not state.get("done"):
                    # Progress never goes backwards, whatever the provider reports.
                    shown = max(shown, 0.05 + 0.85 * min(100.0, float(percent)) / 100.0)
                report(shown, "generate")

            if not operation.get("done"):
                operation = jobs.poll(
                    fetch,
                    lambda state: bool(state.get("done")),
                    self.poll,
                    doing="waiting for the video",
                    on_poll=on_poll,
                )
            finished_at = self._clock()
            video = _finished_video(operation, name)

            report(0.9, "download")
            path = out_dir / f"veo-{_file_stem(request, name)}.mp4"
            raw = path.with_name(f".{path.name}.download")
            if "uri" in video:
                size = jobs.download(str(video["uri"]), raw, headers=headers)
            else:
                size = _write_inline(video, raw)
            downloaded_at = self._clock()

        info = _checked_video(raw, name)
        try:
            if request.audio or not info.has_audio:
                raw.replace(path)
            else:  # Veo 3 always adds sound; drop it when none was asked for
                copy_video_only(raw, path)
        except MediaError as exc:
            raise BackendError(
                f"{PROVIDER}: could not remove the soundtrack of job {name}: {exc}",
                code="generate.invalid_output",
                params={"detail": str(exc)},
            ) from exc
        finally:
            raw.unlink(missing_ok=True)
        report(1.0, "done")
        return GenerationOutput(
            path=path,
            backend=self.name,
            model=self.model,
            parameters={
                "provider": PROVIDER,
                "base_url": self.base_url,
                "request": body["parameters"],
                "prompt_suffix": STYLE_HINTS.get(request.style or "", ""),
                "seed": request.seed,
                "seed_sent": "seed" in body["parameters"],
                "audio": request.audio,
                "bytes": size,
                "video": {
                    "width": info.width,
                    "height": info.height,
                    "duration_s": info.duration_s,
                    "fps": info.fps,
                    "video_codec": info.video_codec,
                    "audio_codec": info.audio_codec if request.audio else None,
                },
                "polls": polls,
            },
            timings={
                "submit_s": submitted_at - started,
                "generate_s": finished_at - submitted_at,
                "download_s": downloaded_at - finished_at,
                "total_s": self._clock() - started,
            },
            provider_job_id=name,
        )

    # -- pieces

    def _request_body(
        self, request: GenerationRequest, aspect: str, resolution: str
    ) -> dict[str, Any]:
        prompt = request.prompt.strip()
        hint = STYLE_HINTS.get(request.style or "")
        if hint:
            prompt = f"{prompt}\n\n{hint}"
        parameters: dict[str, Any] = {
            "aspectRatio": aspect,
            "resolution": resolution,
            "durationSeconds": int(request.duration_s),
        }
        if self.negative_prompt:
            parameters["negativePrompt"] = str(self.negative_prompt)
        if self.person_generation:
            parameters["personGeneration"] = str(self.person_generation)
        if self.send_seed and request.seed is not None:
            parameters["seed"] = int(request.seed)
        return {"instances": [{"prompt": prompt}], "parameters": parameters}

    def _resolve_api_key(self) -> str:
        if self._api_key:
            return str(self._api_key)
        for env in self._api_key_envs:
            value = os.environ.get(env)
            if value:
                return value
        names = " or ".join(self._api_key_envs)
        raise BackendConfigError(
            f"no API key for {PROVIDER}: set {names}",
            code="generate.missing_api_key",
            params={"provider": PROVIDER, "env": names},
        )

    def _client(self) -> contextlib.AbstractContextManager[httpx.Client]:
        if self._http_client is not None:
            # The caller owns it: do not close it when the job ends.
            return contextlib.nullcontext(self._http_client)
        return httpx.Client(timeout=httpx.Timeout(self.request_timeout_s))


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise BackendError(
            f"{PROVIDER}: {what} is not JSON",
            code="generate.job_failed",
            params={"detail": f"{what} is not JSON"},
        ) from exc
    if not isinstance(data, dict):
        raise BackendError(
            f"{PROVIDER}: {what} is not a JSON object",
            code="generate.job_failed",
            params={"detail": f"{what} is not a JSON object"},
        )
    return data


def _finished_video(operation: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The video reference of a finished operation, or the right error."""
    error = operation.get("error")
    if error:
        message = error.get("message", str(error)) if isinstance(error, dict) else str(error)
        if _REFUSAL_WORDS.search(message):
            raise ProviderRefusal(
                f"{PROVIDER} refused the request: {message}",
                provider=PROVIDER,
                reasons=(message,),
                provider_job_id=name,
            )
        raise BackendError(
            f"{PROVIDER}: the job failed: {message}",
            code="generate.job_failed",
            params={"detail": message},
        )
    response = operation.get("response") or {}
    result = response.get("generateVideoResponse", response)
    samples = result.get("generatedSamples") or []
    reasons = tuple(str(r) for r in result.get("raiMediaFilteredReasons") or ())
    filtered = int(result.get("raiMediaFilteredCount") or 0)
    video = samples[0].get("video") if samples and isinstance(samples[0], dict) else None
    if isinstance(video, dict) and (
        video.get("uri") or video.get("encodedVideo") or video.get("bytesBase64Encoded")
    ):
        return video
    if reasons or filtered:
        raise ProviderRefusal(
            f"{PROVIDER} withheld the video under its safety filters: "
            f"{'; '.join(reasons) or f'{filtered} video(s) filtered'}",
            provider=PROVIDER,
            reasons=reasons or (f"{filtered} video(s) filtered",),
            provider_job_id=name,
        )
    raise BackendError(
        f"{PROVIDER}: the job finished without a video",
        code="generate.job_failed",
        params={"detail": "finished without a video"},
    )


def _write_inline(video: Mapping[str, Any], destination: Path) -> int:
    encoded = video.get("encodedVideo") or video.get("bytesBase64Encoded") or ""
    try:
        data = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise BackendError(
            f"{PROVIDER}: the inline video is not valid base64",
            code="generate.invalid_output",
            params={"detail": "invalid base64"},
        ) from exc
    destination.write_bytes(data)
    return len(data)


def _checked_video(path: Path, name: str) -> MediaInfo:
    """Refuse a download that is not a playable video (fail closed)."""
    try:
        return probe(path)
    except MediaError as exc:
        path.unlink(missing_ok=True)
        raise BackendError(
            f"{PROVIDER}: job {name} returned a file that is not a usable video: {exc}",
            code="generate.invalid_output",
            params={"detail": str(exc)},
        ) from exc


def _file_stem(request: GenerationRequest, operation: str) -> str:
    source = request.request_id or operation.rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]", "_", source)[:80] or "video"
