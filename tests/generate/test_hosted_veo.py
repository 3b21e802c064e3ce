"""The Veo backend against a fake Gemini API server on 127.0.0.1."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import httpx
import pytest

from kyodaku.generate.base import (
    BackendConfigError,
    BackendError,
    BackendTimeout,
    GenerationRequest,
    ProviderRefusal,
    TransientBackendError,
    UnsupportedRequest,
)
from kyodaku.generate.hosted_veo import VeoBackend
from kyodaku.media.video_io import probe

from .fakes import API_KEY, MODEL, FakeTime, FakeVeo

KEY_ENV = "KYODAKU_TEST_VEO_KEY"


def make_backend(fake: FakeVeo, clock: FakeTime, **options: Any) -> VeoBackend:
    config = {
        "base_url": fake.url,
        "api_key_env": KEY_ENV,
        "poll_interval_s": 5,
        "max_poll_interval_s": 20,
        "timeout_s": 600,
        "request_timeout_s": 5,
        "attempts": 3,
        "retry_base_s": 1,
        **options,
    }
    return VeoBackend(config, sleep=clock.sleep, clock=clock.clock, rng=random.Random(1))


def request(**overrides: Any) -> GenerationRequest:
    fields = {
        "prompt": "A paper boat drifting down a rainy street",
        "duration_s": 4.0,
        "width": 1280,
        "height": 720,
        "request_id": "req-1",
    }
    return GenerationRequest(**{**fields, **overrides})


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, API_KEY)


def test_happy_path_submits_polls_and_downloads(fake_veo, fake_time, out_dir: Path) -> None:
    fake_veo.polls_before_done = 3
    stages: list[tuple[float, str]] = []
    output = make_backend(fake_veo, fake_time).generate(
        request(style="anime"), out_dir, lambda f, s: stages.append((f, s))
    )

    info = probe(output.path)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert output.path.parent == out_dir and output.path.name == "veo-req-1.mp4"
    assert output.backend == "veo" and output.model == MODEL
    assert output.provider_job_id == f"models/{MODEL}/operations/op1"
    assert output.parameters["polls"] == 3
    assert output.parameters["request"] == {
        "aspectRatio": "16:9",
        "resolution": "720p",
        "durationSeconds": 4,
    }

    submit = fake_veo.of("POST", ":predictLongRunning")
    assert len(submit) == 1
    assert submit[0].path == f"/v1beta/models/{MODEL}:predictLongRunning"
    assert submit[0].body["instances"][0]["prompt"].startswith("A paper boat drifting")
    assert "anime" in submit[0].body["instances"][0]["prompt"].lower()
    assert "seed" not in submit[0].body["parameters"]
    for recorded in fake_veo.requests:
        assert recorded.headers["x-goog-api-key"] == API_KEY
        assert API_KEY not in recorded.path  # never in the URL (URLs end up in logs)
    # Poll intervals back off and stay within the jitter band.
    assert len(fake_time.sleeps) == 2 and 4 <= fake_time.sleeps[0] <= 6
    assert fake_time.sleeps[1] > fake_time.sleeps[0] * 1.1
    assert stages[0] == (0.0, "submit") and stages[-1] == (1.0, "done")
    assert [f for f, _ in stages] == sorted(f for f, _ in stages)
    assert not [p for p in out_dir.iterdir() if p.name.startswith(".")]


def test_rate_limit_is_retried_after_the_providers_retry_after(fake_veo, fake_time, out_dir):
    fake_veo.submit_failures = [(429, {"Retry-After": "7"})]
    output = make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert output.path.exists()
    assert len(fake_veo.of("POST", ":predictLongRunning")) == 2
    assert fake_time.sleeps[0] >= 7


def test_server_errors_while_polling_are_retried(fake_veo, fake_time, out_dir):
    fake_veo.poll_failures = [(503, {}), (500, {})]
    output = make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert output.path.exists()
    assert len(fake_veo.of("GET", "/operations/")) == 3


def test_persistent_rate_limit_fails_as_transient_after_all_attempts(fake_veo, fake_time, out_dir):
    fake_veo.submit_failures = [(429, {"Retry-After": "1"})] * 5
    with pytest.raises(TransientBackendError, match="after 3 attempts") as caught:
        make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert "429" in str(caught.value)
    assert len(fake_veo.of("POST", ":predictLongRunning")) == 3


def test_client_error_is_not_retried(fake_veo, fake_time, out_dir, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "wrong-key")
    with pytest.raises(BackendError, match="API key not valid") as caught:
        make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert not isinstance(caught.value, TransientBackendError)
    assert len(fake_veo.requests) == 1


def test_failed_job_is_a_backend_error_not_a_refusal(fake_veo, fake_time, out_dir):
    fake_veo.outcome = "error"
    with pytest.raises(BackendError, match="internal model error") as caught:
        make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert not isinstance(caught.value, ProviderRefusal)
    assert caught.value.code == "generate.job_failed"


def test_safety_filtered_video_is_recorded_as_provider_refusal(fake_veo, fake_time, out_dir):
    fake_veo.outcome = "refusal"
    with pytest.raises(ProviderRefusal) as caught:
        make_backend(fake_veo, fake_time).generate(request(), out_dir)
    refusal = caught.value
    assert refusal.provider == "Google Veo"
    assert refusal.reasons == (
        "Video generation was blocked because it may depict a protected character.",
    )
    assert refusal.provider_job_id == f"models/{MODEL}/operations/op1"
    assert refusal.code == "generate.provider_refusal"
    assert not fake_veo.of("GET", "/files/")  # nothing to download
    assert list(out_dir.iterdir()) == []


def test_operation_error_about_safety_is_a_refusal(fake_veo, fake_time, out_dir):
    fake_veo.outcome = "safety_error"
    with pytest.raises(ProviderRefusal, match="safety"):
        make_backend(fake_veo, fake_time).generate(request(), out_dir)


def test_finished_job_without_video_fails_closed(fake_veo, fake_time, out_dir):
    fake_veo.outcome = "empty"
    with pytest.raises(BackendError, match="without a video"):
        make_backend(fake_veo, fake_time).generate(request(), out_dir)


def test_download_cut_short_is_retried(fake_veo, fake_time, out_dir, small_mp4):
    fake_veo.download_failures = ["truncate", "500"]
    output = make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert output.path.read_bytes() == small_mp4
    assert len(fake_veo.of("GET", "/files/")) == 3


def test_download_always_cut_short_fails_clearly_and_leaves_nothing(fake_veo, fake_time, out_dir):
    fake_veo.always_truncate = True
    with pytest.raises(TransientBackendError) as caught:
        make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert caught.value.code == "generate.download_failed"
    assert "after 3 attempts" in str(caught.value)
    assert len(fake_veo.of("GET", "/files/")) == 3
    assert list(out_dir.iterdir()) == []


def test_download_that_is_not_a_video_is_refused(fake_veo, fake_time, out_dir):
    fake_veo.serve_not_video = True
    with pytest.raises(BackendError, match="not a usable video") as caught:
        make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert caught.value.code == "generate.invalid_output"
    assert list(out_dir.iterdir()) == []


def test_job_that_never_finishes_times_out(fake_veo, fake_time, out_dir):
    fake_veo.outcome = "never"
    start = fake_time.now
    with pytest.raises(BackendTimeout, match="120 s time limit") as caught:
        make_backend(fake_veo, fake_time, timeout_s=120).generate(request(), out_dir)
    assert caught.value.code == "generate.timeout"
    assert fake_time.now - start <= 120 + 1e-6
    assert len(fake_veo.of("GET", "/operations/")) >= 5


def test_slow_status_response_times_out_and_is_retried(fake_veo, fake_time, out_dir):
    fake_veo.slow_polls = [1.0]
    output = make_backend(fake_veo, fake_time, request_timeout_s=0.2).generate(request(), out_dir)
    assert output.path.exists()
    assert len(fake_veo.of("GET", "/operations/")) == 2


def test_connection_refused_is_transient(fake_time, out_dir):
    fake = FakeVeo(url="http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(TransientBackendError, match="could not connect"):
        make_backend(fake, fake_time).generate(request(), out_dir)


def test_missing_api_key_is_a_config_error_before_any_request(
    fake_veo, fake_time, out_dir, monkeypatch
):
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(BackendConfigError, match=KEY_ENV) as caught:
        make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert caught.value.code == "generate.missing_api_key"
    assert fake_veo.requests == []


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"duration_s": 5.0}, "4, 6, 8"),
        ({"width": 640, "height": 360}, "640x360"),
        ({"fps": 30}, "30 fps"),
        ({"width": 1920, "height": 1080, "duration_s": 4.0}, "1080p"),
    ],
)
def test_unsupported_requests_are_refused_before_any_request(
    fake_veo, fake_time, out_dir, overrides, match
):
    with pytest.raises(UnsupportedRequest, match=match):
        make_backend(fake_veo, fake_time).generate(request(**overrides), out_dir)
    assert fake_veo.requests == []


def test_redirect_to_another_origin_does_not_leak_the_api_key(serve_fake_veo, fake_time, out_dir):
    api, storage = serve_fake_veo(), serve_fake_veo()
    api.redirect_to = storage.url
    output = make_backend(api, fake_time).generate(request(), out_dir)
    assert output.path.exists()
    (fetched,) = storage.of("GET", "/storage/")
    assert "x-goog-api-key" not in fetched.headers
    (redirecting,) = api.of("GET", "/files/")
    assert redirecting.headers["x-goog-api-key"] == API_KEY


def test_no_audio_requested_strips_the_providers_soundtrack(fake_veo, fake_time, out_dir):
    output = make_backend(fake_veo, fake_time).generate(request(audio=False), out_dir)
    info = probe(output.path)
    assert not info.has_audio and info.frame_count == 24


def test_inline_video_is_accepted(fake_veo, fake_time, out_dir, small_mp4):
    fake_veo.outcome = "inline"
    output = make_backend(fake_veo, fake_time).generate(request(), out_dir)
    assert output.path.read_bytes() == small_mp4


def test_seed_is_sent_only_when_configured(fake_veo, fake_time, out_dir):
    make_backend(fake_veo, fake_time, send_seed=True).generate(request(seed=42), out_dir)
    (submit,) = fake_veo.of("POST", ":predictLongRunning")
    assert submit.body["parameters"]["seed"] == 42


def test_base_url_comes_from_the_environment(monkeypatch, fake_veo):
    monkeypatch.setenv("KYODAKU_VEO_BASE_URL", fake_veo.url + "/")
    assert VeoBackend().base_url == fake_veo.url


def test_unknown_option_is_rejected():
    with pytest.raises(BackendConfigError, match="poll_every"):
        VeoBackend({"poll_every": 3})


def test_borrowed_http_client_is_left_open(fake_veo, fake_time, out_dir):
    with httpx.Client() as client:
        backend = VeoBackend(
            {"base_url": fake_veo.url, "api_key_env": KEY_ENV},
            http_client=client,
            sleep=fake_time.sleep,
            clock=fake_time.clock,
        )
        backend.generate(request(), out_dir)
        assert not client.is_closed
