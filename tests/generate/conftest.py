"""Fixtures for the generation tests: fake Veo servers, fake time, a small clip."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kyodaku.media.video_io import write_mp4

from .fakes import FakeTime, FakeVeo, make_handler


@pytest.fixture(scope="session")
def small_mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real 1 s 320x180 H.264 + AAC clip, made here (no media in the repo)."""
    path = tmp_path_factory.mktemp("media") / "clip.mp4"
    frames = [np.full((180, 320, 3), (i * 9) % 256, dtype=np.uint8) for i in range(24)]
    t = np.arange(48000) / 48000
    audio = (0.2 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)
    write_mp4(path, frames, 24, audio)
    return path.read_bytes()


class QuietServer(ThreadingHTTPServer):
    """A threaded server that does not print a traceback when a client hangs up early.

    Tests hang up on purpose (client timeouts), so a broken pipe is expected.
    """

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture
def serve_fake_veo(small_mp4: bytes) -> Iterator[Any]:
    """Factory: start fake servers on free ports; all are stopped after the test."""
    servers: list[QuietServer] = []

    def start() -> FakeVeo:
        fake = FakeVeo(video=small_mp4)
        server = QuietServer(("127.0.0.1", 0), make_handler(fake))
        fake.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        servers.append(server)
        return fake

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fake_veo(serve_fake_veo: Any) -> FakeVeo:
    return serve_fake_veo()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    path = tmp_path / "out"
    path.mkdir()
    return path
