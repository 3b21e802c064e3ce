"""A name found in a prompt, before disambiguation decides whether it counts."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from kyodaku.screen.index import NameEntry
from kyodaku.screen.normalise import fine_key
from kyodaku.screen.types import Evidence, Span

#: How a match relates to what the user typed, strongest first.
#: exact: the registered spelling; obfuscated: leet, look-alikes, spaced-out
#: letters; reading: a registered reading or kana variant; phonetic: same
#: coarse sound key; transliteration: Hangul read against a Latin or romaji
#: key; fuzzy: within one or two edits; translation: a dictionary's
#: translation of the registered name (凯蒂猫 for Hello Kitty).
MODES: tuple[str, ...] = (
    "exact", "obfuscated", "reading", "phonetic", "transliteration", "fuzzy", "translation",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Match:
    entry: NameEntry
    span: Span
    surface: str  # the prompt text behind the span
    mode: str  # one of MODES
    recogniser: str  # "names" or "fuzzy"
    similarity: float = 1.0

    @property
    def asset_id(self) -> str:
        return self.entry.asset_id

    def evidence(self, score: float, detail: str = "") -> Evidence:
        kind = (
            "reading"
            if self.entry.kind != "reading"
            and self.entry.derived in ("romaji", "pinyin", "hangul", "kana", "gloss")
            else self.entry.kind
        )
        return Evidence(
            asset_id=self.entry.asset_id,
            recogniser=self.recogniser,
            kind=kind,
            span=self.span,
            matched=self.entry.source,
            score=round(score, 4),
            detail=detail or self.describe(),
        )

    def describe(self) -> str:
        if self.entry.derived == "segment":
            return f"short form '{self.surface}' of '{self.entry.source}' before an honorific"
        how = {
            "exact": "registered spelling",
            "obfuscated": "disguised spelling",
            "reading": "reading",
            "phonetic": "same sound",
            "transliteration": "transliteration",
            "fuzzy": f"near spelling ({self.similarity:.2f})",
            "translation": f"dictionary translation '{self.entry.form}'",
        }[self.mode]
        derived = f", {self.entry.derived} form" if self.entry.derived else ""
        return f"{how} of {self.entry.kind} '{self.entry.source}'{derived}"


def plural_refused(entry: NameEntry, surface: str) -> bool:
    """Whether ``surface``, a registered form with a plural ending, cannot be that form.

    "Finns" are people of Finland and "Marios" anybody so called: a
    derived form, a letter, a personal name or an ordinary word (but a term)
    in the plural is not the name. Nor is a title whose last word the
    prompt writes as a plural common noun ("the Vinland sagas"). Coined
    names and terms take a plural ("two Pikachus", "lightsabers").
    """
    return bool(
        entry.derived
        or entry.lexical in ("letter", "proper")
        or (entry.lexical == "ordinary" and entry.kind != "term")
        or (entry.kind == "title" and " " in surface.strip() and surface.split()[-1][:1].islower())
    )


#: Share of letters a word that only sounds like a registered form must have in
#: common with it, in order ("Kirbee" for "Kirby" 0.67, "Pikachoo" 0.75;
#: "Meiji" for "Mercy" 0.4, "Chanel" for "Saber" 0.33).
MIN_SOUND_ALIKE_LIKENESS = 0.5


def spelt_alike(surface: str, form: str, likeness: float = MIN_SOUND_ALIKE_LIKENESS) -> bool:
    """Whether a word that sounds like a registered form is also spelt much like it.

    Sound keys merge letters generously (ch and s, l and r): a word one sound
    edit from a name, or keyed alike, is a slip of it only if typed much like
    it too. Asked by the name recogniser and the fuzzy one.
    """
    return Levenshtein.normalized_similarity(fine_key(surface), fine_key(form)) >= likeness
