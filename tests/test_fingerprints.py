"""The fingerprint index cache follows the database: incremental, persisted, rebuilt on removal."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyodaku.config import Settings
from kyodaku.fingerprints import FingerprintIndexCache
from kyodaku.gateway import Gateway
from kyodaku.media.fingerprint import fingerprint_video
from kyodaku.references import ReferenceMediaError, add_reference
from kyodaku.store.db import session_scope
from kyodaku.store.references_repo import ReferenceRepository
from tests.support import write_registry, write_textured_video


@pytest.fixture
def gw(db_engine, tmp_path: Path) -> Gateway:
    gateway = Gateway(Settings(data_dir=tmp_path / "data"), engine=db_engine)
    gateway.import_registry(write_registry(tmp_path), actor="test")
    return gateway


def test_index_grows_incrementally_survives_restart_and_rebuilds_on_removal(gw, tmp_path):
    registry = gw.current_registry()
    first = add_reference(
        gw.engine,
        registry,
        "c-marisol",
        write_textured_video(tmp_path / "a.mp4", 2, seed=3),
        added_by="rh-tidal",
    )
    cache = FingerprintIndexCache(gw.engine, gw.settings.index_dir, "reference")
    size_one = cache.index().stored_hashes
    assert size_one > 0 and cache.path.exists()

    add_reference(
        gw.engine,
        registry,
        "c-zorblax",
        write_textured_video(tmp_path / "b.mp4", 2, seed=4),
        added_by="rh-lumen",
    )
    grown = cache.index()
    assert grown.stored_hashes > size_one
    assert (
        grown.reference_ids() == {first.id, *grown.reference_ids()}
        and len(grown.reference_ids()) == 2
    )

    # A fresh process reads the file instead of the rows, and finds the same.
    reopened = FingerprintIndexCache(gw.engine, gw.settings.index_dir, "reference").index()
    assert reopened.stored_hashes == grown.stored_hashes

    with session_scope(gw.engine) as session:
        ReferenceRepository(session).remove_reference(first.id, actor="rh-tidal")
    rebuilt = FingerprintIndexCache(gw.engine, gw.settings.index_dir, "reference").index()
    assert len(rebuilt.reference_ids()) == 1 and first.id not in rebuilt.reference_ids()

    query = fingerprint_video(tmp_path / "b.mp4", 0.5)
    hits = rebuilt.search([h.hash for h in query], 10)
    assert all(hit.owner.asset_id == "c-zorblax" for row in hits for hit in row)
    assert any(row for row in hits)


def test_bad_reference_files_are_clear_errors(gw, tmp_path):
    registry = gw.current_registry()
    text = tmp_path / "notes.mp4"
    text.write_text("not a video", encoding="utf-8")
    with pytest.raises(ReferenceMediaError, match=r"notes\.mp4"):
        add_reference(gw.engine, registry, "c-marisol", text, added_by="x")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ReferenceMediaError, match="empty"):
        add_reference(gw.engine, registry, "c-marisol", empty, added_by="x")
    video = write_textured_video(tmp_path / "ok.mp4", 2)
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(video.read_bytes()[: video.stat().st_size // 3])
    with pytest.raises(ReferenceMediaError, match=r"truncated\.mp4"):
        add_reference(gw.engine, registry, "c-marisol", truncated, added_by="x")
    from PIL import Image

    flat = tmp_path / "flat.png"
    Image.new("RGB", (200, 200), (120, 120, 120)).save(flat)
    with pytest.raises(ReferenceMediaError, match="detail"):
        add_reference(gw.engine, registry, "c-marisol", flat, added_by="x")
    with pytest.raises(ReferenceMediaError, match="not a registered"):
        add_reference(gw.engine, registry, "c-nobody", video, added_by="x")
