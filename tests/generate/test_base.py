"""check_request refusals, error codes, and the message texts for every code."""

from __future__ import annotations

import re
import string

import pytest

from kyodaku.generate.base import (
    BackendError,
    Capabilities,
    GenerationRequest,
    ProviderRefusal,
    TransientBackendError,
    UnsupportedRequest,
    check_request,
)
from kyodaku.messages import CATALOGUE

RENDERER = Capabilities(
    max_duration_s=10, min_duration_s=0.5, max_width=1920, max_height=1080, audio=True
)
HOSTED = Capabilities(
    max_duration_s=8,
    durations=frozenset({4.0, 8.0}),
    resolutions=frozenset({(1280, 720)}),
    fps_options=frozenset({24}),
    audio=False,
    styles=frozenset({"cinematic"}),
    max_prompt_chars=20,
)


def req(**overrides) -> GenerationRequest:
    return GenerationRequest(**{"prompt": "a quiet lake", "audio": False, **overrides})


def test_supported_requests_pass() -> None:
    check_request(RENDERER, req(duration_s=0.5, width=320, height=180, audio=True))
    check_request(HOSTED, req(duration_s=8.0, style="cinematic"))


@pytest.mark.parametrize(
    ("caps", "overrides", "code", "match"),
    [
        (RENDERER, {"prompt": "  "}, "empty_prompt", "empty"),
        (HOSTED, {"prompt": "x" * 21}, "prompt_too_long", "21 characters"),
        (RENDERER, {"duration_s": 0.0}, "duration", "0 s"),
        (RENDERER, {"duration_s": 12.5}, "duration", "0.5–10"),
        (HOSTED, {"duration_s": 6.0}, "duration", "4, 8"),
        (RENDERER, {"width": 321, "height": 180}, "size", "odd"),
        (RENDERER, {"width": 3840, "height": 2160}, "size", "larger"),
        (RENDERER, {"width": 0, "height": 180}, "size", "not positive"),
        (HOSTED, {"width": 1920, "height": 1080, "duration_s": 8.0}, "size", "1280x720"),
        (HOSTED, {"fps": 30, "duration_s": 8.0}, "fps", "30 fps"),
        (HOSTED, {"style": "anime", "duration_s": 8.0}, "style", "anime"),
        (HOSTED, {"audio": True, "duration_s": 8.0}, "audio", "audio"),
    ],
)
def test_refusals_name_the_limit(caps, overrides, code, match) -> None:
    with pytest.raises(UnsupportedRequest, match=match) as caught:
        check_request(caps, req(**overrides))
    assert caught.value.code == f"generate.unsupported.{code}"


def test_errors_carry_codes_and_params() -> None:
    assert BackendError("x").code == "generate.failed"
    assert TransientBackendError("x", retry_after_s=3).retry_after_s == 3
    refusal = ProviderRefusal("no", provider="P", reasons=("a", "b"), provider_job_id="j")
    assert refusal.code == "generate.provider_refusal"
    assert refusal.params == {"provider": "P", "reasons": "a; b"}


def test_every_message_has_english_and_japanese_with_the_same_placeholders() -> None:
    for code, texts in CATALOGUE.items():
        assert set(texts) == {"en", "ja"}, code
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(texts[lang]) if name}
            for lang in ("en", "ja")
        ]
        assert fields[0] == fields[1], code
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", texts["ja"]), code


def test_every_code_raised_by_check_request_has_a_message() -> None:
    codes = {
        "generate.unsupported.empty_prompt",
        "generate.unsupported.prompt_too_long",
        "generate.unsupported.duration",
        "generate.unsupported.size",
        "generate.unsupported.fps",
        "generate.unsupported.style",
        "generate.unsupported.audio",
    }
    assert codes <= CATALOGUE.keys()


@pytest.mark.parametrize(
    ("overrides", "caps"),
    [
        ({"prompt": "x" * 21}, HOSTED),
        ({"duration_s": 6.0}, HOSTED),
        ({"width": 321}, RENDERER),
        ({"fps": 30, "duration_s": 8.0}, HOSTED),
        ({"style": "anime", "duration_s": 8.0}, HOSTED),
    ],
)
def test_refusal_params_fill_their_messages(overrides, caps) -> None:
    with pytest.raises(UnsupportedRequest) as caught:
        check_request(caps, req(**overrides))
    for lang in ("en", "ja"):
        CATALOGUE[caught.value.code][lang].format(**caught.value.params)
