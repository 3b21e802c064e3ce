"""Long-running job flow for hosted video APIs: retry, poll, download.

Every hosted video API works the same way: submit a job, poll it until it is
done (minutes), download the file. This module holds that flow once, so each
provider module only says how to build its requests and read its answers:

- one overall :class:`Deadline` covers everything (submit, polls, download);
- transient failures (HTTP 429 honouring ``Retry-After``, 5xx, connection
  errors, timeouts, a download cut short) are retried with exponential
  back-off and full jitter; other errors fail at once;
- polling backs off exponentially (with jitter) up to a ceiling;
- a download is streamed to a temporary file and checked against its
  ``Content-Length`` before it is renamed into place;
- an API key header is never sent to another origin after a redirect.

Clock, sleep and randomness are injectable so tests run instantly and
deterministically against a fake server.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from kyodaku.generate.base import BackendError, BackendTimeout, TransientBackendError

T = TypeVar("T")

#: Status codes worth trying again: timeout, conflict-ish throttling, rate limit, server trouble.
TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})

_MAX_REDIRECTS = 5
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a single HTTP call is retried."""

    attempts: int = 4
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0
    multiplier: float = 2.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Full-jitter back-off before retry number ``attempt`` (1-based).

        A random wait between 0 and the exponential ceiling spreads clients
        out, so a provider recovering from an outage is not hit in lockstep.
        """
        ceiling = min(self.max_delay_s, self.base_delay_s * self.multiplier ** (attempt - 1))
        return rng.uniform(0.0, ceiling)


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """How often a job's status is asked for."""

    initial_interval_s: float = 5.0
    max_interval_s: float = 30.0
    multiplier: float = 1.5
    jitter: float = 0.2  # ± fraction of the interval

    def interval(self, poll: int, rng: random.Random) -> float:
        """Wait before poll number ``poll`` (1-based), growing to the ceiling."""
        base = min(self.max_interval_s, self.initial_interval_s * self.multiplier ** (poll - 1))
        return max(0.0, base * (1.0 + rng.uniform(-self.jitter, self.jitter)))


class Deadline:
    """The overall time limit of one generation, on an injectable monotonic clock."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return self._end - self._clock()

    def check(self, doing: str) -> None:
        if self.remaining() <= 0:
            raise self.exceeded(doing)

    def exceeded(self, doing: str) -> BackendTimeout:
        return BackendTimeout(
            f"gave up {doing}: the {self.seconds:g} s time limit was reached",
            params={"seconds": f"{self.seconds:g}"},
        )


@dataclass(slots=True)
class JobClient:
    """HTTP calls for one provider job, with retries, polling and downloads."""

    client: httpx.Client
    provider: str
    deadline: Deadline
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    #: Header names that carry credentials, stripped on cross-origin redirects.
    secret_headers: tuple[str, ...] = ("authorization", "x-goog-api-key", "x-api-key")

    # -- plain calls

    def call(self, method: str, url: str, *, doing: str, **kwargs: Any) -> httpx.Response:
        """Send a request, retrying transient failures; return the 2xx response."""
        return self.retrying(doing, lambda: self._send_once(method, url, doing, **kwargs))

    def retrying(self, doing: str, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` until it succeeds, retrying :class:`TransientBackendError`."""
        last: TransientBackendError | None = None
        for number in range(1, self.retry.attempts + 1):
            self.deadline.check(doing)
            try:
                return attempt()
            except BackendTimeout:
                raise
            except TransientBackendError as error:
                last = error
                if number == self.retry.attempts:
                    break
                self.wait(self._retry_wait(error, number), doing)
        assert last is not None
        raise type(last)(
            f"{self.provider}: {doing} failed after {self.retry.attempts} attempts: {last}",
            retry_after_s=last.retry_after_s,
            code=last.code,
            params={**last.params, "detail": str(last)},
        ) from last

    def _retry_wait(self, error: TransientBackendError, number: int) -> float:
        backoff = self.retry.delay(number, self.rng)
        if error.retry_after_s is None:
            return backoff
        if error.retry_after_s > self.deadline.remaining():
            raise BackendTimeout(
                f"{self.provider} asked to wait {error.retry_after_s:g} s, beyond the "
                f"{self.deadline.seconds:g} s time limit",
                params={"seconds": f"{self.deadline.seconds:g}"},
            ) from error
        return max(error.retry_after_s, backoff)

    def wait(self, seconds: float, doing: str) -> None:
        """Sleep, but never past the deadline (raise :class:`BackendTimeout` instead)."""
        remaining = self.deadline.remaining()
        if seconds >= remaining:
            if remaining > 0:
                self.sleep(remaining)
            raise self.deadline.exceeded(doing)
        if seconds > 0:
            self.sleep(seconds)

    def _send_once(self, method: str, url: str, doing: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, url, timeout=self._timeout(), **kwargs)
        except httpx.TimeoutException as exc:
            raise TransientBackendError(
                f"{self.provider}: {doing} timed out ({type(exc).__name__})",
                params={"detail": "timeout"},
            ) from exc
        except httpx.TransportError as exc:
            raise TransientBackendError(
                f"{self.provider}: {doing} could not connect: {exc}",
                params={"detail": "connection error"},
            ) from exc
        raise_for_status(response, self.provider, doing)
        return response

    def _timeout(self) -> httpx.Timeout:
        """Each call's timeout: the client's own, but never past the deadline."""
        limit = max(0.1, self.deadline.remaining())
        base = self.client.timeout
        return httpx.Timeout(
            connect=min(base.connect or limit, limit),
            read=min(base.read or limit, limit),
            write=min(base.write or limit, limit),
            pool=min(base.pool or limit, limit),
        )

    # -- polling

    def poll(
        self,
        fetch: Callable[[], T],
        is_done: Callable[[T], bool],
        policy: PollPolicy,
        *,
        doing: str,
        on_poll: Callable[[int, T], None] | None = None,
    ) -> T:
        """Call ``fetch`` (itself retried) until ``is_done``, backing off in between."""
        number = 0
        while True:
            number += 1
            state = fetch()
            if on_poll is not None:
                on_poll(number, state)
            if is_done(state):
                return state
            self.wait(policy.interval(number, self.rng), doing)

    # -- downloads

    def download(
        self, url: str, destination: Path, *, headers: Mapping[str, str] | None = None
    ) -> int:
        """Stream ``url`` to ``destination``; return its size in bytes.

        A body shorter than its ``Content-Length`` (a connection cut short)
        is a transient error and retried; the partial file never appears at
        ``destination``.
        """
        doing = "downloading the video"
        partial = destination.with_name(f".{destination.name}.partial")
        try:
            size = self.retrying(
                doing, lambda: self._download_once(url, partial, dict(headers or {}), doing)
            )
        except BackendTimeout:
            partial.unlink(missing_ok=True)
            raise
        except TransientBackendError as error:
            partial.unlink(missing_ok=True)
            raise TransientBackendError(
                str(error),
                retry_after_s=error.retry_after_s,
                code="generate.download_failed",
                params={"detail": str(error)},
            ) from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(destination)
        return size

    def _download_once(self, url: str, partial: Path, headers: dict[str, str], doing: str) -> int:
        origin = _origin(url)
        for _ in range(_MAX_REDIRECTS + 1):
            try:
                with self.client.stream(
                    "GET", url, headers=headers, timeout=self._timeout(), follow_redirects=False
                ) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers["location"])
                        if _origin(url) != origin:
                            headers = {
                                k: v
                                for k, v in headers.items()
                                if k.lower() not in self.secret_headers
                            }
                        continue
                    raise_for_status(response, self.provider, doing)
                    return self._save(response, partial)
            except httpx.TimeoutException as exc:
                raise TransientBackendError(
                    f"{self.provider}: {doing} timed out", params={"detail": "timeout"}
                ) from exc
            except httpx.TransportError as exc:  # includes a body cut short by the peer
                raise TransientBackendError(
                    f"{self.provider}: {doing} was interrupted: {exc}",
                    params={"detail": "interrupted"},
                ) from exc
        raise BackendError(
            f"{self.provider}: {doing}: more than {_MAX_REDIRECTS} redirects",
            code="generate.download_failed",
            params={"detail": "too many redirects"},
        )

    def _save(self, response: httpx.Response, partial: Path) -> int:
        expected = response.headers.get("content-length")
        received = 0
        with partial.open("wb") as out:
            for chunk in response.iter_raw(_CHUNK):
                out.write(chunk)
                received += len(chunk)
        if expected is not None and expected.isdigit() and received != int(expected):
            raise TransientBackendError(
                f"{self.provider}: download cut short: received {received} of {expected} bytes",
                params={"detail": f"received {received} of {expected} bytes"},
            )
        if received == 0:
            raise BackendError(
                f"{self.provider}: the downloaded video is empty",
                code="generate.download_failed",
                params={"detail": "empty file"},
            )
        return received


def raise_for_status(response: httpx.Response, provider: str, doing: str) -> None:
    """Turn a non-2xx response into a transient or permanent :class:`BackendError`."""
    if response.is_success:
        return
    status = response.status_code
    detail = f"HTTP {status}{_error_message(response)}"
    message = f"{provider}: {doing} failed: {detail}"
    if status in TRANSIENT_STATUS:
        raise TransientBackendError(
            message,
            retry_after_s=parse_retry_after(response.headers.get("retry-after")),
            params={"detail": detail},
        )
    raise BackendError(message, params={"detail": detail})


def _error_message(response: httpx.Response) -> str:
    """The provider's own error text, when the body is a JSON error (Google style)."""
    try:
        response.read()
        body = response.json()
    except (ValueError, httpx.HTTPError):
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return f": {error['message']}"
    if isinstance(error, str):
        return f": {error}"
    return ""


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return (parts.scheme, parts.hostname or "", parts.port)
