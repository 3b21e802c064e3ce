"""The rights registry as immutable values.

Everything downstream (screening, policy, ledger) reads a :class:`Registry`
snapshot; nothing mutates one. A change to the registry produces a new
snapshot with a new version number, so a decision can always say which
declarations it was made under.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Literal

#: Purposes a licence may grant. Kept small on purpose: rights holders think
#: in these two buckets, and the exchange format rejects anything else.
PURPOSES: tuple[str, ...] = ("non-commercial", "commercial")

#: Contexts a licence may prohibit (the exchange format's closed list).
CONTEXTS: tuple[str, ...] = (
    "gambling",
    "political",
    "sexual",
    "violence",
    "alcohol",
    "tobacco",
    "hate",
)

#: Language tags used for names and titles in the exchange format. Others are
#: accepted (any BCP 47-ish tag), these are merely the common ones.
COMMON_LANGUAGES: tuple[str, ...] = ("en", "ja", "zh", "ko")

AssetKind = Literal["work", "character"]


@dataclass(frozen=True, slots=True)
class RightsHolder:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Work:
    """A protected work: its titles per language and in-universe signature terms."""

    id: str
    rights_holder: str
    titles: MappingProxyType[str, tuple[str, ...]]
    terms: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Read-only mappings do not pickle; rebuild through the constructor so
        # compiled screening indexes holding works can be cached on disk.
        titles = {k: list(v) for k, v in self.titles.items()}
        return make_work, (self.id, self.rights_holder, titles, self.terms)

    @property
    def all_titles(self) -> tuple[str, ...]:
        return tuple(t for ts in self.titles.values() for t in ts)

    @property
    def display_name(self) -> str:
        for lang in ("en", "ja"):
            if self.titles.get(lang):
                return self.titles[lang][0]
        return self.all_titles[0] if self.all_titles else self.id


@dataclass(frozen=True, slots=True)
class Character:
    """A protected character: names per language, listed aliases, a description."""

    id: str
    work: str
    names: MappingProxyType[str, tuple[str, ...]]
    aliases: tuple[str, ...] = ()
    description: str = ""

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        names = {k: list(v) for k, v in self.names.items()}
        return make_character, (self.id, self.work, names, self.aliases, self.description)

    @property
    def all_names(self) -> tuple[str, ...]:
        return tuple(n for ns in self.names.values() for n in ns)

    @property
    def display_name(self) -> str:
        for lang in ("en", "ja"):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.all_names[0] if self.all_names else self.id


@dataclass(frozen=True, slots=True)
class Licence:
    """An opt-in permission, in ODRL terms: assets (targets), permitted
    purposes, prohibited contexts, optional constraints (territory, term),
    and a duty to pay ``royalty_rate`` of the declared value."""

    id: str
    assets: tuple[str, ...]
    purposes: tuple[str, ...]
    prohibited_contexts: tuple[str, ...] = ()
    royalty_rate: float = 0.0
    territories: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    currency: str | None = None
    note: str | None = None


def _freeze_langs(mapping: dict[str, list[str]] | None) -> MappingProxyType[str, tuple[str, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in (mapping or {}).items()})


def make_work(
    id: str,
    rights_holder: str,
    titles: dict[str, list[str]],
    terms: list[str] | tuple[str, ...] = (),
) -> Work:
    return Work(
        id=id, rights_holder=rights_holder, titles=_freeze_langs(titles), terms=tuple(terms)
    )


def make_character(
    id: str,
    work: str,
    names: dict[str, list[str]],
    aliases: list[str] | tuple[str, ...] = (),
    description: str = "",
) -> Character:
    return Character(
        id=id,
        work=work,
        names=_freeze_langs(names),
        aliases=tuple(aliases),
        description=description,
    )


@dataclass(frozen=True)
class Registry:
    """An immutable, versioned snapshot of everything rights holders declared.

    Lookups are dictionaries built once; the sequences keep declaration order
    so that an export reproduces the imported document.
    """

    rights_holders: tuple[RightsHolder, ...] = ()
    works: tuple[Work, ...] = ()
    characters: tuple[Character, ...] = ()
    licences: tuple[Licence, ...] = ()
    version: int = 0
    #: Content digest of the snapshot (hex SHA-256 of its canonical export);
    #: screening caches its compiled index under this key.
    digest: str = ""
    _by_id: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    _characters_of_work: dict[str, tuple[Character, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _licences_of_asset: dict[str, tuple[Licence, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_id: dict[str, object] = {}
        for group in (self.rights_holders, self.works, self.characters, self.licences):
            for item in group:
                by_id[item.id] = item
        chars: dict[str, list[Character]] = {}
        for c in self.characters:
            chars.setdefault(c.work, []).append(c)
        lics: dict[str, list[Licence]] = {}
        for lic in self.licences:
            for a in lic.assets:
                lics.setdefault(a, []).append(lic)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_characters_of_work", {k: tuple(v) for k, v in chars.items()})
        object.__setattr__(self, "_licences_of_asset", {k: tuple(v) for k, v in lics.items()})

    # -- lookups -------------------------------------------------------------
    def get(self, id: str) -> object | None:
        return self._by_id.get(id)

    def work(self, id: str) -> Work | None:
        item = self._by_id.get(id)
        return item if isinstance(item, Work) else None

    def character(self, id: str) -> Character | None:
        item = self._by_id.get(id)
        return item if isinstance(item, Character) else None

    def rights_holder(self, id: str) -> RightsHolder | None:
        item = self._by_id.get(id)
        return item if isinstance(item, RightsHolder) else None

    def licence(self, id: str) -> Licence | None:
        item = self._by_id.get(id)
        return item if isinstance(item, Licence) else None

    def asset_kind(self, asset_id: str) -> AssetKind | None:
        item = self._by_id.get(asset_id)
        if isinstance(item, Work):
            return "work"
        if isinstance(item, Character):
            return "character"
        return None

    def work_of(self, asset_id: str) -> Work | None:
        """The work an asset belongs to (a work is its own work)."""
        item = self._by_id.get(asset_id)
        if isinstance(item, Work):
            return item
        if isinstance(item, Character):
            return self.work(item.work)
        return None

    def rights_holder_of(self, asset_id: str) -> RightsHolder | None:
        work = self.work_of(asset_id)
        return self.rights_holder(work.rights_holder) if work else None

    def characters_of(self, work_id: str) -> tuple[Character, ...]:
        return self._characters_of_work.get(work_id, ())

    def licences_covering(self, asset_id: str) -> tuple[Licence, ...]:
        """Licences that name the asset itself or, for a character, its work."""
        direct = self._licences_of_asset.get(asset_id, ())
        item = self._by_id.get(asset_id)
        if isinstance(item, Character):
            via_work = self._licences_of_asset.get(item.work, ())
            return direct + tuple(lic for lic in via_work if lic not in direct)
        return direct

    def display_name(self, asset_id: str) -> str:
        item = self._by_id.get(asset_id)
        if isinstance(item, Work | Character):
            return item.display_name
        if isinstance(item, RightsHolder):
            return item.name
        return asset_id
