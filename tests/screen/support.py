"""A small invented registry for screening tests (no real franchise in sight)."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from kyodaku.registry.model import Licence, Registry, RightsHolder, make_character, make_work
from kyodaku.screen.cues import Cues, PromptFacts, cues_for
from kyodaku.screen.engine import Screener
from kyodaku.screen.index import CompiledIndex
from kyodaku.screen.index_cache import IndexCache
from kyodaku.screen.names import NameRecogniser
from kyodaku.screen.normalise import views_of


def invented_registry(version: int = 1, extra_alias: str | None = None) -> Registry:
    works = (
        make_work(
            "w-starfall",
            "rh-lumen",
            {"en": ["Starfall Chronicles"], "ja": ["スターフォール"]},
            ["Moonblade Order", "Kirameki Stone", "Vortigrand"],
        ),
        make_work("w-ember", "rh-lumen", {"en": ["Ember Tales"], "ja": ["エンバー物語"]}, []),
        make_work("w-harbour", "rh-kai", {"en": ["Harbour Lights"]}, ["Quillfeather Inn"]),
    )
    characters = (
        make_character(
            "c-zubaru",
            "w-starfall",
            {"en": ["Zubaru"], "ja": ["ズバルー"], "ko": ["즈바루"]},
            (),
            "A small green fox spirit with three tails, a silver bell and amber eyes.",
        ),
        make_character(
            "c-rinoka",
            "w-starfall",
            {"en": ["Rinoka Hoshimura", "Rinoka"], "ja": ["星村リノカ", "リノカ"]},
            ("Captain Rinoka", *((extra_alias,) if extra_alias else ())),
            "A stern sky pirate captain with a crimson coat and a mechanical arm.",
        ),
        make_character(
            "c-kagemaru",
            "w-starfall",
            {"en": ["Kagemaru"], "ja": ["影丸"]},
            (),
            "A masked ninja crow who carries a paper lantern.",
        ),
        make_character(
            "c-tempest",
            "w-ember",
            {"en": ["Tempest"], "ja": ["テンペスト"]},
            (),
            "A storm dragon with glass scales who hoards broken clocks.",
        ),
        make_character(
            "c-marco",
            "w-ember",
            {"en": ["Marco"]},
            (),
            "A cheerful lighthouse keeper with a striped sweater and a pet seagull.",
        ),
        make_character(
            "c-velloria",
            "w-harbour",
            {"en": ["Velloria Quint"]},
            (),
            "A tall harbour witch in a teal cloak who brews tea from sea foam.",
        ),
    )
    licences = (Licence("lic-zubaru", ("c-zubaru",), ("non-commercial",), ("gambling",), 0.1),)
    return Registry(
        rights_holders=(RightsHolder("rh-lumen", "Lumen Works"), RightsHolder("rh-kai", "Kai")),
        works=works,
        characters=characters,
        licences=licences,
        version=version,
    )


@lru_cache(maxsize=1)
def _cache_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="kyodaku-screen-tests-"))


@lru_cache(maxsize=1)
def shared_index() -> CompiledIndex:
    """Compiled once per test process (compiling loads word lists: seconds)."""
    return IndexCache(_cache_dir(), disk=False).get(invented_registry())


@lru_cache(maxsize=1)
def shared_screener() -> Screener:
    """Names, fuzzy and disambiguation only: colleagues' recognisers are tested apart."""
    return Screener(invented_registry(), shared_index())


def refs(prompt: str) -> set[str]:
    return set(shared_screener().screen(prompt).asset_ids)


def one_work_registry(
    *characters: tuple[str, dict[str, list[str]], str],
    terms: tuple[str, ...] = (),
    title: str = "Test Saga",
    titles: dict[str, list[str]] | None = None,
) -> Registry:
    """One work ("w-x") holding ``(id, names, description)`` characters: a test's own registry.

    ``titles`` (by language) replaces the one English ``title``.
    """
    return Registry(
        rights_holders=(RightsHolder("rh-x", "X"),),
        works=(make_work("w-x", "rh-x", titles or {"en": [title]}, list(terms)),),
        characters=tuple(
            make_character(asset, "w-x", names, (), description)
            for asset, names, description in characters
        ),
        version=1,
    )


def compiled(registry: Registry) -> CompiledIndex:
    """The registry's index, compiled in memory (no disk cache)."""
    return IndexCache(disk=False).get(registry)


def cues(prompt: str, asset: str, description: str = "") -> Cues:
    """The cues of the longest match of ``asset`` in ``prompt`` (shared test registry)."""
    matches = NameRecogniser(shared_index()).matches(views_of(prompt))
    match = max((m for m in matches if m.asset_id == asset), key=lambda m: len(m.surface))
    return cues_for(match, PromptFacts.of(prompt), set(), description)
