"""Reading the prompt around a match: the cues that say what a name means there.

Disambiguation (:mod:`kyodaku.screen.disambiguation`) scores a match from
its lexical class and how it was typed, then moves the score by what the
prompt says around it. This module reads those cues, one flag each in
:class:`Cues`, and knows nothing of scores:

* who or what the name is: an honorific or a given name before it, a
  surname after it, an apposition (", our Siberian husky"), "named";
* what kind of thing it is: a category noun before it ("the planet
  Mercury"), a product noun after it ("Vegeta seasoning"), a place, event
  or period ("the Naruto Strait", "the Woodstock festival", "Springfield,
  Illinois"), a pet or an animal before a CJK name (大熊猫乐乐);
* where it comes from: a public-domain source or creator credited in the
  same sentence ("from the 16th-century novel", "Shakespeare's", 西遊記の);
* how it is written: capitalised as a name, in lower case in a prompt that
  capitalises names, as the acting subject ("Sonic eating a chili dog"), as
  an everyday word of the prompt's language ("Himmel" in German), with a
  Korean particle of its own (슬픔이가).

Cue words are general vocabulary of the languages prompts come in
(honorifics, determiners, generic nouns, words for myths and novels, names
of public-domain creators and of US states), never registered names. Pure:
word lists come from packages loaded once (:mod:`kyodaku.screen.lexicon`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kyodaku.screen.cjk_cues import read_cjk_cues, subject_particle_at
from kyodaku.screen.languages import FUNCTION_WORDS, prompt_languages, vocabulary
from kyodaku.screen.lexicon import (
    english_zipf,
    given_name_rank,
    is_proper_noun,
    is_word,
    surname_rank,
    word_key,
)
from kyodaku.screen.matches import Match
from kyodaku.screen.normalise import fold, plain_key
from kyodaku.screen.types import Span

_DETERMINERS = vocabulary(
    """
    a an the our my your his her their its this that these those one some another
    """
)
_HONORIFICS = vocabulary(
    """
    king queen emperor empress saint st president senator governor mayor pope prime
    minister chancellor dr mr mrs ms sir dame lord lady tsar czar sultan prophet professor
    prof judge general admiral colonel san santa santo são sankt
    """
)
#: Generic nouns that, right before a name, make it the name *of* that thing.
_CATEGORY_NOUNS = vocabulary(
    """
    letter number word planet moon star comet constellation galaxy asteroid nebula ship
    battleship boat yacht car aircraft plane jet brand company poem play opera painting
    motto slogan phrase saying inscription
    band song album film movie book novel restaurant hotel cafe shop store bar city town
    village river lake mountain mount island street station province prefecture county
    district region state country hurricane typhoon storm font singer actor actress player
    footballer chef artist painter sculptor author writer poet scientist politician surfer
    athlete boxer dancer model boy girl man woman kid toddler baby grandfather grandmother
    grandpa grandma uncle aunt dog cat puppy kitten horse parrot hamster tabby
    racehorse stallion mare colt filly thoroughbred warship cruiser destroyer submarine
    frigate liner tanker locomotive
    nonna nonno abuela abuelo abuelita mamie papi oma opa avó avô tía tío zia zio tante
    god goddess demigod angel archangel nymph prophet apostle pharaoh
    """
)
#: Nouns of goods sold under brand names (condiments, staples, household and
#: personal-care products, drinks, tobacco): right after a name ("Vegeta
#: seasoning", "Joker whisky") they make it the name of a product line, not
#: of the character. Themed goods ("Pikachu cake", "Mario plush") are not
#: here: those do show the character.
_BRAND_NOUNS = vocabulary(
    """
    seasoning seasonings condiment condiments spice spices sauce sauces ketchup mayonnaise
    mustard vinegar marinade bouillon stock margarine flour yeast soap soaps detergent
    shampoo conditioner toothpaste deodorant lotion beer beers lager ale vodka whisky whiskey
    gin rum liqueur brandy cigarettes cigarette cigars tobacco brand vacuum vacuums cleaner
    cleaners blender mixer toaster kettle appliance appliances probe satellite spacecraft
    rocket orbiter juice juices soda cola cereal crisps bank cocktail cocktails amplifier
    amplifiers amp amps
    """
)
#: Goods sold by grade or size, named with letters and digits ("a 2B pencil",
#: "A4 paper", "B12 vitamins", "AA batteries"): after such a designation the
#: designation is the grade, not a character called so.
_GRADED_NOUNS = vocabulary(
    """
    pencil pencils lead leads paper papers sheet sheets envelope envelopes size format vitamin
    vitamins battery batteries cell cells steel bolt bolts screw screws road motorway highway
    """
)
_DESIGNATION = re.compile(r"(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]{2,4}")
#: A household named by its family name ("the Sohma house", "the Kamado family").
_HOUSEHOLD_NOUNS = vocabulary("house household family clan residence estate mansion manor home")
#: A portion of something before a lower-case word: that word is a food or
#: material ("a plate of ratatouille", "a bag of senbei").
_PORTION_OF = re.compile(
    r"\b(?:plate|plates|bowl|bowls|cup|cups|glass|glasses|slice|slices|bottle|bottles|jar|"
    r"jars|pot|pan|piece|pieces|bag|bags|box|boxes|pack|tray|spoonful|handful|serving|"
    r"servings|portion|portions|loaf|can|cans|tin|tins)\s+of\s+$",
    re.IGNORECASE,
)
#: Nouns that a scientist's, inventor's or maker's name opens ("the Calvin
#: cycle", "the Doppler effect", "Ruby code"): the name is that thing's.
_EPONYM_NOUNS = vocabulary(
    """
    cycle effect theorem equation equations law laws principle syndrome disease paradox
    constant conjecture hypothesis inequality lemma algorithm code script scale reflex
    """
)
#: Nouns of places, landforms, periods and named events: right after a
#: character's name or a title ("the Naruto Strait", "Saitama Prefecture",
#: "the Asuka period", "the Woodstock festival") they make it the name of that
#: place, period or event. "castle" and "kingdom" are not here: a character's
#: castle is still the character's.
_PLACE_NOUNS = vocabulary(
    """
    strait straits bridge river lake lakes mountain mountains mount prefecture province
    city town village station temple shrine period era dynasty street avenue road park
    airport university bay island islands peninsula whirlpool whirlpools falls canyon
    valley county district region harbor harbour port cape coast
    festival festivals marathon triathlon regatta tournament championship championships
    pyramid pyramids ruins civilization civilisation empire calendar
    """
)
#: A hyphenated compound and the word after it ("-dera temple").
_COMPOUND_THEN_WORD = re.compile(r"^-[a-z]+ ([A-Za-z]+)")
#: A US state or Canadian province after a comma: the name is a real town's.
_IN_A_STATE = re.compile(
    r",\s*(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|"
    r"Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|"
    r"Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|"
    r"Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|"
    r"Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|"
    r"Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Ontario|Quebec|"
    r"British Columbia|Alberta|Manitoba|Nova Scotia)\b"
)
#: Prepositions of place: "… in Saitama." at the end of a clause is a place.
_LOCATIVE = vocabulary("in near around outside across throughout")
#: A given name at least this common (US Census rank) before a registered
#: name makes that a surname ("Jack Kirby"); rarer given names must also be
#: no English word ("Young Link" is no person).
_GIVEN_NAME_RANK = 300
#: A surname at least this common after a registered name makes it someone's
#: given name ("Rémy Martin").
_SURNAME_RANK = 1000
#: ...and names down to this rank whose word is rarer than everyday English
#: (Zipf below :data:`_EVERYDAY_WORD_ZIPF`): "Mona Lisa".
_RARE_WORD_NAME_RANK = 1000
_EVERYDAY_WORD_ZIPF = 4.0
#: Below this Zipf frequency a dictionary word is out of use in English
#: ("stich" 2.1, "sully" 3.1): typed for a name it sounds like, it is a slip.
_WORD_IN_USE_ZIPF = 2.5
_PLACE_OF = re.compile(
    r"\b(?:city|town|village|island|islands|province|prefecture|county|state|port|region|"
    r"district|coast|shore|shores|streets|outskirts|suburbs|capital|bay|gulf|harbor|harbour|"
    r"pillars|gates|temple|tomb|ruins)"
    r"\s+of\s*$",
    re.IGNORECASE,
)
#: "the village of …" in the languages prompts come in ("il borgo di Sora").
_ROMANCE_PLACE_OF = re.compile(
    r"\b(?:borgo|città|paese|villaggio|comune|ciudad|pueblo|villa|ville|village|cidade|vila|"
    r"aldeia|Stadt|Dorf|gare|estación|stazione|estação)\s+(?:di|de|du|d['’]|da|do)\s*$",
    re.IGNORECASE,
)
#: "known as" before a name: the nickname of whoever was named before it.
_KNOWN_AS = re.compile(r"\b(?:known|better known|also known) as$", re.IGNORECASE)
_NAMED = vocabulary(
    """
    named called nicknamed dubbed aka namens genannt nommé nommée appelé appelée llamado
    llamada chiamato chiamata chamado chamada
    """
)
#: What may stand between a generic noun and the name it classifies: "his
#: poem 'Howl'", "the ship “Mikasa”".
_SPACE_OR_QUOTE = frozenset([" ", " '", ' "', " ‘", " “"])
#: A nickname quoted between a person's given name and surname ("Manny
#: 'Pac-Man' Pacquiao", "Earvin \"Magic\" Johnson"): the text before the
#: match, and the text after it.
_QUOTED_NICKNAME = re.compile(r"(?:^|.*\s)[A-Z][a-z]+\s+['\"‘“]$", re.DOTALL)
_QUOTED_NICKNAME_AFTER = re.compile(r"['\"’”]\s+[A-Z][a-z]+")
#: Capitalised words that open the proper name of a place: "the River
#: Clyde", "Mount Olympus", "Lake Placid", "Cape Cod", "Port Arthur".
_PLACE_TITLES = frozenset(
    ["River", "Lake", "Loch", "Mount", "Mt", "Cape", "Port", "Fort", "Isle", "Glen", "Bay"]
)
_APPOSITION = re.compile(
    r"^\s*,\s*(?:a|an|the|our|my|his|her|their|this|that|one|notre|mon|ma|nuestro|nuestra|"
    r"mi|il nostro|la nostra|unser|unsere|mein|meine|o nosso|a nossa|"
    r"ein|eine|einer|un|une|una|uno|um|uma)\b",
    re.IGNORECASE,
)
#: "Tama, our calico cat": the speaker's own pet or person, whatever it is.
_OUR_APPOSITION = re.compile(
    r"^\s*,\s*(?:our|my|notre|mon|ma|nos|mes|nuestro|nuestra|mi|il nostro|la nostra|"
    r"il mio|la mia|unser|unsere|unserer|mein|meine|o nosso|a nossa|o meu|a minha|onze|mijn)\b",
    re.IGNORECASE,
)
_SOURCE_WORDS = (
    r"novel|novels|myth|myths|mythology|legend|legends|folklore|folktale|folk\s+tale|"
    r"fairy\s*tale|fable|epic|opera|scripture|bible|sutra|saga|poem|classic"
)
#: Any character that does not end the sentence; the full stop of an
#: initial ("E. H. Shepard", "A. A. Milne") does not.
_IN_SENTENCE = r"(?:[^.!?。！？]|(?<=\b[A-Z])\.)"
_FROM_SOURCE = re.compile(
    # "from the/a … novel", "of (the) … myth"; "the first line of a novel" is no source
    r"^" + _IN_SENTENCE + r"{0,120}?\b(?:from\s+(?:the\s+|an?\s+)?|of\s+(?!an?\s)(?:the\s+)?)"
    r"(?:[\w'’.-]+\s+){0,5}(?:" + _SOURCE_WORDS + r")\b",
    re.IGNORECASE,
)
#: A dated edition old enough to be in the public domain ("in A. A. Milne's
#: 1926 book", "from Andersen's 1844 fairy tale"): published before 1931.
_OLD_EDITION = re.compile(
    r"^" + _IN_SENTENCE + r"{0,120}?\b(?:from|in|of|by)\s+(?:[\w'’.-]+\s+){0,5}?"
    r"(?:1[0-8]\d\d|19[0-2]\d|1930)\s+(?:[\w-]+\s+)?"
    r"(?:book|books|novel|story|stories|tale|tales|poem|play|edition|illustrations?|"
    r"cartoon|comic|strip|film|" + _SOURCE_WORDS + r")\b",
    re.IGNORECASE,
)
_SENTENCE_END = frozenset(".!?:;。！？…\n")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
#: Size and age words say nothing of whom a description is: "a dobby loom
#: weaving a small pattern" shares "small" with "a small house-elf".
_GENERIC_SIZE = vocabulary("small little big large tall short long tiny huge young old new")
_STEM_SUFFIXES = ("ing", "ed", "es", "s")
#: Small words a title-cased name may leave in lower case ("the Joker", "Attack on Titan").
_FUNCTION_WORDS = vocabulary(
    "the a an of on in at to for by with from and or as no de d la le du von van x vs n"
)
_STOPWORDS = vocabulary(
    """
    a an the and or of in on at to for with by from into onto over under his her its their
    he she it they him them this that is are was be been as while who which whose has have
    had there here up down out off one two three very also just than then like
    """
)


# ---------------------------------------------------------------- prompt facts


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int


@dataclass
class PromptFacts:
    """What disambiguation needs to know about the prompt as a whole."""

    prompt: str
    words: list[Word]
    cased: bool  # the author capitalises words mid-sentence
    stems: frozenset[str]
    word_starts: list[int] = field(default_factory=list)
    word_ends: list[int] = field(default_factory=list)
    #: Titles in 《》『』〈〉「」 brackets (other works a CJK prompt cites).
    cjk_titles: list[str] = field(default_factory=list)
    #: Whether the prompt mentions antiquity or a classic story collection at
    #: all (only then is each match's sentence looked at).
    antique: bool = False
    #: Other languages than English the prompt is written in.
    languages: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.word_starts = [w.start for w in self.words]
        self.word_ends = [w.end for w in self.words]
        self.cjk_titles = _CJK_TITLE.findall(self.prompt)
        self.antique = _ANTIQUE_CONTEXT.search(self.prompt) is not None
        self.languages = prompt_languages(self.prompt)

    @classmethod
    def of(cls, prompt: str) -> PromptFacts:
        words = [Word(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(prompt)]
        cased = any(
            w.text[:1].isupper() and not w.text.isupper() and not sentence_start(prompt, w.start)
            for w in words
        )  # an acronym ("TV") says nothing of how the author writes names
        stems = frozenset(stem(w.text) for w in words if w.text.lower() not in _STOPWORDS)
        return cls(prompt, words, cased, stems)

    def word_before(self, pos: int) -> Word | None:
        """The last word ending at or before ``pos``."""
        i = bisect.bisect_right(self.word_ends, pos)
        return self.words[i - 1] if i > 0 else None

    def word_after(self, pos: int) -> Word | None:
        """The first word starting at or after ``pos``."""
        i = bisect.bisect_left(self.word_starts, pos)
        return self.words[i] if i < len(self.words) else None


def sentence_start(prompt: str, pos: int) -> bool:
    """Whether ``pos`` begins a sentence (or a shot: "Shot 2: Charizard ...")."""
    before = prompt[:pos].rstrip(" \t\"'“‘(「【[")
    return not before or before[-1] in _SENTENCE_END


@lru_cache(maxsize=65536)  # prompt words recur; every match of a prompt asks again
def stem(word: str) -> str:
    """A crude English stem: enough to meet "crouched" with "crouches"."""
    w = word.lower()
    for suffix in _STEM_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


@lru_cache(maxsize=65536)
def description_stems(description: str) -> frozenset[str]:
    words = _WORD_RE.findall(description)
    return frozenset(stem(w) for w in words if w.lower() not in _STOPWORDS and len(w) > 2)


# ---------------------------------------------------------------- per-match cues


@dataclass
class Cues:
    """Context around one match; each flag is one reason to doubt or trust it."""

    at_start: bool = False
    capitalised: bool = False
    proper_usage: bool = False
    lower_usage: bool = False
    determiner_before: bool = False
    capitalised_after: bool = False
    honorific_before: bool = False
    apposition: bool = False
    named: bool = False
    category_before: bool = False
    compound: bool = False
    other_source: bool = False
    brand_after: bool = False
    surface_is_word: bool = False
    name_before: bool = False
    name_after: bool = False
    someone_else: bool = False
    place_after: bool = False
    locative: bool = False
    acting_subject: bool = False
    local_word: bool = False
    #: A title asked for as a work: its world, style or fan works
    #: (カンフー・パンダの世界観で, "in the style of Kung Fu Panda").
    work_style: bool = False
    #: A Korean name that takes its own particle (슬픔이가, 기쁨이와): the -이
    #: is the name's, not the subject particle of the noun (슬픔이 "sadness").
    particle_after: bool = False


def cues_for(
    match: Match,
    facts: PromptFacts,
    match_starts: set[int],
    description: str = "",
    word_languages: Mapping[str, frozenset[str]] | None = None,
) -> Cues:
    """Read the prompt around a match (see the module docs for each cue).

    ``description`` is the registered description of the matched character
    (empty for works): an apposition that calls the name something the
    description does not ("Elsa the lioness") makes it somebody else.
    ``word_languages`` maps registered words to the languages they are
    everyday words of (the compiled index's table).
    """
    prompt = facts.prompt
    span = match.span
    surface = match.surface
    cues = Cues(at_start=sentence_start(prompt, span.start))
    short_form = match.entry.derived == "segment"  # "Dora-chan": the honorific is no compound
    words = [w for w in _WORD_RE.findall(surface) if any(c.isascii() and c.isalpha() for c in w)]
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS] or words
    cased_letters = [c for c in surface if c.isalpha() and c.lower() != c.upper()]
    if content and cased_letters:
        cues.capitalised = all(w[0].isupper() for w in content)
        leading_function_word = len(words) > len(content)
        if (
            cues.capitalised
            and (not cues.at_start or len(content) > 1 or leading_function_word)
            # German capitalises every noun: one capitalised word there ("auf dem
            # Anger") says nothing of a name
            and not ("de" in facts.languages and len(content) == 1)
        ):
            cues.proper_usage = True
        if (
            not any(c.isupper() for c in cased_letters)
            and facts.cased
            and any(c.isupper() for c in match.entry.source)
        ):
            cues.lower_usage = True
    prev = facts.word_before(span.start)
    if prev is not None and span.start - prev.end <= 2:
        lower_prev = prev.text.lower().rstrip(".")
        if lower_prev in _HONORIFICS and prev.text[:1].isupper():
            cues.honorific_before = True
        if lower_prev in _NAMED or (
            lower_prev == "as" and _KNOWN_AS.search(prompt, max(0, prev.end - 20), prev.end)
        ):
            # "a surfer named Nami", "General Eisenhower, known as Ike"; but "a
            # town called Daisy Town" is the in-universe town itself
            cues.named = not _names_its_own_kind(facts, prev, match)
        if (
            lower_prev in _CATEGORY_NOUNS
            and prev.text.islower()
            and prompt[prev.end : span.start] in _SPACE_OR_QUOTE
            and stem(lower_prev) not in description_stems(description)
        ):
            cues.category_before = True  # "the planet Mercury"; not "the robot cat Doraemon"
        if prev.text in _PLACE_TITLES and prompt[prev.end : span.start] == " ":
            cues.category_before = True  # "the River Clyde", "Mount Hermione"
        earlier = facts.word_before(prev.start)
        if lower_prev in _DETERMINERS or (
            earlier is not None and earlier.text.lower() in _DETERMINERS
        ):
            cues.determiner_before = True
        if (
            surface.islower()
            and _after_word(prompt, span.start, ("of",))
            and _PORTION_OF.search(prompt, max(0, span.start - 30), span.start)
        ):
            cues.surface_is_word = True  # "a plate of ratatouille": a dish, not the film
        if (
            surface.islower()
            and match.entry.lexical == "ordinary"
            and (
                lower_prev in ("a", "an")
                or (
                    earlier is not None
                    and earlier.text.lower() in ("a", "an")
                    and prev.text.islower()
                )
            )
        ):
            cues.surface_is_word = True  # "a surgical scar": a common noun with its article
        token_before = prompt[: span.start].rstrip(" ").rsplit(maxsplit=1)[-1:] or [""]
        if (
            prompt[prev.end : span.start] == " "
            and not _POSSESSIVE.search(prev.text)
            and (
                # "Elsa, Anna and Olaf" lists names; "Sumikko Gurashi's Neko" is possession
                _is_given_name(prev.text)  # "Ronnie James Dio", even where "James" is registered
                or (
                    prev.start not in match_starts
                    and (
                        _unknown_name_word(token_before[0].split("-")[0])
                        or _model_number(prev.text)
                    )
                )
            )
        ):
            cues.name_before = True  # "Jack Kirby", "Namie Amuro", "C-130 Hercules"
        if (
            match.entry.kind in ("name", "alias")
            and lower_prev in _LOCATIVE
            and _clause_ends(prompt, span.end)
        ):
            cues.locative = True
    if _QUOTED_NICKNAME.match(prompt[max(0, span.start - 40) : span.start]) and (
        _QUOTED_NICKNAME_AFTER.match(prompt, span.end)
    ):
        cues.name_before = True  # "Manny 'Pac-Man' Pacquiao": a real person's nickname
    if _PLACE_OF.search(prompt[max(0, span.start - 30) : span.start]) or _ROMANCE_PLACE_OF.search(
        prompt[max(0, span.start - 30) : span.start]
    ):
        cues.category_before = True
    after = prompt[span.end :]
    nxt = facts.word_after(span.end)
    if (
        nxt is not None
        and prompt[span.end : nxt.start] == "-"
        and nxt.text[:1].isupper()
        and nxt.start not in match_starts
        and len(_WORD_RE.findall(match.entry.source)) == 1
    ):
        cues.name_after = True  # "Marie-Antoinette", "Jean-Luc": a longer hyphenated name
    if _ROMANCE_NAME_PARTICLE.match(prompt, span.end) and match.entry.kind != "term":
        cues.name_after = True  # "Marina di Pisa", "Leonardo da Vinci": a longer proper name
    if (
        nxt is not None
        and prompt[span.end : nxt.start] == " "
        and nxt.text[:1].isupper()
        and nxt.start not in match_starts
        and nxt.text.lower() not in _DETERMINERS
        and not nxt.text.isupper()
        # An in-universe place's own name goes on with its kind ("Liyue Harbor")
        and not (match.entry.kind == "term" and nxt.text.lower() in _PLACE_NOUNS)
    ):
        cues.capitalised_after = True
        if _unknown_name_word(nxt.text) or _surname(nxt.text):
            cues.name_after = True  # "Conan O'Brien", "Moana Surfrider", "Rémy Martin"
    if nxt is not None and prompt[span.end : nxt.start] == " " and nxt.text.islower():
        second = facts.word_after(nxt.end)
        if (
            nxt.text in _BRAND_NOUNS
            or (  # "Joker whisky", "Kagome tomato juice"
                second is not None
                and prompt[nxt.end : second.start] == " "
                and second.text in _BRAND_NOUNS
                and not nxt.text.endswith(("ing", "ed", "s"))  # not "Goku chugging beer"
                and nxt.text not in _STOPWORDS
            )
        ):
            cues.brand_after = True
        if nxt.text in _EPONYM_NOUNS:
            cues.category_before = True  # "the Calvin cycle", "Ruby code": named after it
    if (
        nxt is not None
        and match.entry.kind != "term"  # a term may well be an in-universe place
        and prompt[span.end : nxt.start] in (" ", "-")
        and nxt.text.lower() in _PLACE_NOUNS
    ):
        cues.place_after = True
    if _IN_A_STATE.match(prompt, span.end):
        cues.place_after = True  # "Springfield, Illinois": a real town, however in-universe
    if (
        match.entry.derived == "partial"
        and nxt is not None
        and prompt[span.end : nxt.start] == " "
        and nxt.text.lower() in _HOUSEHOLD_NOUNS
    ):
        cues.place_after = True  # "the Sohma house": the family's, not one member's
    if (
        nxt is not None
        and prompt[span.end : nxt.start] in (" ", "-")
        and nxt.text.lower() in _GRADED_NOUNS
        and _DESIGNATION.fullmatch(surface)
    ):
        cues.brand_after = True  # "a 2B pencil", "A2 paper": a grade or a size
    if cues.at_start and surface[:1].isupper() and _acts(prompt, span.end, surface):
        cues.acting_subject = True
    listed = _COMMA_PHRASE.match(after)
    if listed and any(span.end < m < span.end + listed.end(1) for m in match_starts):
        pass  # "Hello Kitty, My Melody and Kuromi": a list of names, no apposition
    elif match.entry.kind in ("name", "alias"):  # a term is a thing: its apposition says what
        called = _apposition(after, description, match)
        if called == "other":
            cues.someone_else = True  # "Loki, our Siberian husky"
        elif called is None and _APPOSITION.match(after):
            cues.apposition = True
    if (
        len(after) >= 2
        and after[0] == "-"
        and after[1].islower()
        and not short_form
        and not _STYLE_SUFFIX.match(after)
    ):
        cues.compound = True  # "L-shaped"; but "Mega Man-style" asks for that work's look
        joined = _COMPOUND_THEN_WORD.match(after)
        if joined and joined.group(1).lower() in _PLACE_NOUNS and match.entry.kind != "term":
            cues.place_after = True  # "Kurama-dera temple": a place named in its own language
    if (
        attributed_elsewhere(after)
        or authored(prompt, span.start, span.end)
        or (
            _after_word(prompt, span.start, ("of",))
            and _TITLE_OF_BEFORE.search(prompt, max(0, span.start - 40), span.start) is not None
        )
        or (
            facts.antique
            and _ANTIQUE_CONTEXT.search(_sentence_around(prompt, span.start, span.end))
        )
        or (match.entry.kind in ("name", "alias") and _titled_elsewhere(facts.cjk_titles, match))
    ):
        cues.other_source = True
    if _ARTIST_NAME.fullmatch(surface) and _ART_CONTEXT.search(
        _sentence_around(prompt, span.start, span.end)
    ):
        cues.other_source = True  # "Michelangelo painting the Sistine Chapel": the painter
    if _after_word(
        prompt, span.start, ("real", "real-life", "historical")
    ) and _REAL_PERSON_BEFORE.search(prompt, max(0, span.start - 20), span.start):
        cues.someone_else = True  # "the real Saitō Hajime": the person, not the character
    if _KIN_OF_SOMEONE.search(prompt, 0, span.start) and _KINSHIP_TITLE.match(surface):
        cues.someone_else = True  # "my aunt Lucy": the speaker's aunt, not the character
    if _OURS_BEFORE.search(prompt, max(0, span.start - 40), span.start):
        cues.someone_else = True  # "our daughter Madoka's first day": the speaker's own
    if _MIDDLE_INITIAL.match(prompt, span.end):
        cues.name_after = True  # "Ursula K. Le Guin": a middle initial, then a surname
    read_cjk_cues(cues, match, prompt, description)
    if match.entry.kind == "title" and (
        _WORK_STYLE_AFTER.match(prompt, span.end)
        or _WORK_STYLE_BEFORE.search(prompt, 0, span.start)
    ):
        cues.work_style = True
    if (
        " " not in surface
        and surface.islower()
        and len(_WORD_RE.findall(match.entry.source)) > 1
        and is_word(surface)
    ):
        cues.surface_is_word = True  # "a greater roadrunner": "Road Runner" written solid
    if facts.languages and word_languages and _local_word(surface, facts, word_languages):
        cues.local_word = True  # "Himmel" in a German prompt is the sky
    if cues.lower_usage and "de" in facts.languages:
        cues.local_word = True  # German capitalises every noun and name: "Kinder frieren"
    if (
        not cues.local_word
        and "de" in facts.languages
        and word_languages
        and "de" in word_languages.get(word_key(surface), frozenset())
        and prev is not None
        and prompt[prev.end : span.start] == " "
        and _german_strong_adjective(facts, prev)
    ):
        cues.local_word = True  # "mit weißem Bart": an adjective declined for a noun, a beard
    if match.mode in ("phonetic", "fuzzy", "transliteration") or match.entry.derived == "partial":
        typed = _WORD_RE.findall(surface)
        misspelt = match.entry.derived != "partial"
        if (
            typed
            and (len(typed) == 1 or surface.islower())
            and all(
                (_plain_word(w) and not (misspelt and _obsolete_word(w)))
                or w.lower() in _FUNCTION_WORDS
                for w in typed
            )
            and (
                match.entry.derived == "partial"
                or plain_key(surface) != plain_key(match.entry.source)
            )
        ):
            cues.surface_is_word = True
    return cues


def _local_word(
    surface: str, facts: PromptFacts, word_languages: Mapping[str, frozenset[str]]
) -> bool:
    """Whether a one-word match is an everyday word of the language the prompt is in.

    A given name is a name in those languages too ("Sophie", "Mario"), unless
    typed with the language's accents where the registered name has none:
    "León" is the Spanish city, not Leon.
    """
    typed = _WORD_RE.findall(surface)
    if len(typed) != 1:
        return False
    word = typed[0]
    if not facts.languages & word_languages.get(word_key(word), frozenset()):
        return False
    return not word.isascii() or given_name_rank(word) is None


#: A work's title built on a name ("The Tale of Genji", "The Song of Roland"):
#: with the whole title unregistered, the name is that other work's figure.
_TITLE_OF_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Aa])\s+(?:Tale|Tales|Legend|Story|Ballad|Song|Book|Life|Lay|Chronicles?|"
    r"Epic|Saga|Romance|Lament)\s+of\s+$"
)
#: "the real …", "the historical …" right before a name sets the person
#: apart from the characters named after them.
_REAL_PERSON_BEFORE = re.compile(r"\bthe\s+(?:real|real-life|historical)\s+$", re.IGNORECASE)
#: Works a person writes, paints or composes: after a name's possessive
#: ("Chūya Nakahara's verses"), or with "by" before it ("a novel by …"),
#: the name is their author's. A character's own things ("Dazai's coat")
#: are no such works.
_AUTHORED_WORKS = (
    r"poems?|verses?|poetry|novels?|novellas?|essays?|haiku|tanka|paintings?|sculptures?|"
    r"symphon(?:y|ies)|sonatas?|concertos?|operas?|manuscripts?|memoirs?|prose|oeuvre|"
    r"short stories|woodblock prints|etchings|collected works|complete works"
)
_AUTHORS_WORK_AFTER = re.compile(
    rf"^['’]s?(?:\s+[a-z-]+){{0,2}}?\s+(?:{_AUTHORED_WORKS})\b", re.IGNORECASE
)
_BY_AUTHOR_BEFORE = re.compile(
    rf"\b(?:{_AUTHORED_WORKS}|written|painted|composed|sculpted)\s+by\s+$", re.IGNORECASE
)
#: A Japanese author's name before a book title in 『』 or a kind of writing.
_AUTHORS_WORK_AFTER_JA = re.compile(r"^の(?:『|小説|短編|詩集|詩|随筆|俳句|歌集|戯曲|全集)")


def _after_word(prompt: str, start: int, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` (any case) and white space stand right before ``start``.

    A cheap test before the patterns that must end there: they run per match.
    """
    tail = prompt[max(0, start - 12) : start]
    return bool(tail) and tail[-1].isspace() and tail.rstrip().lower().endswith(words)


def authored(prompt: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` is named as the author of a work.

    "Chūya Nakahara's verses", "a novel by Osamu Dazai", 中島敦の『山月記』:
    characters named after writers share their names, and such a prompt
    speaks of the writer.
    """
    after = prompt[end : end + 60]
    return bool(
        _AUTHORS_WORK_AFTER.match(after)
        or _AUTHORS_WORK_AFTER_JA.match(after)
        or (
            _after_word(prompt, start, ("by",))
            and _BY_AUTHOR_BEFORE.search(prompt, max(0, start - 40), start) is not None
        )
    )


def attributed_elsewhere(after: str) -> bool:
    """Whether the text after a mention attributes it to a public-domain source."""
    return bool(_FROM_SOURCE.match(after) or _OLD_EDITION.match(after))


#: Antiquity and the classic public-domain story collections: a name in the
#: same sentence is that figure ("Hercules wrestling the Nemean lion, ancient
#: Greek red-figure pottery style").
_PUBLIC_DOMAIN_CREATORS = (
    r"Shakespeare|Homer|Ovid|Virgil|Dante|Chaucer|Cervantes|Milton|Goethe|Moli[eè]re|"
    r"Perrault|Grimms?|Andersen|Aesop|Dickens|Austen|Tolstoy|Dostoevsky|Hugo|Dumas|Verne|"
    r"Poe|Twain|Wilde|Kipling|Carroll|Beethoven|Mozart|Bach|Vivaldi|Tchaikovsky|Chopin|"
    r"Verdi|Wagner|Puccini|Rossini|Bizet|Handel|Haydn|Schubert|Brahms|Debussy|"
    r"Leonardo|Michelangelo|Rembrandt|Vermeer|Hokusai|Botticelli|Raphael|"
    r"Donatello|Titian|Caravaggio|Giotto|Rubens"
)
#: The same painters and sculptors in katakana (ミケランジェロ), for Japanese prompts.
_PUBLIC_DOMAIN_ARTISTS_JA = (
    "ミケランジェロ|ラファエロ|ラファエル|ドナテッロ|ドナテルロ|レオナルド|ボッティチェリ"
)
#: Art and its places: with a painter's name, that painter ("Michelangelo
#: painting the Sistine Chapel ceiling", ラファエロの聖母子像).
_ART_CONTEXT = re.compile(
    r"\b(?:paint|paints|painting|painted|fresco|frescoes|sculpture|sculptures|sculpted|"
    r"sculptor|statue|chapel|cathedral|basilica|museum|gallery|canvas|marble|bronze|"
    r"Renaissance|Sistine|Madonna|chisel)\b|美術館|聖母|彫刻|壁画|絵画|ルネサンス|礼拝堂|大理石",
    re.IGNORECASE,
)
_ARTIST_NAME = re.compile(
    r"(?:" + _PUBLIC_DOMAIN_CREATORS + r"|" + _PUBLIC_DOMAIN_ARTISTS_JA + r")"
)
_PUBLIC_DOMAIN_FULL_NAMES = (
    r"William Shakespeare|Jules Verne|Victor Hugo|Charles Dickens|Jane Austen|Mark Twain|"
    r"Lewis Carroll|Oscar Wilde|Rudyard Kipling|Edgar Allan Poe|Alexandre Dumas|"
    r"Charles Perrault|Hans Christian Andersen|Brothers Grimm|Leonardo da Vinci|"
    r"Vincent van Gogh|Ludwig van Beethoven|Wolfgang Amadeus Mozart|Huckleberry Finn|"
    r"Tom Sawyer|Robinson Crusoe|Sherlock Holmes|Alice in Wonderland"
)
_ANTIQUE_CONTEXT = re.compile(
    r"\b(?:ancient|classical)\s+(?:Greek|Greece|Roman|Rome|Egyptian|Egypt|Norse|Persian|"
    r"Chinese|China|Mesopotamian|Babylonian)\b|"
    r"\b(?:Greek|Roman|Norse|Egyptian|Celtic|Hindu|Japanese|Chinese)\s+"
    r"(?:myth|myths|mythology|legend|legends|folklore|epic|gods?|tragedy|tragedies)\b|"
    # Real people dramatised: "Hijikata Toshizō leading a raid, historical drama".
    r"\b(?:historical|period)\s+drama\b|\bbiopic\b|"
    r"\b(?:Arabian Nights|Thousand and One Nights|One Thousand and One Nights|Iliad|Odyssey|"
    r"Metamorphoses|Edda|Kojiki|Nihon Shoki)\b|"
    # The Bible: "Adam and Eve in the Garden of Eden", "Noah's ark in a biblical flood".
    r"\b(?:Garden of Eden|Bible|biblical|Old Testament|New Testament|Book of Genesis)\b|"
    # Arthurian legend and classics named by title: "young Arthur pulling the
    # sword from the stone", "a staging of A Midsummer Night's Dream: Puck…".
    r"\b(?:Camelot|Excalibur|Knights of the Round Table|sword (?:in|from) the stone|"
    r"Midsummer Night['’]s Dream|Hamlet|Macbeth|Romeo and Juliet|King Lear|Othello|"
    r"Don Quixote|Beowulf|Divine Comedy|Divina Comm?edia|Canterbury Tales|Les Mis[ée]rables|"
    r"Faust|Romance of the Three Kingdoms|Water Margin|Dream of the Red Chamber)\b|"
    # The same in Japanese, Chinese and Korean: ローマ神話, 日本昔話, 八仙过海.
    r"(?:ローマ|ギリシャ|ギリシア|北欧|エジプト|ケルト|インド|日本|中国)神話|"
    r"昔話|昔ばなし|おとぎ話|御伽噺|民話|古事記|日本書紀|竹取物語|"
    r"(?:希腊|罗马|北欧|埃及|中国)神话|民间传说|八仙|封神演义|山海经|"
    r"(?:그리스|로마|북유럽|이집트) 신화|전래동화|"
    # Writers, composers and painters whose whole work is in the public domain,
    # credited with it: "Shakespeare's", "by Perrault", or the full name.
    r"(?:\b(?:"
    + _PUBLIC_DOMAIN_CREATORS
    + r")['’]s?\s|\bby\s+(?:"
    + _PUBLIC_DOMAIN_CREATORS
    + r")\b|\b(?:"
    + _PUBLIC_DOMAIN_FULL_NAMES
    + r")\b)"
)


#: How far around a match its sentence is looked for (bounds the work on
#: hostile prompts of thousands of matches).
_SENTENCE_REACH = 300


def _sentence_around(prompt: str, start: int, end: int) -> str:
    """The sentence holding ``prompt[start:end]`` (initials' full stops do not end it)."""
    lo = max(0, start - _SENTENCE_REACH)
    hi = min(len(prompt), end + _SENTENCE_REACH)
    left = lo
    for boundary in _SENTENCE_BOUNDARY.finditer(prompt, lo, start):
        left = boundary.end()
    after = _SENTENCE_BOUNDARY.search(prompt, end, hi)
    return prompt[left : after.start() if after else hi]


#: A sentence ends at ! ? a line break, or a full stop that is no initial's ("E. H.").
_SENTENCE_BOUNDARY = re.compile(r"[!?。！？\n]|(?<!\b[A-Z])\.")


_CJK_TITLE = re.compile(r"[《『〈「]([^》』〉」]{1,30})[》』〉」]")


def _titled_elsewhere(titles: Sequence[str], match: Match) -> bool:
    """The name inside another work's title in the prompt: 花木兰 … 《木兰诗》."""
    surface = match.surface
    return any(
        surface in title or (len(surface) > 2 and surface[-2:] in title)
        for title in titles
        if title != surface and title not in match.entry.source
    )


def _is_given_name(word: str) -> bool:
    """A capitalised given name (not an honorific), common or no English word."""
    if not word[:1].isupper() or word.lower() in _HONORIFICS:
        return False
    rank = given_name_rank(word)
    if rank is None:
        return False
    return (
        rank <= _GIVEN_NAME_RANK
        or not is_word(word)
        or (rank <= _RARE_WORD_NAME_RANK and english_zipf(word) < _EVERYDAY_WORD_ZIPF)
    )  # "Mona" (421st) is a name before it is a word; "Hope" (427th) is a word


#: A German adjective declined before its noun (weißem, langen, alter): lower
#: case, ending in -e, -em, -en, -er or -es.
_GERMAN_INFLECTED_ADJECTIVE = re.compile(r"[a-zäöüß]{2,}(?:e|em|en|er|es)")
#: Articles, possessives and demonstratives, which decline the same way but
#: go before names too ("der kleine Bart", "unser Bart").
_GERMAN_DETERMINER = re.compile(
    r"(?:d|ein|kein|mein|dein|sein|ihr|unser|eur|dies|jed|jen|welch|manch|all)"
    r"(?:e|em|en|er|es|ie|as)?"
)


def _german_strong_adjective(facts: PromptFacts, word: Word) -> bool:
    """A declined German adjective with no article before it ("mit weißem", "alter").

    Without an article the adjective carries the ending itself (strong
    declension), which German gives nouns, not names; after an article or a
    possessive ("der kleine Bart", "unser kleiner Bart") a name is possible.
    """
    if not _GERMAN_INFLECTED_ADJECTIVE.fullmatch(word.text):
        return False
    if _GERMAN_DETERMINER.fullmatch(word.text):
        return False
    before = facts.word_before(word.start)
    return before is None or _GERMAN_DETERMINER.fullmatch(before.text.lower()) is None


#: After a title: what only a work has (its world, style, fan art, characters).
_WORK_STYLE_AFTER = re.compile(
    r"(?:の世界観|の世界で|の作風|の画風|のキャラ|の登場人物|の二次創作|のファンアート|のパロディ|"
    r"風|スタイル|-style\b| style\b| universe\b| fan ?art\b| fanfic)"
)
#: Before a title: "in the style of", "inspired by", "a parody of".
_WORK_STYLE_BEFORE = re.compile(
    r"(?:in the style of|inspired by|a parody of|fan art of|fanart of|fan film of|"
    r"crossover with|in the world of|à la manière de|im Stil von|al estilo de|"
    r"nello stile di|no estilo de) $",
    re.IGNORECASE,
)
#: A possessive right before a name ("my aunt Lucy", "our Uncle Max").
_KIN_OF_SOMEONE = re.compile(r"\b(?:my|our|his|her|their|your)\s$", re.IGNORECASE)
#: A kinship word that opens a registered name ("Aunt Lucy", "Uncle Iroh").
_KINSHIP_TITLE = re.compile(
    r"(?:aunt|auntie|uncle|grandma|grandpa|granny|grandmother|grandfather|cousin|mum|mom|"
    r"dad|papa|mama)\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?$")
#: The speaker's own family member or pet right before a name ("our daughter
#: Madoka", "my cat Luna"): somebody real, whoever else bears the name.
_OURS_BEFORE = re.compile(
    r"\b(?:my|our)\s+(?:(?:little|baby|new|old|eldest|youngest)\s+)?"
    r"(?:daughter|son|wife|husband|sister|brother|niece|nephew|grandson|granddaughter|"
    r"boyfriend|girlfriend|dog|cat|puppy|kitten|hamster|parrot|rabbit|bunny|pet)\s+$",
    re.IGNORECASE,
)
#: A middle initial after a given name ("Ursula K. Le Guin").
_MIDDLE_INITIAL = re.compile(r" [A-Z]\. [A-Z]")
#: A Romance or Dutch/German name particle and a capitalised word after a name.
_ROMANCE_NAME_PARTICLE = re.compile(
    r" (?:di|de|del|della|dei|da|do|dos|das|du|des|von|van|der) (?=[A-Z])"
)


def _obsolete_word(word: str) -> bool:
    """A dictionary word hardly anyone writes now ("stich", a line of verse).

    Typed where a name sounds alike ("Stich" for "Stitch"), it is a slip of
    the name, not the word: the 1934 dictionary lists many such words.
    """
    return english_zipf(word) < _WORD_IN_USE_ZIPF


_ACTION = re.compile(
    r"^ (?:[a-z]{2,}ly )?"
    r"(?:[a-z]{2,}ing(?: [a-z]|[,.;:!?]|$)|[a-z]{2,}s (?:a|an|the|his|her|its|their) )"
)  # "Sonic eating a chili dog", "Po inhales a whole steamer", "Wasabi carefully arranging"


#: "and" and a capitalised name (one or two words) after a name: a joint subject.
_AND_PARTNER = re.compile(r"^ and [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?(?= )")


def opens_as_subject(prompt: str, span: Span) -> bool:
    """Whether the text at ``span`` opens a sentence and does something.

    "Wallace and Gromit having a picnic", "サザエさんが台所に立つ": a title so
    used is its characters acting, not the work ("in the style of …").
    """
    if not sentence_start(prompt, span.start):
        return False
    rest = prompt[span.end :]
    if _PAIR.search(prompt, span.start, span.end) and _PLURAL_ACTION.match(rest):
        return True  # "Ernest and Celestine share a croissant": the pair acts
    # "さざえさん が": kana prompts space their words
    return bool(_ACTION.match(rest)) or subject_particle_at(
        prompt, span.end + (prompt[span.end : span.end + 1] == " ")
    )


#: Two names joined in a title ("Ernest and Celestine", "Wallace & Gromit",
#: "Ernest et Célestine").
_PAIR = re.compile(r" (?:and|&|et|y|e|und|en|och|og) ")
#: A verb in the plural, then its object: what a pair does ("share a
#: croissant", "lisent un livre", "comen una tarta").
_PLURAL_ACTION = re.compile(
    r"^ [^\W\d_]{2,}(?<!s) (?:a|an|the|their|some|un|une|des|le|la|les|el|los|las|una|il|"
    r"lo|gli|der|die|das|den|ein|eine|einen|o|os|as|um|uma) "
)


def _acts(prompt: str, end: int, surface: str) -> bool:
    """ "Sonic eating a chili dog", "Link fishing at a lake": a bare word that acts.

    So does one of two names joined by "and" ("Anna and Kristoff delivering ice").

    An adjective cannot be a subject, and a singular count noun needs an
    article, so a capitalised name opening the prompt (its last word
    singular, or a number: "March 7th") and followed by a participle with
    its object reads as a name. Plural and mass nouns can
    be bare subjects ("Tails wagging at the park"), so they do not count.
    """
    rest = prompt[end:]
    partner = _AND_PARTNER.match(rest)  # "Anna and Kristoff delivering ice": both act
    if not _ACTION.match(rest[partner.end() :] if partner else rest):
        return False
    last = surface.split()[-1] if surface.split() else ""
    if not last.isalpha():
        return last.isalnum() and any(c.isdigit() for c in last)  # "March 7th", "Agent 47"
    return _adjective_or_singular(last.lower())


@lru_cache(maxsize=4096)
def _adjective_or_singular(word: str) -> bool:
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word)
    nouns = lemmas.get("NOUN", ())
    if not lemmas:  # a dictionary word lemminflect does not know ("hulk")
        return not word.endswith("s") or word.endswith(_SINGULAR_S)
    if word in lemmas.get("ADJ", ()) or not nouns:
        return "ADJ" in lemmas  # "Toothless", an adjective, cannot be a bare subject
    return word in nouns and (not word.endswith("s") or word.endswith(_SINGULAR_S))


#: Endings of singular nouns that end in s ("tigress", "cactus", "princess").
_SINGULAR_S = ("ss", "us", "is")


#: Japanese honorifics and ranks as romanised after a name ("Rivai Heichō").
_ROMANISED_HONORIFICS = vocabulary(
    """
    san sama kun chan chin tan dono senpai sempai sensei kohai hakase shisho shishou
    heicho heichou taicho taichou buchou bucho kakka ue nee nii neesan niisan oneesan
    oniisan jii baa shi hime ou oji
    """
)


def _surname(word: str) -> bool:
    """A common surname that is no English word, or a given name too ("Martin"; not "Young")."""
    rank = surname_rank(word)
    return (
        rank is not None
        and rank <= _SURNAME_RANK
        and (not is_word(word) or given_name_rank(word) is not None)
    )


def _unknown_name_word(word: str) -> bool:
    """A capitalised word that is no English word, acronym or honorific: part of a name."""
    folded = fold(word)
    return (
        word[:1].isupper()
        and not word.isupper()
        and folded not in _HONORIFICS
        and folded not in _ROMANISED_HONORIFICS
        and folded not in _DETERMINERS
        and folded not in _FOREIGN_FUNCTION_WORDS  # "Il Professor Layton": an article
        and (
            not is_word(bare := word.replace("’", "'").split("'")[-1] or word)
            or is_proper_noun(bare)  # "Plymouth Road Runner", "Jules Verne"
        )
    )


#: Articles and other function words of the European languages read
#: (kyodaku.screen.languages): "Il", "La", "Der" open a sentence, not a name.
_FOREIGN_FUNCTION_WORDS = frozenset().union(*FUNCTION_WORDS.values())


def _model_number(word: str) -> bool:
    """A model designation ("130" of "C-130", "A320"): a product's name goes on."""
    return any(c.isdigit() for c in word) and len(word) >= 2


_STYLE_SUFFIX = re.compile(
    r"^-(?:style|styled|inspired|like|esque|themed|flavored|flavoured|shaped)\b"
)
_ANOTHER_PLACE = re.compile(r"^ (?:in|near|on|of),? [A-Z]")


def _clause_ends(prompt: str, pos: int) -> bool:
    """The clause ends at ``pos``, or goes on with a wider place ("around Haro in La Rioja")."""
    if _ANOTHER_PLACE.match(prompt[pos:]):
        return True
    rest = prompt[pos:].lstrip(" \t\"'”’)」")
    return not rest or rest[0] in ",;.!?:\n。、！？"


_THE_PHRASE = re.compile(r"^\s+the\s+((?:[a-z][\w'’-]*\s*){1,3})")
_COMMA_PHRASE = re.compile(
    r"^\s*,\s*(?:a|an|the|our|my|his|her|their|this|that|one|notre|mon|ma|nuestro|nuestra|"
    r"mi|il nostro|la nostra|unser|unsere|mein|meine|o nosso|a nossa)\s+"
    r"((?:[\w'’-]+[ \t]*){1,4})",
    re.IGNORECASE,
)


def _apposition(after: str, description: str, match: Match) -> str | None:
    """What an apposition calls the name: "other", "same", or None when unclear.

    "Elsa the lioness from …", "Loki, the Siberian husky, …": the head noun
    of the apposition (its last word before a function word, a verb in
    -ing/-ed or punctuation) is no word of the registered description nor
    of the name, so the name belongs to someone else ("other"); "Pikachu,
    the electric mouse" says what the description says ("same"). "Tama, our
    calico cat" is ours, whatever the description says: "other".
    """
    if not description or match.entry.asset_kind != "character":
        return None
    if _OUR_APPOSITION.match(after):
        return "other"  # ours: a real pet or person, even one like the character
    found = _THE_PHRASE.match(after) or _COMMA_PHRASE.match(after)
    if not found:
        return None
    head = ""
    for word in found.group(1).split():
        lower = word.lower()
        if lower in _STOPWORDS or _is_participle(lower):
            break  # "the lioness from", "the husky chasing": the phrase ends
        if not head or _is_noun(lower):
            head = lower  # the last noun: "notre vieux labrador noir" is a labrador
    else:
        rest = after[found.end() :].lstrip()
        if found.re is _THE_PHRASE and rest[:1].isupper():
            return None  # "the legendary Super Saiyan": a title goes on
    if not head or not _is_noun(head):
        return None
    name_stems = {stem(w) for w in _WORD_RE.findall(match.entry.source)}
    return "same" if stem(head) in description_stems(description) | name_stems else "other"


@lru_cache(maxsize=4096)
def _is_participle(word: str) -> bool:
    """A verb's -ing or -ed form ("chasing", "retired"); not "king" or "bed"."""
    from lemminflect import getAllLemmas

    if not word.endswith(("ing", "ed")):
        return False
    lemmas = getAllLemmas(word)
    if not lemmas:
        return True  # unknown ("three-headed"): read by its ending
    return any(lemma != word for lemma in lemmas.get("VERB", ()))


@lru_cache(maxsize=4096)
def _is_noun(word: str) -> bool:
    from lemminflect import getAllLemmas

    return "NOUN" in getAllLemmas(word)


def _plain_word(word: str) -> bool:
    """A dictionary word typed plainly: a macron ("Sērā") marks a romanised name.

    A word the dictionary lists only as a proper noun ("Edward") is a name,
    not an ordinary word.
    """
    return word.isascii() and is_word(word) and not is_proper_noun(word)


def _names_its_own_kind(facts: PromptFacts, named: Word, match: Match) -> bool:
    """A term that repeats the noun before "called" ("a town called Daisy Town")."""
    if match.entry.kind != "term":
        return False
    kind = facts.word_before(named.start)
    return kind is not None and stem(kind.text) in {
        stem(w) for w in _WORD_RE.findall(match.entry.source)
    }


def feature_overlap(description: str, facts: PromptFacts, match: Match) -> set[str]:
    """Words of the character's registered description that the prompt uses too (stemmed).

    The name's own words, the words matched as it ("blue heeler" read as
    "Bluey Heeler" is no blue feature besides) and size words ("small") do
    not count.
    """
    if not description:
        return set()
    name_stems = {stem(w) for w in _WORD_RE.findall(f"{match.entry.source} {match.surface}")}
    stems = facts.stems
    if match.entry.lexical == "ordinary":
        # "a deep red garnet", "purple amethyst crystals": the words right
        # before an everyday word describe the thing it names (a gem is red),
        # not a character named after it; and "red eyes": the word after a
        # lower-case everyday word is what it describes.
        attributes = _premodifiers(facts, match.span.start)
        nxt = facts.word_after(match.span.end)
        if (
            match.surface.islower()
            and nxt is not None
            and facts.prompt[match.span.end : nxt.start] == " "
        ):
            attributes.add(nxt.start)
        if attributes:
            elsewhere = {
                stem(w.text)
                for w in facts.words
                if w.start not in attributes and w.text.lower() not in _STOPWORDS
            }
            stems = frozenset(elsewhere)
    return (set(description_stems(description)) & stems) - name_stems - _GENERIC_SIZE


#: Most words read as modifying the noun that follows them.
_MAX_PREMODIFIERS = 3


def _premodifiers(facts: PromptFacts, start: int) -> set[int]:
    """Start offsets of the words that modify the noun at ``start`` ("a deep red ⟨garnet⟩").

    The words right before it, joined by spaces or hyphens only, back to a
    stopword (a determiner, a preposition), punctuation or
    :data:`_MAX_PREMODIFIERS` words.
    """
    i = bisect.bisect_right(facts.word_ends, start) - 1
    found: set[int] = set()
    end = start
    while i >= 0 and len(found) < _MAX_PREMODIFIERS:
        word = facts.words[i]
        if facts.prompt[word.end : end].strip(" -") or word.text.lower() in _STOPWORDS:
            break
        found.add(word.start)
        end = word.start
        i -= 1
    return found
