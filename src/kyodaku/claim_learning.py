"""Learning from an upheld claim: which phrases of the prompt did screening miss?

When a rights holder shows that a video used their character and the gate let
it through, the prompt usually called the character something the registry
did not list ("the Straw Hat captain", a fan nickname). kyodaku proposes those
phrases as new aliases (for a character) or terms (for a work); nothing is
added until the rights holder accepts, and accepting makes a new registry
version. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kyodaku.screen.types import Span

#: Words that carry no identity: function words and the vocabulary of video
#: prompts themselves. A proposal made only of these would block everyone.
_STOP_WORDS = """
    a an the and or but of in on at to for from with without by over under into onto up down out
    is are was were be been being am do does did has have had this that these those it its his
    her their our your my we you they he she him them as than then so very just also while when
    where who whom which what how not no yes all any some each every one two three four five six
    seven eight nine ten first second third next last new old big small little large tiny giant
    shot shots scene scenes camera cam close closeup close-up wide pan panning zoom tracking
    drone aerial slow motion fast cinematic anime style live-action video clip film movie
    trailer ad commercial spot second seconds minute minutes frame frames light lighting music
    sound score background foreground sunset sunrise night day morning evening dramatic epic
    soft warm cold looking walks walking runs running standing sitting doing makes making shows
    showing
"""
_STOP = frozenset(_STOP_WORDS.split())

#: Latin letters, accented ones and their full-width forms (an obfuscation screening folds).
_LATIN_LETTER = "A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a"
_LATIN_WORD = re.compile(rf"[{_LATIN_LETTER}][{_LATIN_LETTER}0-9\uff10-\uff19'’\-\.]*")
_CJK_RUN = re.compile(r"[\u30a0-\u30ff\u3040-\u309f\u4e00-\u9fff\u3400-\u4dbf\uff66-\uff9f・ー]+")
#: Case particles end a Japanese noun phrase (の joins one, so it stays).
_PARTICLE_SPLIT = re.compile(r"[がをにはでへもやと]")
#: Longest Latin phrase proposed ("Humanity's Strongest Soldier" is three).
_MAX_WORDS = 4
#: Below this a phrase is more likely description than name: not worth a reviewer's time.
_MIN_SCORE = 0.35
_KANA_PARTICLES = re.compile(r"^[のがをにはでへもやと]+|[のがをにはでへもやと]+$")


@dataclass(frozen=True)
class PhraseProposal:
    phrase: str
    span: Span
    score: float
    why: str


def phrase_key(text: str) -> str:
    """The form two phrases are compared in: ``ＨＯＳＨＩ`` and ``hoshi`` are one phrase."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def propose_phrases(
    prompt: str, covered: Sequence[Span], known: Iterable[str], limit: int = 5
) -> list[PhraseProposal]:
    """Phrases of ``prompt`` outside ``covered`` spans that could name the asset, best first.

    ``known`` holds the asset's registered names, aliases, titles and terms
    (any case or width) so nothing already listed is proposed again.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    known_keys = {phrase_key(k) for k in known}
    candidates: dict[str, PhraseProposal] = {}
    for proposal in _latin_phrases(prompt) + _cjk_phrases(prompt):
        if _overlaps(proposal.span, covered):
            continue
        key = phrase_key(proposal.phrase)
        if key in known_keys or len(key) < _min_length(key):
            continue
        best = candidates.get(key)
        if best is None or proposal.score > best.score:
            candidates[key] = proposal
    ranked = sorted(candidates.values(), key=lambda p: (-p.score, p.span.start))
    chosen: list[PhraseProposal] = []
    for proposal in ranked:
        # A fragment of a phrase already proposed adds nothing for the reviewer.
        inside = any(
            c.span.start <= proposal.span.start and proposal.span.end <= c.span.end for c in chosen
        )
        if not inside:
            chosen.append(proposal)
        if len(chosen) == limit:
            break
    return chosen


def _min_length(key: str) -> int:
    """Two kanji make a name (悟空); two Latin letters make noise."""
    return 2 if _CJK_RUN.search(key) else 3


def _overlaps(span: Span, covered: Sequence[Span]) -> bool:
    return any(span.start < c.end and c.start < span.end for c in covered)


def _latin_phrases(prompt: str) -> list[PhraseProposal]:
    """Runs of words separated only by spaces, cut into chunks of up to four words."""
    words = [(m.group().rstrip(".-'’"), m.start()) for m in _LATIN_WORD.finditer(prompt)]
    out: list[PhraseProposal] = []
    run: list[tuple[str, int]] = []
    previous_end = 0
    for word, start in words:
        # Punctuation, quotes or another script between two words ends a phrase.
        if run and prompt[previous_end:start].strip():
            out.extend(_latin_chunks(prompt, run))
            run = []
        previous_end = start + len(word)
        if word and (run or not _is_stop(word)):
            run.append((word, start))
    out.extend(_latin_chunks(prompt, run))
    return out


def _latin_chunks(prompt: str, run: list[tuple[str, int]]) -> list[PhraseProposal]:
    """Every chunk of the run that could be a name, scored.

    Names are capitalised noun phrases: capitals are rewarded and longer
    phrases preferred a little; a stop word may sit inside a name only
    between capitalised words ("Pip of Lantern Hill", not "fireflies over a
    pond"); a lower-case verb form ("chasing", "painted") says the phrase
    describes an action or manner rather than names someone.
    """
    out: list[PhraseProposal] = []
    for size in range(min(_MAX_WORDS, len(run)), 0, -1):
        for i in range(len(run) - size + 1):
            chunk = run[i : i + size]
            first, last = chunk[0][0], chunk[-1][0]
            if _is_stop(first) or _is_stop(last):
                continue
            inner_stop = any(_is_stop(w) for w, _ in chunk[1:-1])
            if inner_stop and not (first[:1].isupper() and last[:1].isupper()):
                continue
            content = [w for w, _ in chunk if not _is_stop(w)]
            capitals = sum(1 for w in content if w[:1].isupper())
            score = 0.3 + 0.05 * size + 0.6 * capitals / len(content)
            if any(_is_inflected(w) for w in content):
                score -= 0.3
            if score < _MIN_SCORE:
                continue
            start, end = chunk[0][1], chunk[-1][1] + len(last)
            why = "capitalised phrase" if capitals == len(content) else "content phrase"
            out.append(PhraseProposal(prompt[start:end], Span(start, end), round(score, 3), why))
    return out


def _is_stop(word: str) -> bool:
    return phrase_key(word) in _STOP


def _is_inflected(word: str) -> bool:
    """A lower-case verb or adverb form ("chasing", "painted", "slowly")."""
    return word[:1].islower() and len(word) > 4 and word.endswith(("ing", "ed", "ly"))


def _cjk_phrases(prompt: str) -> list[PhraseProposal]:
    """Japanese runs cut at case particles; katakana runs are the likeliest names."""
    out: list[PhraseProposal] = []
    pieces: list[tuple[str, int]] = []
    for m in _CJK_RUN.finditer(prompt):
        offset = m.start()
        for part in _PARTICLE_SPLIT.split(m.group()):
            pieces.append((part, offset))
            offset += len(part) + 1
    for text, piece_start in pieces:
        trimmed = _KANA_PARTICLES.sub("", text)
        if len(trimmed) < 2 or _is_inflected_japanese(trimmed):
            continue
        start = piece_start + text.index(trimmed)
        katakana = sum(1 for ch in trimmed if _is_katakana(ch))
        score = 0.4 + 0.5 * katakana / len(trimmed)
        why = "katakana name-like run" if katakana == len(trimmed) else "Japanese phrase"
        out.append(PhraseProposal(trimmed, Span(start, start + len(trimmed)), round(score, 3), why))
    return out


def _is_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f"


def _is_inflected_japanese(text: str) -> bool:
    """Kanji followed by a kana ending (飛ぶ, 美しい) is a verb or adjective, not a name."""
    ends_in_hiragana = "\u3040" <= text[-1] <= "\u309f"
    all_hiragana = all("\u3040" <= ch <= "\u309f" for ch in text)
    return ends_in_hiragana and not all_hiragana
