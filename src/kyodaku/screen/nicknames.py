"""Nicknames coined from a character's own registered words.

Fans name characters by what they are: "the web-head" for the hero whose
description swings on webs, "Jumpman" for the plumber "who jumps on
enemies", "Kitty White" for the "white cartoon kitten" registered as Hello
Kitty. None of these is listed, yet each is built from one of the
character's registered words by one of two regular patterns of English
nicknames:

* **compound nicknames**: a registered word joined to a person or body noun
  ("web-head", "Jumpman", "bug-eyes" is not one: "eyes" is no person) when
  the whole is no word of its own ("fireman", "egghead" and "Spiderman" are
  words, or names of somebody else, and say nothing);
* **name plus identity**: a word of the character's multi-word name beside a
  word of what its description says it *is* (its opening noun phrase, "A
  white cartoon kitten"), both capitalised as a personal name is.

Either counts only when exactly one character owns the registered word (or
the rest of the prompt clearly prefers one), and only when the phrase is
used as a name: capitalised, or after "the". Nothing here knows any
character; the functions read the description recogniser's compiled index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import numpy as np

from kyodaku.registry.model import Character
from kyodaku.screen.lexicon import is_word
from kyodaku.screen.types import Evidence, Span

__all__ = ["NICKNAME_HEADS", "compound_nicknames", "name_with_identity"]

#: Person and body nouns that make a nickname of a word before them. A
#: closed class of general English.
NICKNAME_HEADS = frozenset(
    [
        *("head", "heads", "face", "brain", "brains"),
        *("man", "men", "woman", "boy", "girl", "kid", "guy", "gal", "lady", "dude", "bro"),
        *("lord", "king", "queen", "master", "meister"),
    ]
)
#: A joined compound at least this common in English (Zipf) is a word or a
#: famous name of its own ("snowman" 3.2, "Spiderman" 3.2), not a nickname.
MAX_COMPOUND_ZIPF = 2.5
#: The registered word must be at least this distinctive (description weight).
MIN_WORD_WEIGHT = 0.4
#: A registered word that this many characters share singles nobody out.
MAX_OWNERS = 8
#: With several owners, the winner's lead in the prompt's description evidence.
WINNER_MARGIN = 0.5
COMPOUND_SCORE = 0.6
IDENTITY_SCORE = 0.6
_MIN_PART = 3


class _Token(Protocol):
    start: int
    end: int
    folded: str
    key: str
    is_content: bool
    segment: int
    hyphen_before: bool
    capitalised: bool
    colour: int


class _KeyLists(Protocol):
    def __getitem__(self, key_id: int) -> np.ndarray: ...


class NicknameIndex(Protocol):
    """What the nickname patterns read from the description recogniser's index."""

    key_ids: Mapping[str, int]
    weight: np.ndarray
    postings: _KeyLists  # characters whose description holds a key
    name_postings: _KeyLists  # characters whose names or aliases hold it
    characters: Sequence[Character]


def compound_nicknames(
    tokens: Sequence[_Token],
    index: NicknameIndex,
    totals: Mapping[int, float],
    key_of: Callable[[str], str],
    zipf_of: Callable[[str], float],
) -> list[Evidence]:
    """ "the web-head", "Jumpman": a character's own word joined to a person noun.

    ``totals`` is the prompt's description evidence per character (it breaks
    ties between owners); ``key_of`` and ``zipf_of`` are the description
    recogniser's word key and English frequency functions.
    """
    out: list[Evidence] = []
    for position, token in enumerate(tokens):
        found = _compound_at(tokens, position, key_of, zipf_of)
        if found is None:
            continue
        first, word = found
        key_id = index.key_ids.get(key_of(word))
        if key_id is None or float(index.weight[key_id]) < MIN_WORD_WEIGHT:
            continue
        if not (tokens[first].capitalised or _after_the(tokens, first)):
            continue
        owner = _single_owner(index, key_id, totals)
        if owner is None:
            continue
        character = index.characters[owner]
        out.append(
            Evidence(
                asset_id=character.id,
                recogniser="description",
                kind="epithet",
                span=Span(tokens[first].start, token.end),
                matched=word,
                score=COMPOUND_SCORE,
                detail=(
                    f"nickname built from '{word}', a word of {character.display_name}'s "
                    "registered description or names that no other character owns"
                ),
            )
        )
    return out


def _compound_at(
    tokens: Sequence[_Token],
    position: int,
    key_of: Callable[[str], str],
    zipf_of: Callable[[str], float],
) -> tuple[int, str] | None:
    """(first token, registered-word candidate) of a nickname ending at ``position``."""
    token = tokens[position]
    folded = token.folded
    if not (folded.isascii() and folded.isalpha()):
        return None
    if token.hyphen_before and position > 0 and folded in NICKNAME_HEADS:
        previous = tokens[position - 1]
        word = previous.folded
        joined = word + folded
        if (
            previous.is_content
            and not previous.colour
            and word.isascii()
            and word.isalpha()
            and len(word) >= _MIN_PART
            and not is_word(joined)
            and zipf_of(joined) < MAX_COMPOUND_ZIPF
        ):
            return position - 1, word
        return None
    if token.hyphen_before or not token.is_content or is_word(folded):
        return None
    if zipf_of(folded) >= MAX_COMPOUND_ZIPF:
        return None
    for head in NICKNAME_HEADS:
        if folded.endswith(head) and len(folded) - len(head) >= _MIN_PART:
            word = folded[: -len(head)]
            if zipf_of(word) > 0 and key_of(word):
                return position, word
    return None


def _after_the(tokens: Sequence[_Token], position: int) -> bool:
    return (
        position > 0
        and tokens[position - 1].folded == "the"
        and tokens[position - 1].segment == tokens[position].segment
    )


def _single_owner(index: NicknameIndex, key_id: int, totals: Mapping[int, float]) -> int | None:
    """The one character whose own description or names hold ``key_id``.

    Characters that hold it only through their work's terms do not count:
    a nickname is about one individual. Several owners are separated by the
    rest of the prompt's description evidence, or not at all.
    """
    owners = np.union1d(index.postings[key_id], index.name_postings[key_id]).tolist()
    if not owners or len(owners) > MAX_OWNERS:
        return None
    if len(owners) == 1:
        return int(owners[0])
    ranked = sorted(owners, key=lambda c: -totals.get(c, 0.0))
    lead = totals.get(ranked[0], 0.0) - totals.get(ranked[1], 0.0)
    return int(ranked[0]) if lead >= WINNER_MARGIN else None


def name_with_identity(
    tokens: Sequence[_Token],
    index: NicknameIndex,
    identity_of: Callable[[Character], Sequence[str]],
) -> list[Evidence]:
    """ "Kitty White": a word of one character's name beside a word of what it is.

    Exactly two capitalised words in a row, alone (no third capitalised word
    beside them): one is a word of a multi-word registered name of exactly
    one character (and no name on its own), the other a key of that
    character's identity phrase (``identity_of``) and none of its names.
    """
    out: list[Evidence] = []
    for position in range(len(tokens) - 1):
        a, b = tokens[position], tokens[position + 1]
        if not _name_pair(tokens, position):
            continue
        for name_token, other in ((a, b), (b, a)):
            character = _identity_match(index, name_token, other, identity_of)
            if character is None:
                continue
            out.append(
                Evidence(
                    asset_id=character.id,
                    recogniser="description",
                    kind="epithet",
                    span=Span(a.start, b.end),
                    matched=f"{name_token.folded} {other.folded}",
                    score=IDENTITY_SCORE,
                    detail=(
                        f"'{name_token.folded}' of {character.display_name}'s registered name "
                        f"beside '{other.folded}', what its description says it is"
                    ),
                )
            )
            break
    return out


def _name_pair(tokens: Sequence[_Token], position: int) -> bool:
    a, b = tokens[position], tokens[position + 1]
    if not (a.capitalised and b.capitalised and a.is_content and b.is_content):
        return False
    if a.segment != b.segment or b.hyphen_before:
        return False
    if not all(t.folded.isascii() and t.folded.isalpha() for t in (a, b)):
        return False
    before = tokens[position - 1] if position > 0 else None
    after = tokens[position + 2] if position + 2 < len(tokens) else None
    for beside in (before, after):
        if beside is not None and beside.segment == a.segment and beside.capitalised:
            return False
    return True


def _identity_match(
    index: NicknameIndex,
    name_token: _Token,
    other: _Token,
    identity_of: Callable[[Character], Sequence[str]],
) -> Character | None:
    key_id = index.key_ids.get(name_token.key)
    if key_id is None:
        return None
    owners = index.name_postings[key_id]
    if len(owners) != 1:
        return None
    character = index.characters[int(owners[0])]
    names = [n.casefold() for n in character.all_names]
    if name_token.folded in names or not any(
        " " in n or "-" in n for n in names if name_token.folded in n.split()
    ):
        return None
    if other.key not in identity_of(character):
        return None
    if any(other.folded in n.replace("-", " ").split() for n in names):
        return None
    return character
