"""Does a match really refer to the registered asset?

"Pikachu" can only mean one thing. "Luna, our gray tabby", "snake venom",
"Mario Draghi", "a surfer named Nami", "the letter L", "King Kamehameha",
"西遊記の孫悟空" all contain a registered name and refer to something else.
Each match gets a score from what kind of name it is (coined, a person's
name, an ordinary word, a single letter; see :mod:`kyodaku.screen.lexicon`)
and how it was typed (exact, disguised, read, misspelt), then:

* **counter-evidence** lowers it: lower-case use of a capitalised name in a
  prompt that capitalises names; a capitalised word right after it (a
  surname, "River", "Day"); an honorific before it ("King"); an apposition
  that makes it someone else (", a toddler", "named", "the battleship");
  a compound ("L-shaped"); attribution to another, public-domain source
  ("from the 16th-century novel", 《西游记》, 西遊記の, "Shakespeare's"); a
  product noun right after it ("Vegeta seasoning": a brand, not the
  character); a place, event or landmark ("the Woodstock festival", "the
  River Clyde", "Springfield, Illinois"); an everyday word of the language
  the prompt is written in ("Himmel" in German); an animal, pet or "our …"
  before a CJK name (大熊猫乐乐, うちの柴犬のシロ);
* **corroboration** raises it: another name, title or term of the same work,
  features from the character's registered description, or another
  recogniser's evidence for the same asset;
* description evidence (another recogniser's) is lowered when the prompt
  films a real animal ("a real orange tabby", "nature documentary");
* what stays below :data:`THRESHOLD` is kept as *discarded* evidence, so
  ``--explain`` can still show it.

The cues themselves are read by :mod:`kyodaku.screen.cues`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import OSA

from kyodaku.screen.cues import (
    Cues,
    PromptFacts,
    attributed_elsewhere,
    cues_for,
    feature_overlap,
    opens_as_subject,
)
from kyodaku.screen.matches import Match
from kyodaku.screen.normalise import latin_key, plain_key
from kyodaku.screen.types import Evidence, Reference, ScreeningError, Span

#: A reference counts from this score on.
THRESHOLD = 0.5
#: Matches one prompt may produce; real prompts make a few dozen, crafted ones
#: thousands, which would make the pairwise checks below slow: refuse instead.
MAX_MATCHES = 1_000

#: Score of a match before context, by the name's lexical class and how it was typed.
BASE_SCORES: dict[str, dict[str, float]] = {
    "coined": {"exact": 0.95, "obfuscated": 0.93, "reading": 0.9, "phonetic": 0.8,
               "transliteration": 0.75, "fuzzy": 0.8, "translation": 0.85},
    "proper": {"exact": 0.7, "obfuscated": 0.85, "reading": 0.8, "phonetic": 0.55,
               "transliteration": 0.6, "fuzzy": 0.6, "translation": 0.6},
    "ordinary": {"exact": 0.4, "obfuscated": 0.8, "reading": 0.65, "phonetic": 0.4,
                 "transliteration": 0.35, "fuzzy": 0.5, "translation": 0.35},
    "letter": {"exact": 0.3, "obfuscated": 0.3, "reading": 0.0, "phonetic": 0.0,
               "transliteration": 0.0, "fuzzy": 0.0, "translation": 0.0},
}  # fmt: skip

#: What one piece of counter-evidence costs an ambiguous name, a coined one, a term.
COUNTER_WEIGHT = 0.4
COINED_COUNTER_WEIGHT = 0.25
#: What a cue that names something or someone else outright costs any name.
STRONG_COUNTER_WEIGHT = 0.5
#: Signature terms are in-universe words with real-world homonyms ("Kamehameha").
TERM_FACTOR = 0.85
SAME_WORK_BONUS = 0.3
FEATURE_BONUS = 0.1
MAX_FEATURE_BONUS = 0.3
CROSSOVER_BONUS = 0.1
#: Description evidence a character needs when a work-mate is named in the
#: prompt: the shared setting and terms describe the named one first.
SHARED_DESCRIPTION_SCORE = 0.75


# ---------------------------------------------------------------- scoring


def effective_class(match: Match, cues: Cues) -> str:
    """The lexical class that matters for this match.

    Nobody types "Batmn" or "B4tman" meaning a unit of weight: once the typed
    word is not itself a word, an ordinary or common name is as telling as
    a coined one. A transliteration keeps its class (Hangul has no capitals).
    """
    lexical = match.entry.lexical
    if (
        lexical in ("ordinary", "proper")
        and match.mode in ("obfuscated", "fuzzy", "phonetic")
        and not cues.surface_is_word
    ):
        return "coined"
    if lexical == "ordinary" and cues.particle_after:
        return "proper"  # 슬픔이가: the name with its own particle
    return lexical


def base_score(match: Match, cues: Cues) -> float:
    entry = match.entry
    score = BASE_SCORES[effective_class(match, cues)][match.mode]
    if match.mode == "fuzzy":
        score -= 0.1 * max(0, round((1.0 - match.similarity) * 10) - 1)
    if entry.derived in ("partial", "segment"):
        if entry.shared > 1:
            score *= 0.5
        else:
            score *= 0.75 if entry.lexical == "coined" else 0.5
    elif entry.derived in ("pinyin", "hangul"):
        score *= 0.75
    if entry.kind == "term":
        score *= TERM_FACTOR
    return max(0.0, min(1.0, score))


def adjusted_score(match: Match, cues: Cues) -> tuple[float, list[str]]:
    """Score after context, before corroboration, with the reasons that moved it."""
    score = base_score(match, cues)
    reasons: list[str] = []
    lexical = effective_class(match, cues)
    partial = match.entry.derived in ("partial", "segment")
    doubtful = (
        lexical != "coined"
        or partial
        or match.entry.kind == "term"
        or match.mode in ("phonetic", "fuzzy", "transliteration", "translation")
    )
    weight = COUNTER_WEIGHT if doubtful else COINED_COUNTER_WEIGHT
    if cues.proper_usage and lexical == "ordinary":
        score += 0.25
        reasons.append("capitalised as a name")
    elif cues.acting_subject and lexical == "ordinary" and not partial:
        score += 0.2
        reasons.append("opens the prompt as the one acting, as a name")
    elif cues.proper_usage and lexical == "proper":
        score += 0.1
    if cues.work_style and lexical == "ordinary" and not cues.proper_usage:
        score += 0.25
        reasons.append("asked for as a work's world or style")
    if cues.lower_usage:
        cost = COUNTER_WEIGHT if doubtful else 0.3
        if cues.determiner_before and not doubtful:
            cost += 0.2
        score -= cost
        reasons.append("written in lower case like an ordinary word")
    for flag, why in (
        (cues.capitalised_after and not cues.name_after, "followed by another capitalised name"),
        (cues.honorific_before, "after an honorific"),
        (cues.apposition, "described as someone or something else"),
        (cues.named and doubtful, "given as a name to someone else"),
        (cues.compound, "part of a compound word"),
    ):
        if flag:
            score -= weight
            reasons.append(why)
    # Cues that say outright the text means something else cost every name
    # the same, however coined: a word, a source, a brand, a place, a person.
    for flag, why in (
        (cues.surface_is_word, "the typed word is an ordinary word"),
        (cues.local_word, "an everyday word in the language the prompt is written in"),
        (cues.other_source, "attributed to another (public-domain) source"),
        (cues.brand_after, "names a product brand"),
        (cues.category_before, "names a thing or place"),
        (cues.place_after or cues.locative, "names a place, event or period"),
        (cues.someone_else, "described as someone or something else"),
        (cues.name_before, "after another name, as part of someone else's name"),
        (
            cues.name_after and not cues.name_before,
            "followed by another name, as part of someone else's name",
        ),
    ):
        if flag:
            score -= STRONG_COUNTER_WEIGHT
            reasons.append(why)
    return round(score, 4), reasons


@dataclass
class Scored:
    match: Match
    score: float  # after context, before corroboration
    reasons: list[str]
    cues: Cues


@dataclass
class Outcome:
    references: list[Reference]
    discarded: list[Evidence]


def resolve_overlaps(matches: Sequence[Match], prompt: str = "") -> tuple[list[Match], list[Match]]:
    """Drop a match lying inside a longer one: the longer match explains that text.

    "Kamado" inside "Tanjiro Kamado", "Mickey" inside "Mickey's Toontown"; and
    a sound-alike of one name where the text spells another exactly. A
    near (fuzzy) match only hides matches of its own asset, since it may yet be
    rejected. A work's title that holds its characters' names and opens the
    prompt doing something is those characters ("Wallace and Gromit having a
    picnic", "サザエさんが台所に立つ"); elsewhere it is the work ("in the style
    of Wallace & Gromit", "となりのトトロの世界"). A title made of a character's
    name and epithet ("Babar the Elephant") is that character everywhere.
    """
    kept: list[Match] = []
    dropped: list[Match] = []
    spelt = _exact_spellings(matches)
    ordered = sorted(matches, key=lambda m: (-(m.span.end - m.span.start), m.span.start))
    for m in ordered:
        inside = any(
            k.span.start <= m.span.start
            and m.span.end <= k.span.end
            and (k.span.end - k.span.start) > (m.span.end - m.span.start)
            and (k.mode != "fuzzy" or k.asset_id == m.asset_id)
            and not (
                prompt
                and _title_names_character(k, m)
                and (opens_as_subject(prompt, k.span) or _eponymous_title(k, m))
            )
            for k in kept
        )
        (dropped if inside or _spelt_as_another(m, spelt) else kept).append(m)
    return kept, dropped


def _exact_spellings(matches: Sequence[Match]) -> dict[Span, dict[str, str]]:
    """Spans the prompt spells as a registered name or reading: asset → how (the mode).

    Exactly, disguised ("B.a.t.o.u") or as a registered reading ("Batō").
    """
    spelt: dict[Span, dict[str, str]] = {}
    for m in matches:
        exact = m.mode == "exact" and m.entry.derived in ("", "reversed")
        if exact or m.mode in ("obfuscated", "reading"):
            modes = spelt.setdefault(m.span, {})
            if modes.get(m.asset_id) != "exact":
                modes[m.asset_id] = "exact" if exact else m.mode
    return spelt


def _spelt_as_another(m: Match, spelt: dict[Span, dict[str, str]]) -> bool:
    """A sound-alike of a name where the text spells a registered name.

    "Batou" (or "Batō", "B.a.t.o.u") sounds like バット (Bat) read in romaji,
    but it is Batou's own registered spelling or reading: the spelling
    explains the text. Where the text spells a name exactly, any other
    reading of it goes, the same character's too: 브라운 is Brown's
    registered Korean name (a colour word too), not a transliteration of
    his katakana ブラウン.
    """
    modes = spelt.get(m.span, {})
    if m.mode != "exact" and "exact" in modes.values():
        return True
    return m.mode == "phonetic" and any(a != m.asset_id for a in modes)


def _title_names_character(outer: Match, inner: Match) -> bool:
    """Whether ``outer`` is a title of the work whose character ``inner`` names."""
    return (
        outer.entry.kind == "title"
        and inner.entry.kind in ("name", "alias")
        and inner.entry.asset_kind == "character"
        and inner.entry.work_id == outer.entry.asset_id
    )


def _eponymous_title(outer: Match, inner: Match) -> bool:
    """A title that is its character's name and epithet ("Babar the Elephant", "Shaun the Sheep").

    Wherever the prompt writes it, it names that character as well as the work.
    """
    return outer.entry.source.casefold().startswith(inner.entry.source.casefold() + " the ")


def _named_by_titles(scored: list[Scored]) -> list[Scored]:
    """Characters kept inside their work's title (:func:`resolve_overlaps`) score as the title.

    "サザエ" alone is a shellfish, but "サザエさんが台所に立つ" is the title
    character at work: the title's evidence is hers.
    """
    titles = [s for s in scored if s.match.entry.kind == "title"]
    if not titles:
        return scored
    out = []
    for s in scored:
        holders = [
            t.score
            for t in titles
            if _title_names_character(t.match, s.match)
            and t.match.span.start <= s.match.span.start
            and s.match.span.end <= t.match.span.end
        ]
        if holders and max(holders) > s.score:
            reasons = [*s.reasons, "named by the title of its work, which acts in the prompt"]
            s = Scored(s.match, max(holders), reasons, s.cues)
        out.append(s)
    return out


def disambiguate(
    prompt: str,
    matches: Sequence[Match],
    other_evidence: Iterable[Evidence],
    *,
    work_of: dict[str, str],
    kind_of: dict[str, str],
    description: dict[str, str] | None = None,
    names_of: Callable[[str], Sequence[str]] | None = None,
    threshold: float = THRESHOLD,
    word_languages: Mapping[str, frozenset[str]] | None = None,
) -> Outcome:
    """Score every match in context and merge what counts into references."""
    if len(matches) > MAX_MATCHES:
        raise ScreeningError(
            "prompt_too_complex",
            f"prompt names {len(matches)} registered forms; at most {MAX_MATCHES} are screened",
        )
    facts = PromptFacts.of(prompt)
    kept, overlapped = resolve_overlaps(matches, prompt)
    starts = {m.span.start for m in kept}
    description = {} if description is None else description
    scored = []
    for m in kept:
        text = description.get(m.asset_id, "") if m.entry.asset_kind == "character" else ""
        cues = cues_for(m, facts, starts - {m.span.start}, text, word_languages)
        score, reasons = adjusted_score(m, cues)
        scored.append(Scored(m, score, reasons, cues))
    scored = _named_by_titles(scored)
    scored = _credited_throughout(scored)
    if names_of is not None:
        scored = [_own_name_goes_on(s, facts, names_of) for s in scored]
    # What the prompt credits to a public-domain source is that version
    # throughout: the description of "Winnie-the-Pooh as drawn … in the 1926
    # book: a teddy bear …" describes the book's bear.
    credited = {s.match.asset_id for s in scored if s.cues.other_source}
    others = [
        _attributed(e, prompt, e.asset_id in credited)
        for e in other_evidence
        if not _registered_name_of_another(e, kept)
    ]
    if _REAL_WORLD.search(prompt):
        others = [_real_animal(e) for e in others]

    # Two rounds: names that pass on their own corroborate the others, then
    # names that passed thanks to corroboration may corroborate in turn.
    scores = [s.score for s in scored]
    other_best: dict[str, list[tuple[Span | None, float]]] = {}
    for e in others:
        other_best.setdefault(e.asset_id, []).append((e.span, e.score))
    final: list[tuple[float, list[str]]] = []
    for _round in range(2):
        solid = _solid_by_work(scored, scores, others, work_of, threshold)
        character_works = {
            s.match.entry.work_id
            for s, score in zip(scored, scores, strict=True)
            if score >= threshold and kind_of.get(s.match.asset_id) == "character"
        }
        final = [
            _corroborate(s, solid, other_best, description, facts, character_works) for s in scored
        ]
        scores = [f for f, _ in final]

    by_asset: dict[str, list[Evidence]] = {}
    best: dict[str, float] = {}
    discarded: list[Evidence] = [m.evidence(0.0, "inside a longer match") for m in overlapped]
    for s, (score, why) in zip(scored, final, strict=True):
        detail = s.match.describe()
        if why:
            detail += "; " + "; ".join(why)
        evidence = s.match.evidence(max(0.0, score), detail)
        if score >= threshold:
            by_asset.setdefault(s.match.asset_id, []).append(evidence)
            best[s.match.asset_id] = max(best.get(s.match.asset_id, 0.0), score)
        else:
            discarded.append(evidence)
    named_works = {
        work_of.get(asset, asset) for asset in by_asset if kind_of.get(asset) == "character"
    }
    # Spans of the words that describe a character the prompt names.
    named_descriptions = [
        e.span
        for e in others
        if e.asset_id in by_asset and e.kind in _DESCRIBED and e.span is not None
    ]
    for e in others:
        if e.kind in _DESCRIBED and e.asset_id not in by_asset:
            why = _explained_by_named(e, named_works, named_descriptions, work_of, kind_of)
            if why:
                discarded.append(replace(e, detail=e.detail + "; " + why))
                continue
        if e.score >= threshold or e.asset_id in by_asset:
            by_asset.setdefault(e.asset_id, []).append(e)
            best[e.asset_id] = max(best.get(e.asset_id, 0.0), e.score)
        else:
            discarded.append(e)
    references = [
        Reference(
            asset_id=asset,
            asset_kind="work" if kind_of.get(asset) == "work" else "character",
            score=round(best[asset], 4),
            evidence=tuple(sorted(evs, key=lambda e: -e.score)),
        )
        for asset, evs in by_asset.items()
    ]
    references.sort(key=lambda r: min((e.span.start for e in r.evidence if e.span), default=0))
    return Outcome(references, discarded)


def _explained_by_named(
    e: Evidence,
    named_works: set[str],
    named_descriptions: list[Span],
    work_of: dict[str, str],
    kind_of: dict[str, str],
) -> str:
    """Why a description of an unnamed character is the named one's, or "" if it is not.

    "Cloud … spiky blond hair": the very words that describe the named
    character are his, however well they fit another (W-a-l-l-y's striped
    bobble hat is not Odlaw's, Cloud's spiky blond hair not Bakugo's).
    "Sazae … Showa-era street": a work-mate's weak description is the named
    one's setting.
    """
    if kind_of.get(e.asset_id) != "character":
        return ""
    if _within_any(e.span, named_descriptions):
        return "the words describe a named character"
    if work_of.get(e.asset_id) in named_works and e.score < SHARED_DESCRIPTION_SCORE:
        return "a named work-mate explains it"
    return ""


#: The prompt films real animals: "a real orange tabby cat", "a wild pika",
#: "nature documentary", "wildlife footage".
_REAL_WORLD = re.compile(
    r"\b(?:an?|the)\s+(?:real|wild|live)\s|\bnature\s+documentary\b|\bwildlife\b|"
    r"\b(?:dog|cat|horse|pet)\s+show\b",
    re.IGNORECASE,
)
#: Description evidence that only ever describes (names are typed, not described).
_DESCRIBED = frozenset(["description", "feature", "epithet", "vocabulary"])


def _real_animal(evidence: Evidence) -> Evidence:
    """Description evidence, lowered when the prompt says it films a real animal.

    A real orange tabby asleep beside lasagna has Garfield's features, and a
    greater roadrunner in the Sonoran desert the Road Runner's; only a name
    ("a wild Pikachu") still makes them the character.
    """
    if evidence.kind not in _DESCRIBED:
        return evidence
    return replace(
        evidence,
        score=round(max(0.0, evidence.score - 0.5), 4),
        detail=evidence.detail + "; the prompt films a real animal",
    )


def _attributed(evidence: Evidence, prompt: str, credited: bool = False) -> Evidence:
    """Another recogniser's evidence, lowered when the prompt credits a public-domain source.

    "the Snow Queen from Hans Christian Andersen's 1844 fairy tale" fits a
    registered character's description, but the prompt says whose it is.
    ``credited``: a name of the same asset was credited so elsewhere.
    """
    after = prompt[evidence.span.end :] if evidence.span is not None else ""
    if not credited and not (after and attributed_elsewhere(after)):
        return evidence
    return replace(
        evidence,
        score=round(max(0.0, evidence.score - 0.5), 4),
        detail=evidence.detail + "; attributed to another (public-domain) source",
    )


#: Solid evidence kept per work for corroboration checks (bounds the work on hostile input).
_MAX_SOLID_PER_WORK = 16


#: (asset, span, registered form's plain key or "" for other recognisers' evidence).
_Solid = tuple[str, Span | None, str]


def _solid_by_work(
    scored: Sequence[Scored],
    scores: Sequence[float],
    others: Sequence[Evidence],
    work_of: dict[str, str],
    threshold: float,
) -> dict[str, list[_Solid]]:
    """Per work, (asset, span, form) of the evidence that passes on its own."""
    solid: dict[str, list[_Solid]] = {}
    for s, score in zip(scored, scores, strict=True):
        if score >= threshold:
            items = solid.setdefault(s.match.entry.work_id, [])
            if len(items) < _MAX_SOLID_PER_WORK:
                items.append((s.match.asset_id, s.match.span, _form_key(s.match)))
    for e in others:
        if e.score >= threshold:
            items = solid.setdefault(work_of.get(e.asset_id, e.asset_id), [])
            if len(items) < _MAX_SOLID_PER_WORK:
                items.append((e.asset_id, e.span, ""))
    return solid


def _form_key(match: Match) -> str:
    return plain_key(match.entry.source)


def _corroborate(
    s: Scored,
    solid: dict[str, list[_Solid]],
    other_best: dict[str, list[tuple[Span | None, float]]],
    description: dict[str, str],
    facts: PromptFacts,
    character_works: set[str],
) -> tuple[float, list[str]]:
    """The score after corroboration, and why.

    Corroboration must be independent: the same word written again ("the
    Naruto whirlpools in the Naruto Strait") is one piece of evidence, not
    two, and a mention the prompt credits to a public-domain source gets
    none.
    """
    m = s.match
    bonus = 0.0
    why = list(s.reasons)
    if s.cues.other_source:
        return s.score, why
    form = _form_key(m)
    if any(
        asset != m.asset_id and (span is None or not _overlap(span, m.span)) and key != form
        for asset, span, key in solid.get(m.entry.work_id, ())
    ):
        bonus += SAME_WORK_BONUS
        why.append("the same work is referred to elsewhere in the prompt")
    features = feature_overlap(description.get(m.asset_id, ""), facts, m)
    if features and _said_to_be_something_else(s.cues):
        # "the battleship Hiei … black-and-white", "the gray racehorse Oguri
        # Cap": the prompt says what the name is, and what it looks like is
        # that thing's look, not the character's.
        features = set()
    if features:
        bonus += min(MAX_FEATURE_BONUS, FEATURE_BONUS * len(features))
        why.append("described features: " + ", ".join(sorted(features)[:4]))
    # Another recogniser's evidence on the same words ("genie" read as a
    # name and as the description's "genie") is the same evidence again.
    independent = [
        score
        for span, score in other_best.get(m.asset_id, ())
        if span is None or not _overlap(span, m.span)
    ]
    if independent:
        bonus += 0.5 * max(independent)
        why.append("another recogniser found it too")
    if s.cues.capitalised and character_works - {m.entry.work_id}:
        bonus += CROSSOVER_BONUS
        why.append("named alongside another character")
    # Rounded: sums of tenths must meet the threshold exactly (0.7 - 0.5 + 0.3).
    return round(min(1.0, s.score + bonus), 4), why


def _own_name_goes_on(
    s: Scored, facts: PromptFacts, names_of: Callable[[str], Sequence[str]]
) -> Scored:
    """A name followed by a slip of another word of the character's own full name.

    "Kenshn Himora": "Kenshn" reads as Kenshin, and "Himora" after it is no
    stranger's surname but one letter off the registered "Himura". Such a
    name goes on as the character's own, not as someone else's.
    """
    if s.cues.name_before:
        s = _own_name_before(s, facts, names_of(s.match.asset_id))
    if not (s.cues.name_after or s.cues.capitalised_after):
        return s
    nxt = facts.word_after(s.match.span.end)
    if nxt is None:
        return s
    names = names_of(s.match.asset_id)
    if nxt.text.lower() in _NAME_PARTICLES:
        # "Shun de Andrômeda": the registered "Andromeda Shun", as Portuguese
        # writes it; the word after the particle is the character's own.
        own = facts.word_after(nxt.end)
        if own is None or not _near_a_name_word(own.text, names, exact=True):
            return s
        why = f"followed by its own name after '{nxt.text}'"
        # Both halves of the registered full name are there: each holds the other up.
        bonus = SAME_WORK_BONUS
    elif _near_a_name_word(nxt.text, names):
        why = "followed by its own full name, misspelt"
        bonus = 0.0
    else:
        return s
    cues = replace(s.cues, name_after=False, capitalised_after=False)
    score, reasons = adjusted_score(s.match, cues)
    return Scored(s.match, round(min(1.0, score + bonus), 4), [*reasons, why], cues)


def _own_name_before(s: Scored, facts: PromptFacts, names: Sequence[str]) -> Scored:
    """A name after a word that sounds like another word of the character's own names.

    "Pegasasu Seiya": the katakana ペガサス of the registered "Pegasus Seiya"
    read in romaji, no stranger's given name.
    """
    prev = facts.word_before(s.match.span.start)
    if prev is None or not _near_a_name_word(prev.text, names, exact=True, by_sound=True):
        return s
    cues = replace(s.cues, name_before=False)
    score, reasons = adjusted_score(s.match, cues)
    return Scored(s.match, score, [*reasons, "after its own full name, as spelt by sound"], cues)


#: Sound key length from which a word may be two edits from a name word.
_LONG_NAME_WORD = 7


#: Particles between the parts of a name ("Geralt of Rivia", "Shun de Andrômeda").
_NAME_PARTICLES = frozenset(
    [
        *("of", "di", "de", "del", "della", "dei", "da", "do", "dos", "das", "du", "des"),
        *("von", "van", "der", "d", "z"),
    ]
)


#: Shortest name word a slip is read for: "Himura" takes one, "Bob" none.
_MIN_NAME_WORD = 4


def _near_a_name_word(
    word: str, names: Sequence[str], *, exact: bool = False, by_sound: bool = False
) -> bool:
    """``word`` one edit from a word of ``names``.

    The same word counts only when ``exact`` is asked: right after the name
    it would have matched with it as the registered full name. ``by_sound``
    compares sound keys and allows a long word two edits: katakana gives
    consonants vowels of their own, so a romanised katakana name ("pegasasu")
    is two edits from the English word it renders.
    """
    key_of = latin_key if by_sound else plain_key
    typed = key_of(word)
    if len(typed) < _MIN_NAME_WORD:
        return False
    allowed = 2 if by_sound and len(typed) >= _LONG_NAME_WORD else 1
    for name in names:
        for part in _NAME_WORD.findall(name):
            key = key_of(part)
            if len(key) < _MIN_NAME_WORD or (key == typed and not exact):
                continue
            if OSA.distance(key, typed) <= allowed:
                return True
    return False


_NAME_WORD = re.compile(r"[^\W\d_]+")


def _credited_throughout(scored: list[Scored]) -> list[Scored]:
    """A name the prompt credits to another source is that figure at every mention.

    "a scene from The Tale of Genji: Prince Genji composing a poem": the
    second "Genji" is the tale's prince, as the first is.
    """
    credited = {(s.match.asset_id, s.match.surface.lower()) for s in scored if s.cues.other_source}
    if not credited:
        return scored
    out = []
    for s in scored:
        if not s.cues.other_source and (s.match.asset_id, s.match.surface.lower()) in credited:
            cues = replace(s.cues, other_source=True)
            score, reasons = adjusted_score(s.match, cues)
            s = Scored(s.match, score, reasons, cues)
        out.append(s)
    return out


def _within_any(span: Span | None, spans: Sequence[Span]) -> bool:
    """Whether ``span`` lies inside one of ``spans``."""
    return span is not None and any(s.start <= span.start and span.end <= s.end for s in spans)


def _registered_name_of_another(evidence: Evidence, matches: Sequence[Match]) -> bool:
    """A coined nickname that is, letter for letter, another asset's registered name.

    "Ultraman" joins "ultra" (a word of Ultraseven's names) to "man", but it
    is Ultraman's own name: whatever that match comes to, the nickname
    reading of the same words is no evidence for another character.
    """
    return evidence.kind == "epithet" and any(
        m.span == evidence.span and m.asset_id != evidence.asset_id and m.mode == "exact"
        for m in matches
    )


def _said_to_be_something_else(cues: Cues) -> bool:
    """Cues that name the thing or person outright: a ship, a brand, a place, someone else."""
    return (
        cues.category_before
        or cues.brand_after
        or cues.place_after
        or cues.someone_else
        or cues.name_before
    )


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
