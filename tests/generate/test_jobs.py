"""Retry and poll back-off, deadlines, Retry-After parsing."""

from __future__ import annotations

import email.utils
import random
import time

import httpx
import pytest

from kyodaku.generate.base import BackendError, BackendTimeout, TransientBackendError
from kyodaku.generate.jobs import (
    Deadline,
    JobClient,
    PollPolicy,
    RetryPolicy,
    parse_retry_after,
    raise_for_status,
)

from .fakes import FakeTime


def test_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= parse_retry_after(future) <= 31
    past = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert parse_retry_after(past) == 0.0


def test_retry_delay_is_full_jitter_under_an_exponential_ceiling() -> None:
    policy = RetryPolicy(base_delay_s=1, max_delay_s=5, multiplier=2)
    rng = random.Random(3)
    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (4, 5), (9, 5)]:
        delays = [policy.delay(attempt, rng) for _ in range(200)]
        assert min(delays) >= 0 and max(delays) <= ceiling
        assert max(delays) > ceiling * 0.8  # it really spreads over the range


def test_poll_interval_grows_to_its_ceiling_with_bounded_jitter() -> None:
    policy = PollPolicy(initial_interval_s=2, max_interval_s=10, multiplier=2, jitter=0.1)
    rng = random.Random(0)
    for poll, base in [(1, 2), (2, 4), (3, 8), (4, 10), (8, 10)]:
        assert base * 0.9 <= policy.interval(poll, rng) <= base * 1.1


def test_deadline_on_an_injected_clock() -> None:
    clock = FakeTime()
    deadline = Deadline(30, clock.clock)
    deadline.check("working")
    clock.sleep(31)
    assert deadline.remaining() == pytest.approx(-1)
    with pytest.raises(BackendTimeout, match="30 s time limit"):
        deadline.check("working")


def job_client(clock: FakeTime, **retry) -> JobClient:
    return JobClient(
        httpx.Client(),
        "Test",
        Deadline(60, clock.clock),
        RetryPolicy(**{"attempts": 3, "base_delay_s": 1, **retry}),
        sleep=clock.sleep,
        rng=random.Random(0),
    )


def test_retrying_stops_at_the_first_success() -> None:
    clock = FakeTime()
    outcomes = [TransientBackendError("busy"), TransientBackendError("busy", retry_after_s=4), 42]

    def attempt() -> int:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert job_client(clock).retrying("testing", attempt) == 42
    assert len(clock.sleeps) == 2 and clock.sleeps[1] >= 4


def test_permanent_errors_are_not_retried() -> None:
    clock = FakeTime()
    calls = []

    def attempt() -> None:
        calls.append(1)
        raise BackendError("bad request")

    with pytest.raises(BackendError, match="bad request"):
        job_client(clock).retrying("testing", attempt)
    assert calls == [1] and clock.sleeps == []


def test_retry_after_beyond_the_deadline_gives_up_at_once() -> None:
    clock = FakeTime()

    def attempt() -> None:
        raise TransientBackendError("rate limited", retry_after_s=3600)

    with pytest.raises(BackendTimeout, match="3600 s"):
        job_client(clock).retrying("testing", attempt)
    assert clock.sleeps == []


def test_wait_never_sleeps_past_the_deadline() -> None:
    clock = FakeTime()
    client = job_client(clock)
    client.wait(10, "polling")
    with pytest.raises(BackendTimeout):
        client.wait(100, "polling")
    assert sum(clock.sleeps) == pytest.approx(60)


@pytest.mark.parametrize(
    ("status", "transient"),
    [(408, True), (429, True), (500, True), (503, True), (400, False), (401, False), (404, False)],
)
def test_status_classification(status: int, transient: bool) -> None:
    response = httpx.Response(
        status,
        json={"error": {"message": "the provider's words"}},
        headers={"Retry-After": "5"},
        request=httpx.Request("GET", "http://x"),
    )
    with pytest.raises(BackendError, match="the provider's words") as caught:
        raise_for_status(response, "Test", "checking")
    assert isinstance(caught.value, TransientBackendError) is transient
    if transient:
        assert caught.value.retry_after_s == 5
