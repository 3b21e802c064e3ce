"""Compiled indexes: keyed by registry digest, in memory and on disk."""

from __future__ import annotations

import pickle

import pytest

from kyodaku.screen.index import compile_index
from kyodaku.screen.index_cache import IndexCache, code_fingerprint, registry_digest

from .support import invented_registry


def test_digest_is_computed_when_the_snapshot_has_none() -> None:
    registry = invented_registry()
    assert registry.digest == ""
    assert registry_digest(registry) == registry_digest(invented_registry())
    assert registry_digest(invented_registry(extra_alias="Sky Duchess")) != registry_digest(
        registry
    )


def test_memory_then_disk(tmp_path) -> None:
    registry = invented_registry()
    cache = IndexCache(tmp_path)
    first = cache.get(registry)
    assert cache.get(registry) is first  # memory
    path = cache.path_for(first.digest)
    assert path.exists() and code_fingerprint() in path.name
    fresh = IndexCache(tmp_path)
    loaded = fresh.get(registry)  # disk
    assert loaded is not first
    assert loaded.latin_keys == first.latin_keys
    assert loaded.entry(0) == first.entry(0)
    assert loaded.fuzzy.candidates("zubaro") == first.fuzzy.candidates("zubaro")


def test_a_broken_file_is_rebuilt_not_trusted(tmp_path) -> None:
    registry = invented_registry()
    cache = IndexCache(tmp_path)
    index = cache.get(registry)
    path = cache.path_for(index.digest)
    path.write_bytes(b"not a pickle")
    assert IndexCache(tmp_path).get(registry).latin_keys == index.latin_keys
    with path.open("rb") as f:
        assert pickle.load(f).digest == index.digest  # rewritten


def test_a_file_for_another_digest_is_ignored(tmp_path) -> None:
    registry = invented_registry()
    cache = IndexCache(tmp_path)
    other = compile_index(invented_registry(extra_alias="Sky Duchess"))
    other.digest = "0" * 64
    saved = cache.save(other)
    assert saved is not None
    saved.rename(cache.path_for(registry_digest(registry)))  # a file under the wrong name
    assert cache.load(registry_digest(registry)) is None


def test_memory_slots_are_bounded(tmp_path) -> None:
    cache = IndexCache(tmp_path, memory_slots=1, disk=False)
    a = cache.get(invented_registry())
    cache.get(invented_registry(extra_alias="Sky Duchess"))
    assert cache.get(invented_registry()) is not a  # evicted, compiled again
    assert not list(tmp_path.iterdir())  # disk=False writes nothing


def test_compiled_index_tables() -> None:
    index = compile_index(invented_registry())
    forms = set(index.entry_form)
    assert {"Zubaru", "ズバルー", "Hoshimura Rinoka", "Rinoka", "かげまる"} <= forms
    partial = [index.entry(i) for i in range(index.size) if index.entry(i).derived == "partial"]
    assert {e.form for e in partial} >= {"Hoshimura", "Velloria"}
    assert "Quint" not in {e.form for e in partial}  # a dictionary word: not distinctive
    classes = {index.entry(i).form: index.entry(i).lexical for i in range(index.size)}
    assert classes["Tempest"] == "ordinary"
    assert classes["Zubaru"] == "coined"


def test_a_cacheable_recogniser_is_kept_on_disk_and_reattached(tmp_path) -> None:
    from kyodaku.screen.descriptions import DescriptionRecogniser

    registry = invented_registry()
    built = IndexCache(tmp_path).recogniser(registry, DescriptionRecogniser)
    files = list(tmp_path.glob("recogniser-description-*.pickle"))
    assert len(files) == 1
    loaded = IndexCache(tmp_path).recogniser(registry, DescriptionRecogniser)
    assert loaded is not built and loaded.registry is registry
    for character in registry.characters:
        prompt = character.description
        assert loaded.find(prompt) == built.find(prompt)
    files[0].write_bytes(b"not a pickle")  # a damaged cache only costs a rebuild
    again = IndexCache(tmp_path).recogniser(registry, DescriptionRecogniser)
    assert again.find(registry.characters[0].description) == built.find(
        registry.characters[0].description
    )


def test_recognisers_not_marked_cacheable_are_always_built(tmp_path) -> None:
    calls = []

    def factory(registry):
        calls.append(registry)
        return object()

    cache = IndexCache(tmp_path)
    cache.recogniser(invented_registry(), factory)
    cache.recogniser(invented_registry(), factory)
    assert len(calls) == 2 and not list(tmp_path.iterdir())


def test_short_form_orders_are_compiled_sorted() -> None:
    from kyodaku.screen.index import SHORT_FORM_KINDS

    index = compile_index(invented_registry())
    for keys, order in (
        (index.cjk_keys, index.cjk_segments),
        (index.latin_keys, index.latin_segments),
    ):
        ids, entries = order.forward_keys.tolist(), order.forward_entries.tolist()
        forwards = [(keys[k], e) for k, e in zip(ids, entries, strict=True)]
        ids, entries = order.backward_keys.tolist(), order.backward_entries.tolist()
        backwards = [(keys[k][::-1], e) for k, e in zip(ids, entries, strict=True)]
        assert forwards and forwards == sorted(forwards)
        assert backwards == sorted(backwards)
        assert sorted(e for _, e in forwards) == sorted(e for _, e in backwards)
        assert all(index.entry(e).asset_kind == "character" for _, e in forwards)
        assert all(int(index.entry_kind[e]) in SHORT_FORM_KINDS for _, e in forwards)
    forms = {index.entry(e).form for e in index.cjk_segments.forward_entries.tolist()}
    assert "ズバルー" in forms


def test_string_columns_behave_as_read_only_lists() -> None:
    from kyodaku.screen.index import StringColumn

    strings = ["Zubaru", "", "ズバルー", "x😀"]
    column = StringColumn(strings)
    assert column == strings and list(column) == strings and len(column) == 4
    assert column[2] == "ズバルー" and column[-1] == "x😀" and column[1:3] == ["", "ズバルー"]
    assert pickle.loads(pickle.dumps(column, protocol=pickle.HIGHEST_PROTOCOL)) == column
    for out_of_range in (4, -5):
        with pytest.raises(IndexError):
            column[out_of_range]
    assert StringColumn() == []
