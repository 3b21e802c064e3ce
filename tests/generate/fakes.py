"""Fakes for the generation tests: a Gemini API (Veo) server and a clock.

The fake server speaks the Gemini API's long-running-operation wire format on
127.0.0.1 and can be told to misbehave: rate-limit, fail a job, refuse
content, cut a download short, answer slowly, redirect to another origin.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

API_KEY = "test-veo-key"
MODEL = "veo-3.1-generate-preview"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeVeo:
    """State and script of the fake provider. Tests set the fields they need."""

    video: bytes = b""
    url: str = ""
    #: Responses to use instead of a normal answer, consumed one per request:
    #: (status, headers) for the submit call and the status polls.
    submit_failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    poll_failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    #: Seconds to stall on the next N polls (to trigger client read timeouts).
    slow_polls: list[float] = field(default_factory=list)
    polls_before_done: int = 1
    #: "video", "error", "safety_error", "refusal", "empty", "inline", "never"
    outcome: str = "video"
    #: Per download: "truncate" or "500"; when exhausted, "ok"-ed unless always_truncate.
    download_failures: list[str] = field(default_factory=list)
    always_truncate: bool = False
    serve_not_video: bool = False
    #: Redirect the download to this base URL (another origin), if set.
    redirect_to: str | None = None
    requests: list[Recorded] = field(default_factory=list)
    _polls: dict[str, int] = field(default_factory=dict)

    def of(self, method: str, fragment: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and fragment in r.path]


def make_handler(fake: FakeVeo) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def _record(self) -> Any:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            fake.requests.append(
                Recorded(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )
            return body

        def _send(
            self, status: int, payload: Any = None, headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload if payload is not None else {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            if self.headers.get("x-goog-api-key") == API_KEY:
                return True
            self._send(
                403,
                {
                    "error": {
                        "code": 403,
                        "message": "API key not valid",
                        "status": "PERMISSION_DENIED",
                    }
                },
            )
            return False

        def do_POST(self) -> None:
            self._record()
            if not self._authorised():
                return
            if not self.path.endswith(":predictLongRunning"):
                self._send(404, {"error": {"code": 404, "message": "not found"}})
                return
            if fake.submit_failures:
                status, headers = fake.submit_failures.pop(0)
                self._send(status, {"error": {"code": status, "message": "try later"}}, headers)
                return
            model = self.path.split("/models/")[1].split(":")[0]
            name = f"models/{model}/operations/op{len(fake._polls) + 1}"
            fake._polls[name] = 0
            self._send(200, {"name": name})

        def do_GET(self) -> None:
            self._record()
            if "/files/" in self.path or "/storage/" in self.path:
                self._download()
                return
            if not self._authorised():
                return
            name = self.path.split("/v1beta/", 1)[1]
            if name not in fake._polls:
                self._send(404, {"error": {"code": 404, "message": f"{name} not found"}})
                return
            if fake.slow_polls:
                time.sleep(fake.slow_polls.pop(0))
            if fake.poll_failures:
                status, headers = fake.poll_failures.pop(0)
                self._send(status, {"error": {"code": status, "message": "unavailable"}}, headers)
                return
            fake._polls[name] += 1
            count = fake._polls[name]
            if fake.outcome == "never" or count < fake.polls_before_done:
                self._send(200, {"name": name, "done": False, "metadata": {"progressPercent": 40}})
                return
            self._send(200, {"name": name, "done": True, **self._result(name)})

        def _result(self, name: str) -> dict[str, Any]:
            kind = (
                "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse"
            )
            if fake.outcome == "error":
                return {
                    "error": {"code": 13, "message": "internal model error", "status": "INTERNAL"}
                }
            if fake.outcome == "safety_error":
                return {
                    "error": {"code": 3, "message": "The prompt was blocked by safety filters."}
                }
            if fake.outcome == "refusal":
                reasons = [
                    "Video generation was blocked because it may depict a protected character."
                ]
                return {
                    "response": {
                        "@type": kind,
                        "generateVideoResponse": {
                            "raiMediaFilteredCount": 1,
                            "raiMediaFilteredReasons": reasons,
                        },
                    }
                }
            if fake.outcome == "empty":
                return {"response": {"@type": kind, "generateVideoResponse": {}}}
            if fake.outcome == "inline":
                encoded = base64.b64encode(fake.video).decode()
                sample = {"video": {"encodedVideo": encoded, "mimeType": "video/mp4"}}
            else:
                file_id = name.rsplit("/", 1)[-1]
                prefix = "redirect-" if fake.redirect_to else ""
                uri = f"{fake.url}/v1beta/files/{prefix}{file_id}:download?alt=media"
                sample = {"video": {"uri": uri}}
            return {
                "response": {"@type": kind, "generateVideoResponse": {"generatedSamples": [sample]}}
            }

        def _download(self) -> None:
            if "redirect-" in self.path and fake.redirect_to:
                if not self._authorised():
                    return
                self.send_response(302)
                self.send_header("Location", f"{fake.redirect_to}/storage/video.mp4")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if "/storage/" not in self.path and not self._authorised():
                return
            mode = fake.download_failures.pop(0) if fake.download_failures else "ok"
            if fake.always_truncate:
                mode = "truncate"
            if mode == "500":
                self._send(500, {"error": {"code": 500, "message": "backend error"}})
                return
            data = b"this is not a video at all" * 40 if fake.serve_not_video else fake.video
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if mode == "truncate":
                self.wfile.write(data[: len(data) // 3])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(data)

    return Handler


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
