"""Word boundaries for names in scripts written without spaces.

A registered name found as a substring of a Chinese, Japanese or Korean
prompt is not necessarily a word there: 超人 (Superman) lies in
超人气甜品店 (超 + 人气, "super-popular"), 지지 (Jiji) in 지지하는
("supporting"), 埼玉 (Saitama) in 埼玉県 (Saitama Prefecture) and アナ
(Anna) in アナウンサー. :func:`boundary_problem` says whether, and why, a
match span is inside a longer word or names a place:

* **Hangul.** A Korean name is a word of its own within its space-separated
  unit (eojeol): Hangul right before it means a longer word, and whatever
  Hangul follows it must be a closed-class ending: nominal suffixes (들, 님,
  씨, the hypocoristic 이 of 길동이), case and auxiliary particles (가, 를,
  에게서, 으로는, 와의, ...) and copula endings (이다, 예요, 입니다, ...).
* **Katakana.** A katakana name must not sit inside a longer katakana run
  (the middle dot ・ separates; a long-vowel mark belongs to the name when
  the match already covers it), nor run into a kanji that makes a dish or a
  ware of it (マジョリカ焼き, タンタン麺), nor follow capitals written solid
  (ITベンダー "IT vendor", Tシャツ).
* **Hiragana.** A hiragana reading must not sit inside running hiragana
  unless a particle or honorific follows (ねずこちゃん) or a particle joins
  it to the name before (たぬきちとしずえ), nor run straight
  into kanji other than a title or "style" (いちご狩り is strawberry
  picking; ねずこ様 and ドラえもん風 are names).
* **Han characters.** A Han name right after a Han numeral is a counted
  noun (二次元, "two dimensions", holds 次元), and one right after the
  polite prefix お or ご is a common noun (お遊戯会, a school play). A name next to other Han
  characters is tested with a
  maximum-probability segmentation (Jieba's algorithm) over the word
  frequencies that ``wordfreq`` ships (Chinese, or Japanese when the prompt
  has kana): if a dictionary word straddling one of the name's edges gives
  a segmentation at least as probable as the best one with the name as a
  word, the name is not a word there (超|人气). A Han name directly followed
  by an administrative or geographic suffix (県, 市, 区, 駅, 海峡, 路, ...)
  names a place.

A neighbour that belongs to a longer *registered* form holding the name
(a name that is the tail of a registered full name, a katakana run that is
itself registered) is no objection: pass the spans of such forms as
``registered``.

Pure apart from loading the frequency tables once per process
(:func:`warm_up` loads them ahead of the first prompt).
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kyodaku.screen.normalise import is_han, is_hangul, is_hiragana, is_katakana
from kyodaku.screen.types import Span
from kyodaku.screen.wordlists import word_frequencies

if TYPE_CHECKING:
    from kyodaku.screen.japanese_words import PersonalNames

# ---------------------------------------------------------------- verdicts


@dataclass(frozen=True, slots=True)
class BoundaryProblem:
    """Why a match is not a name there: ``kind`` and the prompt text that shows it."""

    #: "hangul_word", "katakana_word", "hiragana_word", "han_word", "place" or "person"
    kind: str
    word: str  # the longer word, or the place name with its suffix

    def describe(self) -> str:
        if self.kind == "place":
            return f"names the place '{self.word}'"
        if self.kind == "person":
            return f"part of somebody else's name '{self.word}'"
        script = self.kind.removesuffix("_word")
        return f"inside the longer {script} word '{self.word}'"


def boundary_problem(
    prompt: str,
    span: Span,
    registered: Collection[tuple[int, int]] = (),
    personal_names: PersonalNames | None = None,
) -> BoundaryProblem | None:
    """Whether ``span`` of ``prompt`` sits inside a longer word or names a place.

    ``registered`` holds the ``(start, end)`` spans of registered forms found
    in the same prompt: a neighbour character covered by one of them together
    with the name is part of that registered form, not of a foreign word.
    ``personal_names`` (the compiled index's) lets a kanji name run into a
    given name, or after a family name, read as somebody else's full name.
    """
    start, end = span.start, span.end
    if not 0 <= start < end <= len(prompt):
        raise ValueError(f"span [{start}, {end}) outside the prompt")
    first, last = prompt[start], prompt[end - 1]
    before = prompt[start - 1] if start > 0 else ""
    after = prompt[end] if end < len(prompt) else ""

    def held(left: bool) -> bool:
        """The offending neighbour belongs to a registered form holding the name."""
        return any(
            (i < start and j >= end) if left else (i <= start and j > end)
            for i, j in registered
            if (i, j) != (start, end)
        )

    # Katakana: no katakana (or long-vowel mark) on either side.
    if is_katakana(first) and before and _katakana_like(before) and not held(True):
        return BoundaryProblem("katakana_word", _katakana_run(prompt, start, end))
    if (is_katakana(last) or last == "ー") and after and _katakana_like(after) and not held(False):
        return BoundaryProblem("katakana_word", _katakana_run(prompt, start, end))
    acronym = _latin_run_before(prompt, start) if is_katakana(first) else ""
    if acronym.isupper() and not held(True):
        # ITベンダー, Tシャツ: capitals written solid before katakana make one word
        return BoundaryProblem("katakana_word", acronym + prompt[start:end])
    if is_katakana(first) and prompt.startswith(_KATAKANA_COMPOUND_SUFFIXES, end):
        # マジョリカ焼き (majolica ware), タンタン麺: a dish or a ware named after the word
        return BoundaryProblem("katakana_word", _katakana_run(prompt, start, end) + after)
    # Hiragana: no hiragana before; after, only a particle or honorific.
    if (
        is_hiragana(first)
        and before
        and is_hiragana(before)
        and not held(True)
        and not _listed_after(prompt, start, registered)
    ):
        return BoundaryProblem("hiragana_word", _run(prompt, start, end, is_hiragana))
    if (
        is_hiragana(last)
        and after
        and is_hiragana(after)
        and (
            not prompt.startswith(_KANA_PARTICLES, end) or prompt.startswith(prompt[start:end], end)
        )
        and not held(False)
    ):  # かごめかごめ, a name said twice, is a word (a children's game) of its own
        return BoundaryProblem("hiragana_word", _run(prompt, start, end, is_hiragana))
    if (
        all(is_hiragana(c) for c in prompt[start:end])
        and after
        and is_han(after)
        and after not in _HAN_TITLES
        and not held(False)
    ):  # いちご狩り, いちご大福: a noun in kana and kanji written solid is a compound
        return BoundaryProblem("hiragana_word", prompt[start:end] + _run(prompt, end, end, is_han))
    # Hangul: a word of its own within the eojeol.
    if is_hangul(last) and _verb_before_auxiliary(prompt, end) and not held(False):
        return BoundaryProblem("hangul_word", _run(prompt, start, end, is_hangul))
    if is_hangul(first) and before and is_hangul(before) and not held(True):
        return BoundaryProblem("hangul_word", _run(prompt, start, end, is_hangul))
    if is_hangul(last) and after and is_hangul(after):
        tail_end = end
        while tail_end < len(prompt) and is_hangul(prompt[tail_end]):
            tail_end += 1
        tail = prompt[end:tail_end]
        if not korean_ending(tail) and not held(False):
            return BoundaryProblem("hangul_word", _run(prompt, start, end, is_hangul))
    # Han characters: a counted noun, a place, or a longer dictionary word.
    if is_han(first) and before in _HAN_NUMERALS and first not in _HAN_NUMERALS and not held(True):
        return BoundaryProblem("han_word", _run(prompt, start - 1, end, is_han))
    if is_han(first) and before in _BEAUTIFYING_PREFIXES and not held(True):
        # お遊戯会, ご飯: the polite prefix makes a common noun of the word after it
        return BoundaryProblem("han_word", before + _run(prompt, start, end, is_han))
    if is_han(last) and after:
        suffix = _place_suffix(prompt, end)
        if suffix:
            return BoundaryProblem("place", prompt[start : end + len(suffix)])
    if personal_names is not None:
        person = _someone_elses_name(prompt, start, end, personal_names)
        if person is not None and not held(person[0] < start):
            return BoundaryProblem("person", prompt[person[0] : person[1]])
    if (is_han(first) and before and is_han(before)) or (is_han(last) and after and is_han(after)):
        word = _straddling_word(prompt, start, end)
        if word is not None and not held(word[0] < start):
            return BoundaryProblem("han_word", prompt[word[0] : word[1]])
    return None


#: Longest kanji name (registered, or a neighbouring given or family name) read as one.
_MAX_PERSONAL_NAME = 3


def _someone_elses_name(
    prompt: str, start: int, end: int, names: PersonalNames
) -> tuple[int, int] | None:
    """The span of a full name that a short kanji name is part of (金田|正一, 中島|敦).

    A registered family name run straight into a given name, or a given name
    right after a family name, with no more kanji on the far side: the whole
    is one person's name, and not the character's (whose registered full
    name, found in the prompt, holds it and is no objection).
    """
    if end - start > _MAX_PERSONAL_NAME or not all(is_han(c) for c in prompt[start:end]):
        return None
    kana = _katakana_run(prompt, end, end)
    if kana and kana in names.given_kana:
        return (start, end + len(kana))  # 影山ヒロノブ: a given name in katakana
    for n in range(_MAX_PERSONAL_NAME, 1, -1):
        given = prompt[end : end + n]
        if len(given) == n and given in names.given:
            return (start, end + n)
        family = prompt[max(0, start - n) : start]
        if (
            len(family) == n
            and family in names.family
            and (start - n == 0 or not is_han(prompt[start - n - 1]))
        ):
            return (start - n, end)
    return None


#: Particles that join two nouns in a list ("A and B"); の, も and か run
#: into verbs too often (緊張感のある holds ある).
_JOINING_PARTICLES = frozenset("とや")


def _listed_after(prompt: str, start: int, registered: Collection[tuple[int, int]]) -> bool:
    """A joining particle before ``start`` that follows a name or a non-hiragana word.

    たぬきちとしずえ is たぬきち + と + しずえ ("Tanukichi and Shizue") when
    たぬきち is a registered name found there; 悟空としずえ, after kanji. The
    possessive の joins only after a registered form (すみっコぐらしのねこ):
    after other words it runs into verbs (緊張感のある).
    """
    if start < 2:
        return False
    after_registered = any(j == start - 1 for _, j in registered)
    if prompt[start - 1] == "の" and after_registered:
        return True  # すみっコぐらしのねこ: a registered title, の, its character
    if prompt[start - 1] not in _JOINING_PARTICLES:
        return False
    before_particle = prompt[start - 2]
    if not is_hiragana(before_particle):
        return not before_particle.isspace()
    return after_registered


def _katakana_like(ch: str) -> bool:
    return is_katakana(ch) or ch == "ー"


def _run(prompt: str, start: int, end: int, member) -> str:  # type: ignore[no-untyped-def]
    """``prompt[start:end]`` widened over neighbouring characters that are ``member``."""
    while start > 0 and member(prompt[start - 1]):
        start -= 1
    while end < len(prompt) and member(prompt[end]):
        end += 1
    return prompt[start:end]


def _latin_run_before(prompt: str, start: int) -> str:
    """The Latin letters written right before ``start``."""
    begin = start
    while begin > 0 and prompt[begin - 1].isascii() and prompt[begin - 1].isalpha():
        begin -= 1
    return prompt[begin:start]


def _katakana_run(prompt: str, start: int, end: int) -> str:
    return _run(prompt, start, end, _katakana_like)


#: Numerals written as Han characters: one right before a Han name makes a
#: counted noun of it (二次元 "two dimensions", 三銃士), never a name.
#: Kanji that make a dish or a ware of the katakana word before them.
_KATAKANA_COMPOUND_SUFFIXES = ("焼き", "焼", "麺", "丼", "鍋", "漬け", "揚げ", "煮", "汁", "酒")
#: The polite prefixes お and ご, written before nouns, never before a name.
_BEAUTIFYING_PREFIXES = frozenset("おご")
_HAN_NUMERALS = frozenset("一二三四五六七八九十百千万億两両幾数")


# ---------------------------------------------------------------- Japanese kana

#: Particles and honorifics (titles written in kana too: せんせい, せんぱい)
#: that may follow a hiragana reading directly.
_KANA_PARTICLES = ("ちゃん", "ちゃま", "くん", "さん", "さま", "たん", "どの", "せんせい",
                   "せんぱい", "はかせ", "たち", "って", "が", "の", "は", "を", "に",
                   "と", "も", "へ", "で", "や", "か", "よ", "ね")  # fmt: skip


#: Kanji that may follow a name written in kana: honorifics, kinship and
#: school titles, plurals, and "style" or "likeness" (ねずこ様, のびた君,
#: ドラえもん風).
_HAN_TITLES = frozenset("様君殿氏達等先姫王兄姉師風似像")


# ---------------------------------------------------------------- Korean endings


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: What may stand between a noun and its particles: plural, honorifics,
#: kinship and school titles written solid, the hypocoristic 이 of names
#: ending in a consonant (길동이가), "style" (지브리풍).
#: Auxiliary verbs a verb's -아/-어 form runs into (피어 있다 "is in bloom",
#: 먹어 버렸다, 써 두다): no noun stands before them without a particle.
_KO_AUXILIARIES = _words("있 주 줘 줬 버리 버려 버렸 놓 놔 놨 두 둬 뒀")
#: Vowels of the connective -아/-어 ending (ㅏ ㅐ ㅓ ㅕ ㅘ ㅝ), as Hangul medial indices.
_CONNECTIVE_VOWELS = frozenset({0, 1, 4, 6, 9, 14})


def _verb_before_auxiliary(prompt: str, end: int) -> bool:
    """A Hangul word ending in the connective -아/-어 right before an auxiliary verb.

    "유채꽃이 피어 있다": 피어 is 피다 (to bloom) in that form, whatever name
    it sounds like.
    """
    if prompt[end : end + 1] != " " or not prompt.startswith(_KO_AUXILIARIES, end + 1):
        return False
    code = ord(prompt[end - 1]) - 0xAC00
    if not 0 <= code < 11172:
        return False
    return code % 28 == 0 and (code // 28) % 21 in _CONNECTIVE_VOWELS


_KO_SUFFIXES = _words("들 님 씨 군 양 짱 쨩 이 네 형 누나 언니 오빠 선배 선생님 쌤 풍")
#: Case and auxiliary particles (their combinations are parsed: 에게+서,
#: 에서+는, 와+의, 으로+는, 만+의, 까지+도).
_KO_PARTICLES = _words(
    "이 가 은 는 을 를 의 에 에게 에게서 에서 한테 한테서 께 께서 와 "
    "과 랑 이랑 하고 로 으로 로서 으로서 로써 으로써 로부터 으로부터 서 "
    "부터 까지 보다 처럼 같이 만큼 도 만 조차 마저 밖에 뿐 나 이나 나마 "
    "이나마 라도 이라도 든 이든 든지 이든지 야말로 이야말로 마다 대로 요 "
    "아 야 여 이여 이시여 같은 커녕 은커녕 는커녕 에다 에다가 더러 보고 "
    "께로"
)
#: Copula endings (the noun's predicate: 조로다, 손오공이에요, 피카츄입니다).
_KO_COPULA = _words(
    "이다 다 이야 야 이에요 예요 이예요 입니다 입니까 이었다 였다 이었어 "
    "였어 이었어요 였어요 이었습니다 였습니다 이지 지 이지만 지만 인데 이고 "
    "고 이며 며 이라 라 이라고 라고 이라는 라는 이란 란 이라서 라서 "
    "이니까 니까 인가 인가요 인지 일까 일까요 이네 이군 이구나 구나 이면 "
    "면 잖아 이잖아 인 일 이죠 죠 이었던 였던 이던 던"
)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_KO_ENDING = re.compile(
    f"(?:{_alternation(_KO_SUFFIXES)}){{0,2}}"
    f"(?:{_alternation(_KO_PARTICLES)}){{0,3}}"
    f"(?:{_alternation(_KO_COPULA)})?"
)


def korean_ending(tail: str) -> bool:
    """Whether ``tail`` (the Hangul written solid after a noun) is only endings.

    "" (nothing follows), 가, 에게서, 으로는, 님이, 이에요 are; 하는
    (지지하는: a verb), 자 and 율 (지지자, 지지율: longer nouns) are not.
    """
    return _KO_ENDING.fullmatch(tail) is not None


# ---------------------------------------------------------------- places

#: Administrative and geographic suffixes that turn a name before them into
#: a place (埼玉県, 鳴門海峡, 北京路). Not 城, often a character's castle.
PLACE_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            # Japanese
            "県", "府", "都", "市", "区", "町", "村", "郡", "駅", "港", "湾", "海峡",
            "通り", "線", "丁目", "空港", "半島", "地方",
            # Chinese (simplified and traditional)
            "省", "州", "县", "縣", "镇", "鎮", "乡", "鄉", "區", "路", "街", "站", "灣",
            "海峽", "线", "机场", "機場", "自治区", "特别行政区", "地区", "地區",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
#: Suffixes that are also common words in running Chinese (皮卡丘都很可爱,
#: 超人站在楼顶): a place there only in a Japanese prompt.
_AMBIGUOUS_IN_CHINESE = frozenset({"都", "站", "线", "線", "通り"})


def _place_suffix(prompt: str, end: int) -> str:
    """The place suffix right after ``end``, or ""."""
    if not prompt.startswith(PLACE_SUFFIXES, end):
        return ""
    suffix = next(s for s in PLACE_SUFFIXES if prompt.startswith(s, end))
    if _is_japanese(prompt):
        return suffix
    if suffix in _AMBIGUOUS_IN_CHINESE:
        return ""
    # In Chinese a suffix character may start a longer word (路过, 街头,
    # 市场, 区别): then it is that word, not a suffix.
    freqs = word_frequencies("zh")
    window = _simplified(_han_run_from(prompt, end, _MAX_WORD))
    for length in range(len(suffix) + 1, len(window) + 1):
        if window[:length] in freqs:
            return ""
    return suffix


# ---------------------------------------------------------------- Han words

#: Longest dictionary word considered, and Han context read on each side.
_MAX_WORD = 6
_CONTEXT = 6
#: Least probability given to a registered name: one word in 100,000, a
#: common word. The corpora behind the frequencies rarely name fictional
#: characters, prompts sent here often do; with a lower floor 让路飞去 ("let
#: Luffy go") would read 让路|飞去 ("give way, fly off").
_NAME_FLOOR = 1e-5
#: A lone character the dictionary does not list.
_UNKNOWN_CHAR = 1e-9
#: Animal nouns that Chinese puts after a character's transliterated name to
#: say what it is: 汤姆猫 (Tom the cat), 杰瑞鼠, 维尼熊. The dictionary lists
#: some such pairs as words, but the name is still the name in them.
_SPECIES_SUFFIXES = frozenset("猫鼠狗犬熊兔鸭鸡猪羊牛马龙鱼鸟虎狼猴蛙龟狐狮象鹿蛇鹅鲨鲸豹蜂鹰")


def _is_japanese(prompt: str) -> bool:
    return any(is_hiragana(c) or is_katakana(c) for c in prompt)


def _han_run_from(prompt: str, start: int, limit: int) -> str:
    end = start
    while end < len(prompt) and end - start < limit and is_han(prompt[end]):
        end += 1
    return prompt[start:end]


def _straddling_word(prompt: str, start: int, end: int) -> tuple[int, int] | None:
    """A dictionary word across the name's edge that segments at least as well.

    The window is the name plus up to :data:`_CONTEXT` Han characters on each
    side. The best segmentation with the name as one word is compared with the
    best one that has a word crossing either edge of the name (a word starting
    before and ending inside it, or starting inside it or at its start and
    ending after it); the crossing word is returned when it does at least as
    well. The plural suffix 们 binds to the noun before it, so a name's last
    character plus 们 (超人们: 人们 "people") is no such word; nor is the
    name itself followed by an animal noun (汤姆猫, :data:`_SPECIES_SUFFIXES`).
    """
    lo = start
    while lo > 0 and start - lo < _CONTEXT and is_han(prompt[lo - 1]):
        lo -= 1
    hi = end
    while hi < len(prompt) and hi - end < _CONTEXT and is_han(prompt[hi]):
        hi += 1
    language = "ja" if _is_japanese(prompt) else "zh"
    text = prompt[lo:hi] if language == "ja" else _simplified(prompt[lo:hi])
    freqs = word_frequencies(language)
    s, e, n = start - lo, end - lo, hi - lo

    def cost(i: int, j: int) -> float | None:
        word = text[i:j]
        freq = freqs.get(word)
        if freq is None:
            return math.log(_UNKNOWN_CHAR) if j - i == 1 else None
        return math.log(freq)

    def best_from(a: int, b: int) -> list[float]:
        """score[k]: best log-probability of segmenting text[a:k], k in a..b."""
        score = [-math.inf] * (n + 1)
        score[a] = 0.0
        for k in range(a + 1, b + 1):
            for i in range(max(a, k - _MAX_WORD), k):
                c = cost(i, k)
                if c is not None and score[i] + c > score[k]:
                    score[k] = score[i] + c
        return score

    def best_to(a: int, b: int) -> list[float]:
        """score[k]: best log-probability of segmenting text[k:b], k in a..b."""
        score = [-math.inf] * (n + 1)
        score[b] = 0.0
        for k in range(b - 1, a - 1, -1):
            for j in range(k + 1, min(b, k + _MAX_WORD) + 1):
                c = cost(k, j)
                if c is not None and score[j] + c > score[k]:
                    score[k] = score[j] + c
        return score

    prefix = best_from(0, n)
    suffix = best_to(0, n)
    name_freq = max(freqs.get(text[s:e], 0.0), _NAME_FLOOR)
    as_name = prefix[s] + math.log(name_freq) + suffix[e]
    found: tuple[float, int, int] | None = None
    for i in range(n):
        for j in range(i + 2, min(n, i + _MAX_WORD) + 1):
            crosses = (i < s < j) or (i < e < j)
            if not crosses or text[i:j] not in freqs or (i, text[i + 1 : j]) == (e - 1, "们"):
                continue
            if (i, j) == (s, e + 1) and e - s >= 2 and text[e] in _SPECIES_SUFFIXES:
                continue
            total = prefix[i] + math.log(freqs[text[i:j]]) + suffix[j]
            if total >= as_name and (found is None or total > found[0]):
                found = (total, i, j)
    return None if found is None else (found[1] + lo, found[2] + lo)


@lru_cache(maxsize=1)
def _simplification() -> dict[int, str]:
    """wordfreq's character map from Traditional to Simplified Chinese."""
    import msgpack
    from wordfreq.util import data_path

    with gzip.open(data_path("_chinese_mapping.msgpack.gz")) as raw:
        return msgpack.load(raw, raw=False, strict_map_key=False)


def _simplified(text: str) -> str:
    """Character by character (lengths kept), as wordfreq keys Chinese words."""
    table = _simplification()
    return "".join(_lower(table.get(ord(c), c)) for c in text)


def _lower(ch: str) -> str:
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


def warm_up() -> None:
    """Load the frequency tables now rather than in the first prompt that needs them."""
    word_frequencies("zh")
    word_frequencies("ja")
    _simplification()
