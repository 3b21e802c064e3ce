"""Names translated word by word, read through a (tiny, made-up) dictd dictionary."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kyodaku.registry.model import Registry, RightsHolder, make_character, make_work
from kyodaku.screen.translated_names import (
    CAPITALISED_SCORE,
    DictionaryFormatError,
    TranslatedNameRecogniser,
    available,
    read_dictd,
)

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(value: int) -> str:
    digits = ""
    while True:
        digits = _B64[value % 64] + digits
        value //= 64
        if not value:
            return digits


def write_dictd(directory: Path, name: str, entries: dict[str, str]) -> None:
    """A dictd dictionary: an index of base-64 offsets into a gzip'd body."""
    body = b""
    lines = []
    for headword, text in entries.items():
        chunk = f"{headword} /x/\n{text}\n".encode()
        lines.append(f"{headword}\t{_b64(len(body))}\t{_b64(len(chunk))}")
        body += chunk
    (directory / f"{name}.index").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / f"{name}.dict.dz").write_bytes(gzip.compress(body))


@pytest.fixture()
def dictionaries(tmp_path: Path) -> Path:
    write_dictd(
        tmp_path,
        "freedict-spa-eng",
        {"araña": "spider", "hombre": "1. man, human being\n2. fellow", "lobo": "wolf"},
    )
    write_dictd(tmp_path, "freedict-fra-eng", {"loup": "wolf", "lune": "moon"})
    return tmp_path


def _registry() -> Registry:
    return Registry(
        rights_holders=(RightsHolder("rh", "R"),),
        works=(make_work("w-web", "rh", {"en": ["Web Tales"]}, []),),
        characters=(
            make_character("c-spider", "w-web", {"en": ["Spider-Man"]}, (), "a hero"),
            make_character("c-wolf", "w-web", {"en": ["Moon Wolf"]}, (), "a grey wolf"),
        ),
        version=1,
    )


def test_reading_a_dictd_dictionary(dictionaries: Path) -> None:
    entries = dict(
        read_dictd(
            dictionaries / "freedict-spa-eng.index", dictionaries / "freedict-spa-eng.dict.dz"
        )
    )
    assert entries["hombre"] == ["man", "fellow"]  # multi-word glosses are left out
    assert available(dictionaries)
    assert not available(dictionaries / "nowhere")


def test_a_broken_index_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.index").write_text("word-without-offsets\n", encoding="utf-8")
    (tmp_path / "x.dict.dz").write_bytes(gzip.compress(b""))
    with pytest.raises(DictionaryFormatError):
        list(read_dictd(tmp_path / "x.index", tmp_path / "x.dict.dz"))


@pytest.mark.parametrize(
    ("prompt", "asset"),
    [
        ("el Hombre Araña se balancea entre los rascacielos", "c-spider"),
        ("le Loup de la Lune hurle", "c-wolf"),  # little words between, any order
        ("el Lobo Moon en la colina", "c-wolf"),  # one word translated, one kept
    ],
)
def test_a_translated_name_is_recognised(dictionaries: Path, prompt: str, asset: str) -> None:
    found = TranslatedNameRecogniser(_registry(), dictionaries).find(prompt)
    assert [(e.asset_id, e.score) for e in found] == [(asset, CAPITALISED_SCORE)]
    assert found[0].kind == "translation"


def test_lower_case_only_corroborates(dictionaries: Path) -> None:
    found = TranslatedNameRecogniser(_registry(), dictionaries).find("un hombre araña gigante")
    assert [e.asset_id for e in found] == ["c-spider"]
    assert found[0].score < 0.5


@pytest.mark.parametrize(
    "prompt",
    [
        "Spider-Man swings over the city",  # nothing translated: the name matcher's job
        "un hombre mira una araña",  # the words are not side by side
        "el Lobo aúlla",  # one word of a two-word name
    ],
)
def test_no_translated_name(dictionaries: Path, prompt: str) -> None:
    assert TranslatedNameRecogniser(_registry(), dictionaries).find(prompt) == []


def test_without_dictionaries_nothing_is_found(tmp_path: Path) -> None:
    recogniser = TranslatedNameRecogniser(_registry(), tmp_path)
    assert recogniser.find("el Hombre Araña") == []
