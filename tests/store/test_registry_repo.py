"""Registry versions: apply (merge, replace, no-op), history, reading any version back."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from kyodaku.registry.exchange import compute_digest, to_document
from kyodaku.registry.model import Licence, Registry, RightsHolder, make_character, make_work
from kyodaku.store.db import session_scope
from kyodaku.store.errors import NotFound, RegistryIntegrityError
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.registry_repo import (
    RegistryRepository,
    RegistryStoreError,
    plan_positions,
)

HOLDER = RightsHolder("rh-kaiju", "Kaiju Studio 怪獣スタジオ")
WORK = make_work(
    "w-moon", "rh-kaiju", {"en": ["Moon Patrol"], "ja": ["ムーンパトロール"]}, ["lunar rover"]
)
LUNA = make_character(
    "c-luna", "w-moon", {"en": ["Luna"], "ja": ["ルナ"]}, ["Lulu"], "a silver-haired pilot"
)
SOL = make_character("c-sol", "w-moon", {"en": ["Sol"]}, description="her red robot")
LICENCE = Licence(
    "lic-fan",
    assets=("w-moon",),
    purposes=("non-commercial",),
    prohibited_contexts=("gambling",),
    royalty_rate=0.1,
    valid_from=datetime(2025, 1, 1, tzinfo=UTC),
    currency="JPY",
)


def registry(*entities: object) -> Registry:
    groups: dict[str, list[object]] = {
        "rights_holders": [],
        "works": [],
        "characters": [],
        "licences": [],
    }
    for entity in entities:
        section = {
            "RightsHolder": "rights_holders",
            "Work": "works",
            "Character": "characters",
            "Licence": "licences",
        }[type(entity).__name__]
        groups[section].append(entity)
    return Registry(**{k: tuple(v) for k, v in groups.items()})


FULL = registry(HOLDER, WORK, LUNA, SOL, LICENCE)


def apply(engine: Engine, new: Registry, replace: bool = False, actor: str = "rh-kaiju"):
    with session_scope(engine) as session:
        return RegistryRepository(session).apply(new, actor=actor, replace=replace)


def current(engine: Engine) -> Registry:
    with session_scope(engine, read_only=True) as session:
        return RegistryRepository(session).current()


def test_empty_database_has_version_zero(db_engine: Engine) -> None:
    reg = current(db_engine)
    assert reg.version == 0
    assert reg.digest == compute_digest(Registry())
    assert reg.characters == ()


def test_apply_creates_a_version_that_reads_back_identically(db_engine: Engine) -> None:
    version = apply(db_engine, FULL)
    assert version is not None and version.number == 1 and version.actor == "rh-kaiju"
    assert version.changes("characters").added == ("c-luna", "c-sol")
    assert version.counts()["licences"] == {"added": 1, "changed": 0, "removed": 0, "moved": 0}
    reg = current(db_engine)
    assert reg.version == 1
    assert reg.digest == version.digest == compute_digest(FULL)
    assert to_document(reg) == to_document(FULL)  # export reproduces the import
    assert reg.character("c-luna") == LUNA
    assert reg.licence("lic-fan") == LICENCE


def test_applying_the_same_registry_twice_changes_nothing(db_engine: Engine) -> None:
    assert apply(db_engine, FULL) is not None
    assert apply(db_engine, FULL) is None
    assert apply(db_engine, FULL, replace=True) is None
    with session_scope(db_engine) as session:
        assert [v.number for v in RegistryRepository(session).history()] == [1]
        assert len(LedgerRepository(session).entries(kind="registry.version")) == 1


def test_merge_upserts_and_keeps_the_rest(db_engine: Engine) -> None:
    apply(db_engine, FULL)
    renamed = make_character("c-luna", "w-moon", {"en": ["Luna Prime"]})
    nova = make_character("c-nova", "w-moon", {"en": ["Nova"]})
    version = apply(db_engine, registry(renamed, nova))
    assert version is not None and version.number == 2
    assert version.changes("characters").changed == ("c-luna",)
    assert version.changes("characters").added == ("c-nova",)
    assert not version.changes("works")
    assert version.summary["characters"]["changed"] == ["c-luna"]  # the stored JSON form
    reg = current(db_engine)
    assert [c.id for c in reg.characters] == ["c-luna", "c-sol", "c-nova"]
    assert reg.character("c-luna") == renamed
    assert reg.work("w-moon") == WORK
    assert reg.digest == version.digest == compute_digest(reg)


def test_replace_makes_the_registry_exactly_the_document(db_engine: Engine) -> None:
    apply(db_engine, FULL)
    smaller = registry(HOLDER, WORK, SOL)
    version = apply(db_engine, smaller, replace=True)
    assert version is not None
    assert version.changes("characters").removed == ("c-luna",)
    assert version.changes("licences").removed == ("lic-fan",)
    assert to_document(current(db_engine)) == to_document(smaller)


def test_replace_with_a_new_order_moves_only_what_moved(db_engine: Engine) -> None:
    chars = [make_character(f"c-{i}", "w-moon", {"en": [f"Hero {i}"]}) for i in range(6)]
    apply(db_engine, registry(HOLDER, WORK, *chars))
    reordered = [chars[0], chars[4], chars[1], chars[2], chars[3], chars[5]]
    newcomer = make_character("c-new", "w-moon", {"en": ["Newcomer"]})
    version = apply(db_engine, registry(HOLDER, WORK, newcomer, *reordered), replace=True)
    assert version is not None
    assert version.changes("characters").moved == ("c-4",)
    assert version.changes("characters").added == ("c-new",)
    reg = current(db_engine)
    assert [c.id for c in reg.characters] == ["c-new", "c-0", "c-4", "c-1", "c-2", "c-3", "c-5"]
    assert reg.digest == compute_digest(reg)


def test_history_and_at_version_reconstruct_every_version(db_engine: Engine) -> None:
    first = registry(HOLDER, WORK, LUNA)
    second = registry(HOLDER, WORK, LUNA, SOL, LICENCE)
    third = registry(HOLDER, WORK, SOL)
    for reg, replace in ((first, False), (second, False), (third, True)):
        apply(db_engine, reg, replace=replace, actor="admin@kyodaku")
    with session_scope(db_engine, read_only=True) as session:
        repo = RegistryRepository(session)
        history = repo.history()
        assert [v.number for v in history] == [1, 2, 3]
        assert all(v.actor == "admin@kyodaku" for v in history)
        for number, expected in ((1, first), (2, second), (3, third)):
            snapshot = repo.at_version(number)
            assert snapshot.version == number
            assert to_document(snapshot) == to_document(expected)
            assert snapshot.digest == history[number - 1].digest
        assert repo.at_version(0).characters == ()
        with pytest.raises(NotFound, match="version 9"):
            repo.at_version(9)


def test_every_version_is_a_ledger_entry(db_engine: Engine) -> None:
    with session_scope(db_engine) as session:
        version = RegistryRepository(session).apply(FULL, actor="rh-kaiju", source="moon.yaml")
    assert version is not None
    assert json.loads(json.dumps(version.as_dict()))["summary"]["works"]["added"] == ["w-moon"]
    with session_scope(db_engine) as session:
        (entry,) = LedgerRepository(session).entries(kind="registry.version")
        assert entry.subject_id == "registry:1"
        assert entry.payload["digest"] == version.digest
        assert entry.payload["counts"]["characters"]["added"] == 2
        assert entry.payload["source"] == "moon.yaml"
        assert LedgerRepository(session).verify().ok


def test_tampered_registry_rows_are_detected_on_read(db_engine: Engine) -> None:
    apply(db_engine, FULL)
    with session_scope(db_engine) as session:
        session.execute(text("DELETE FROM registry_entities WHERE entity_id = 'c-sol'"))
    with pytest.raises(RegistryIntegrityError, match="registry tables were altered"):
        current(db_engine)


def test_a_failed_apply_writes_nothing(db_engine: Engine) -> None:
    duplicated = Registry(characters=(LUNA, LUNA))
    with pytest.raises(RegistryStoreError, match="'c-luna' appears twice"):
        apply(db_engine, duplicated)
    assert current(db_engine).version == 0


def test_an_actor_is_required(db_engine: Engine) -> None:
    with pytest.raises(ValueError, match="actor"):
        apply(db_engine, FULL, actor=" ")


def test_the_shared_dev_registry_round_trips(db_engine: Engine, dev_registry_path) -> None:
    from kyodaku.registry.exchange import load_file

    reg = load_file(dev_registry_path)
    apply(db_engine, reg, replace=True)
    assert to_document(current(db_engine)) == to_document(reg)
    assert apply(db_engine, load_file(dev_registry_path), replace=True) is None


# -- positions (pure) ----------------------------------------------------------


def test_positions_append_without_moving_anything() -> None:
    current_positions = {"a": 0, "b": 1024}
    assert plan_positions(["a", "b", "c"], current_positions) == {"a": 0, "b": 1024, "c": 2048}


def test_positions_fit_between_neighbours() -> None:
    planned = plan_positions(["a", "x", "b"], {"a": 0, "b": 1024})
    assert planned["a"] == 0 and planned["b"] == 1024 and 0 < planned["x"] < 1024


def test_positions_renumber_when_there_is_no_room() -> None:
    planned = plan_positions(["a", "x", "b"], {"a": 0, "b": 1})
    assert planned == {"a": 0, "x": 1024, "b": 2048}


@settings(max_examples=60, deadline=None)
@given(
    existing=st.lists(st.integers(0, 30), unique=True, max_size=12),
    fresh=st.lists(st.integers(100, 130), unique=True, max_size=6),
    seed=st.randoms(use_true_random=False),
)
def test_positions_always_follow_the_document_order(existing, fresh, seed) -> None:
    current_positions = {f"e{n}": n * 3 for n in existing}
    kept = [f"e{n}" for n in existing if n % 3]
    order = kept + [f"n{n}" for n in fresh]
    seed.shuffle(order)
    planned = plan_positions(order, current_positions)
    values = [planned[i] for i in order]
    assert values == sorted(values) and len(set(values)) == len(values)
