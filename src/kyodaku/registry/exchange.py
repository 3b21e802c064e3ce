"""The registry exchange format: parse, validate, export (JSON and YAML).

Rights holders hand their declarations over as one document (see
``shared/bench/README.md``). Validation happens here, completely, before
anything is written anywhere: every problem is collected with the file, the
entry id and the field, so a rights holder can fix a file in one pass rather
than one error at a time.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from kyodaku.registry.model import (
    CONTEXTS,
    PURPOSES,
    Character,
    Licence,
    Registry,
    RightsHolder,
    Work,
    make_character,
    make_work,
)

SECTIONS: tuple[str, ...] = ("rights_holders", "works", "characters", "licences")

#: Keys each section accepts, in export order. ``required`` keys must be present.
_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # section: (all keys in order, required keys)
    "rights_holders": (("id", "name"), ("id", "name")),
    "works": (("id", "rights_holder", "titles", "terms"), ("id", "rights_holder", "titles")),
    "characters": (
        ("id", "work", "names", "aliases", "description"),
        ("id", "work", "names"),
    ),
    "licences": (
        (
            "id",
            "assets",
            "purposes",
            "prohibited_contexts",
            "royalty_rate",
            "territories",
            "valid_from",
            "valid_until",
            "currency",
            "note",
        ),
        ("id", "assets", "purposes"),
    ),
}

_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")
_LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TERRITORY_PATTERN = re.compile(r"^[A-Z]{2}$")
_CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
#: Upper bound on any single string; registry text is names and descriptions,
#: not essays, and unbounded strings would let one file blow up the index.
MAX_TEXT = 4000


@dataclass(frozen=True, slots=True)
class Problem:
    source: str
    section: str | None
    entry_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.source
        if self.section:
            where += f": {self.section}"
        if self.entry_id:
            where += f" '{self.entry_id}'"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class RegistryFormatError(ValueError):
    """The document is not a valid registry; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in registry document:\n{shown}{more}")


# --------------------------------------------------------------------------- loading


def load_file(path: str | Path, base: Registry | None = None) -> Registry:
    """Read and validate a registry file (JSON, or YAML by extension/content)."""
    p = Path(path)
    source = str(p)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryFormatError([Problem(source, None, None, None, "file not found")]) from None
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte {exc.start})"
        raise RegistryFormatError([Problem(source, None, None, None, msg)]) from None
    except OSError as exc:
        msg = f"cannot read: {exc.strerror}"
        raise RegistryFormatError([Problem(source, None, None, None, msg)]) from None
    return parse_text(text, source=source, base=base)


def parse_text(text: str, source: str = "<document>", base: Registry | None = None) -> Registry:
    data = _decode(text, source)
    return parse_document(data, source=source, base=base)


def _decode(text: str, source: str) -> Any:
    is_yaml = source.endswith((".yaml", ".yml"))
    if not is_yaml:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if source.endswith(".json") or text.lstrip().startswith(("{", "[")):
                msg = f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
                raise RegistryFormatError([Problem(source, None, None, None, msg)]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"malformed YAML{where}: {problem}"
        raise RegistryFormatError([Problem(source, None, None, None, msg)]) from None


def parse_document(data: Any, source: str = "<document>", base: Registry | None = None) -> Registry:
    """Validate a decoded document and build a :class:`Registry` of its entities.

    ``base`` is the registry the document will be merged into: references
    (a character's work, a licence's assets) may point at entities there.
    Raises :class:`RegistryFormatError` listing every problem found.
    """
    v = _Validator(source, base)
    result = v.run(data)
    if v.problems:
        raise RegistryFormatError(v.problems)
    return result


class _Validator:
    def __init__(self, source: str, base: Registry | None) -> None:
        self.source = source
        self.base = base
        self.problems: list[Problem] = []

    def err(self, section: str | None, entry_id: str | None, field: str | None, msg: str) -> None:
        self.problems.append(Problem(self.source, section, entry_id, field, msg))

    def run(self, data: Any) -> Registry:
        if not isinstance(data, Mapping):
            kind = type(data).__name__ if data is not None else "empty document"
            self.err(None, None, None, f"expected an object with sections {SECTIONS}, got {kind}")
            return Registry()
        for key in data:
            if key not in SECTIONS:
                self.err(
                    None, None, str(key), f"unknown key (expected one of {', '.join(SECTIONS)})"
                )
        raw: dict[str, list[Mapping[str, Any]]] = {}
        seen_ids: dict[str, str] = {}
        for section in SECTIONS:
            entries = data.get(section, [])
            if entries is None:
                entries = []
            if not isinstance(entries, list):
                self.err(section, None, None, "must be a list")
                entries = []
            valid: list[Mapping[str, Any]] = []
            for i, entry in enumerate(entries):
                if not isinstance(entry, Mapping):
                    self.err(section, f"#{i + 1}", None, "entry must be an object")
                    continue
                entry_id = entry.get("id")
                label = entry_id if isinstance(entry_id, str) else f"#{i + 1}"
                if not self._check_keys(section, label, entry):
                    continue
                if isinstance(entry_id, str):
                    if entry_id in seen_ids:
                        self.err(
                            section, entry_id, "id", f"duplicate id (also in {seen_ids[entry_id]})"
                        )
                        continue
                    seen_ids[entry_id] = section
                valid.append(entry)
            raw[section] = valid

        ids_in_doc = {
            s: {e["id"] for e in raw[s] if isinstance(e.get("id"), str)} for s in SECTIONS
        }
        holders = tuple(self._rights_holder(e) for e in raw["rights_holders"])
        works = tuple(self._work(e, ids_in_doc) for e in raw["works"])
        characters = tuple(self._character(e, ids_in_doc) for e in raw["characters"])
        licences = tuple(self._licence(e, ids_in_doc) for e in raw["licences"])
        return Registry(
            rights_holders=tuple(h for h in holders if h is not None),
            works=tuple(w for w in works if w is not None),
            characters=tuple(c for c in characters if c is not None),
            licences=tuple(x for x in licences if x is not None),
        )

    # -- shared checks ---------------------------------------------------------
    def _check_keys(self, section: str, label: str, entry: Mapping[str, Any]) -> bool:
        allowed, required = _KEYS[section]
        ok = True
        for key in entry:
            if key not in allowed:
                self.err(section, label, str(key), f"unknown key (allowed: {', '.join(allowed)})")
                ok = False
        for key in required:
            if key not in entry:
                self.err(section, label, key, "missing required field")
                ok = False
        entry_id = entry.get("id")
        if "id" in entry and (not isinstance(entry_id, str) or not _ID_PATTERN.match(entry_id)):
            self.err(
                section,
                label,
                "id",
                "id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'",
            )
            ok = False
        return ok

    def _text(
        self, section: str, eid: str, field: str, value: Any, *, allow_empty: bool = False
    ) -> str | None:
        if not isinstance(value, str):
            self.err(section, eid, field, f"must be a string, got {type(value).__name__}")
            return None
        if not allow_empty and not value.strip():
            self.err(section, eid, field, "must not be empty")
            return None
        if len(value) > MAX_TEXT:
            self.err(section, eid, field, f"longer than {MAX_TEXT} characters")
            return None
        return value

    def _text_list(self, section: str, eid: str, field: str, value: Any) -> list[str] | None:
        if not isinstance(value, list):
            self.err(section, eid, field, "must be a list of strings")
            return None
        out: list[str] = []
        for i, item in enumerate(value):
            text = self._text(section, eid, f"{field}[{i}]", item)
            if text is None:
                return None
            out.append(text)
        return out

    def _lang_map(
        self, section: str, eid: str, field: str, value: Any
    ) -> dict[str, list[str]] | None:
        if not isinstance(value, Mapping):
            self.err(section, eid, field, "must be an object mapping language codes to lists")
            return None
        out: dict[str, list[str]] = {}
        for lang, items in value.items():
            if not isinstance(lang, str) or not _LANG_PATTERN.match(lang):
                self.err(section, eid, f"{field}.{lang}", "not a language code (e.g. en, ja, zh)")
                return None
            texts = self._text_list(section, eid, f"{field}.{lang}", items)
            if texts is None:
                return None
            out[lang] = texts
        if not any(out.values()):
            self.err(section, eid, field, "needs at least one entry")
            return None
        return out

    def _exists(
        self, section: str, target_section: str, ref: str, ids_in_doc: dict[str, set[str]]
    ) -> bool:
        if ref in ids_in_doc[target_section]:
            return True
        if self.base is None:
            return False
        kinds = {
            "rights_holders": self.base.rights_holder,
            "works": self.base.work,
            "characters": self.base.character,
        }
        return kinds[target_section](ref) is not None

    # -- sections --------------------------------------------------------------
    def _rights_holder(self, e: Mapping[str, Any]) -> RightsHolder | None:
        eid = e["id"]
        name = self._text("rights_holders", eid, "name", e["name"])
        return RightsHolder(id=eid, name=name) if name is not None else None

    def _work(self, e: Mapping[str, Any], ids: dict[str, set[str]]) -> Work | None:
        eid, n = e["id"], len(self.problems)
        holder = self._text("works", eid, "rights_holder", e["rights_holder"])
        if holder is not None and not self._exists("works", "rights_holders", holder, ids):
            self.err("works", eid, "rights_holder", f"unknown rights holder '{holder}'")
        titles = self._lang_map("works", eid, "titles", e["titles"])
        terms = self._text_list("works", eid, "terms", e.get("terms", []))
        if len(self.problems) > n or holder is None or titles is None or terms is None:
            return None
        return make_work(eid, holder, titles, terms)

    def _character(self, e: Mapping[str, Any], ids: dict[str, set[str]]) -> Character | None:
        eid, n = e["id"], len(self.problems)
        work = self._text("characters", eid, "work", e["work"])
        if work is not None and not self._exists("characters", "works", work, ids):
            self.err("characters", eid, "work", f"unknown work '{work}'")
        names = self._lang_map("characters", eid, "names", e["names"])
        aliases = self._text_list("characters", eid, "aliases", e.get("aliases", []))
        description = self._text(
            "characters", eid, "description", e.get("description", ""), allow_empty=True
        )
        if len(self.problems) > n or None in (work, names, aliases, description):
            return None
        assert work is not None and names is not None and aliases is not None
        return make_character(eid, work, names, aliases, description or "")

    def _licence(self, e: Mapping[str, Any], ids: dict[str, set[str]]) -> Licence | None:
        eid, n, s = e["id"], len(self.problems), "licences"
        assets = self._text_list(s, eid, "assets", e["assets"])
        if assets is not None:
            if not assets:
                self.err(s, eid, "assets", "needs at least one work or character")
            for a in assets:
                if not (self._exists(s, "works", a, ids) or self._exists(s, "characters", a, ids)):
                    self.err(
                        s,
                        eid,
                        "assets",
                        f"unknown asset '{a}' (not a registered work or character)",
                    )
        purposes = self._text_list(s, eid, "purposes", e["purposes"])
        if purposes is not None:
            if not purposes:
                self.err(s, eid, "purposes", "needs at least one purpose")
            for p in purposes:
                if p not in PURPOSES:
                    self.err(
                        s,
                        eid,
                        "purposes",
                        f"unknown purpose '{p}' (allowed: {', '.join(PURPOSES)})",
                    )
        contexts = self._text_list(s, eid, "prohibited_contexts", e.get("prohibited_contexts", []))
        for c in contexts or []:
            if c not in CONTEXTS:
                self.err(
                    s,
                    eid,
                    "prohibited_contexts",
                    f"unknown context '{c}' (allowed: {', '.join(CONTEXTS)})",
                )
        rate = e.get("royalty_rate", 0.0)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not math.isfinite(rate):
            self.err(s, eid, "royalty_rate", "must be a number")
            rate = None
        elif not 0.0 <= rate <= 1.0:
            self.err(s, eid, "royalty_rate", f"{rate} is outside [0, 1]")
        territories = self._text_list(s, eid, "territories", e.get("territories", []))
        for t in territories or []:
            if not _TERRITORY_PATTERN.match(t):
                self.err(
                    s, eid, "territories", f"'{t}' is not an ISO 3166-1 alpha-2 code (e.g. JP, US)"
                )
        valid_from = self._datetime(s, eid, "valid_from", e.get("valid_from"))
        valid_until = self._datetime(s, eid, "valid_until", e.get("valid_until"))
        if valid_from and valid_until and valid_from >= valid_until:
            self.err(s, eid, "valid_until", "must be later than valid_from")
        currency = e.get("currency")
        if currency is not None and (
            not isinstance(currency, str) or not _CURRENCY_PATTERN.match(currency)
        ):
            self.err(s, eid, "currency", "must be an ISO 4217 code (e.g. JPY, USD)")
        note = e.get("note")
        if note is not None:
            self._text(s, eid, "note", note)
        if len(self.problems) > n:
            return None
        return Licence(
            id=eid,
            assets=tuple(assets or ()),
            purposes=tuple(purposes or ()),
            prohibited_contexts=tuple(contexts or ()),
            royalty_rate=float(rate or 0.0),
            territories=tuple(territories or ()),
            valid_from=valid_from,
            valid_until=valid_until,
            currency=currency,
            note=note,
        )

    def _datetime(self, section: str, eid: str, field: str, value: Any) -> datetime | None:
        if value is None:
            return None
        try:
            return parse_timestamp(value)
        except ValueError:
            self.err(section, eid, field, "must be an ISO 8601 date or date-time")
            return None


def parse_timestamp(value: Any) -> datetime:
    """ISO 8601 date or date-time → aware UTC datetime (dates mean midnight UTC)."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        raise ValueError(f"not a timestamp: {value!r}")
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def format_timestamp(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- export


def entity_to_dict(entity: RightsHolder | Work | Character | Licence) -> dict[str, Any]:
    """One entity in exchange-format shape (keys in the format's order)."""
    if isinstance(entity, RightsHolder):
        return {"id": entity.id, "name": entity.name}
    if isinstance(entity, Work):
        return {
            "id": entity.id,
            "rights_holder": entity.rights_holder,
            "titles": {k: list(v) for k, v in entity.titles.items()},
            "terms": list(entity.terms),
        }
    if isinstance(entity, Character):
        return {
            "id": entity.id,
            "work": entity.work,
            "names": {k: list(v) for k, v in entity.names.items()},
            "aliases": list(entity.aliases),
            "description": entity.description,
        }
    if isinstance(entity, Licence):
        out: dict[str, Any] = {
            "id": entity.id,
            "assets": list(entity.assets),
            "purposes": list(entity.purposes),
            "prohibited_contexts": list(entity.prohibited_contexts),
            "royalty_rate": entity.royalty_rate,
        }
        if entity.territories:
            out["territories"] = list(entity.territories)
        if entity.valid_from:
            out["valid_from"] = format_timestamp(entity.valid_from)
        if entity.valid_until:
            out["valid_until"] = format_timestamp(entity.valid_until)
        if entity.currency:
            out["currency"] = entity.currency
        if entity.note:
            out["note"] = entity.note
        return out
    raise TypeError(f"not a registry entity: {type(entity).__name__}")


def entity_from_dict(
    section: str, data: Mapping[str, Any]
) -> RightsHolder | Work | Character | Licence:
    """Rebuild one stored entity (already validated when it was imported)."""
    reg = parse_document({section: [dict(data)]}, source=f"<stored {section}>", base=_Permissive())
    for group in (reg.rights_holders, reg.works, reg.characters, reg.licences):
        if group:
            return group[0]
    raise ValueError(f"unknown section {section!r}")


class _Permissive(Registry):
    """A base registry that claims every reference exists (for stored rows)."""

    def rights_holder(self, id: str) -> RightsHolder | None:
        return RightsHolder(id=id, name=id)

    def work(self, id: str) -> Work | None:
        return make_work(id, "", {"en": [id]})

    def character(self, id: str) -> Character | None:
        return make_character(id, "", {"en": [id]})


def to_document(reg: Registry) -> dict[str, list[dict[str, Any]]]:
    return {
        "rights_holders": [entity_to_dict(x) for x in reg.rights_holders],
        "works": [entity_to_dict(x) for x in reg.works],
        "characters": [entity_to_dict(x) for x in reg.characters],
        "licences": [entity_to_dict(x) for x in reg.licences],
    }


def dump_document(reg: Registry, fmt: str = "json") -> str:
    doc = to_document(reg)
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
    raise ValueError(f"unknown format {fmt!r} (json or yaml)")


def compute_digest(reg: Registry) -> str:
    """SHA-256 over the canonical export: equal registries, equal digests."""
    canonical = json.dumps(
        to_document(reg), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def with_version(reg: Registry, version: int) -> Registry:
    """The same snapshot stamped with a version number and its digest."""
    return Registry(
        rights_holders=reg.rights_holders,
        works=reg.works,
        characters=reg.characters,
        licences=reg.licences,
        version=version,
        digest=compute_digest(reg),
    )


def merge(base: Registry, incoming: Registry) -> Registry:
    """Upsert ``incoming``'s entities into ``base`` (order: base order, new ones appended)."""

    def merged(old: Iterable[Any], new: Iterable[Any]) -> tuple[Any, ...]:
        new_by_id = {x.id: x for x in new}
        out = [new_by_id.pop(x.id, x) for x in old]
        out.extend(new_by_id.values())
        return tuple(out)

    return Registry(
        rights_holders=merged(base.rights_holders, incoming.rights_holders),
        works=merged(base.works, incoming.works),
        characters=merged(base.characters, incoming.characters),
        licences=merged(base.licences, incoming.licences),
    )
