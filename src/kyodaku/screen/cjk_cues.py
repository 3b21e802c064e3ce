"""Cues read around a name in Chinese, Japanese or Korean text.

The same questions as :mod:`kyodaku.screen.cues` asks of English and the
other European languages (is the name somebody's pet, a real child, the
everyday word it also is, a figure of an older story?), answered with
what these languages use instead of capitals and articles: particles and
name titles (リンクが, 弥勒法師), kinds and kin before a name (大熊猫乐乐,
우리 아들), possessives (うちの柴犬のシロ), ages (あかねちゃん三歳) and
the books a figure comes from (西遊記の, 신화의). Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from kyodaku.screen.normalise import is_cjk, is_han, is_hangul, is_hiragana, is_katakana
from kyodaku.screen.types import Span

if TYPE_CHECKING:  # cues imports this module
    from kyodaku.screen.cues import Cues
    from kyodaku.screen.matches import Match

_CJK_SOURCE_SUFFIX = re.compile(
    r"(?:(?:記|记|伝|传|物語|演義|演义|神話|神话|伝説|传说|昔話|民話|童話|童话|小説|小说|経|经|志)"
    r"(?:の|的)?|(?:신화|전설|설화|동화|민담|소설|서사시)의)\s*$"
)
#: A work named after a name, right after it (ギルガメッシュ叙事詩 "the Epic of
#: Gilgamesh", 源氏物語, 길가메시 서사시): the name is that work's figure.
_CJK_WORK_AFTER = re.compile(r"\s?(?:叙事詩|叙事诗|物語|伝説|传说|神話|神话|서사시|전설|신화)")
#: Starring in a film or show right after a name: an actor (小松菜奈が主演する, 主演的电影).
_ACTOR_AFTER = re.compile(r"(?:さん|氏)?(?:が|は)?(?:主演|出演|主演的|出演的|주연|출연)")
#: Condiments sold under a name, right after it (丘比沙拉酱, キユーピーマヨネーズ).
_CJK_CONDIMENT_AFTER = re.compile(
    r"\s?(?:沙拉酱|蛋黄酱|酱油|番茄酱|マヨネーズ|ドレッシング|ソース|醤油|ケチャップ|마요네즈|소스)"
)
#: A kinship title right after a name (ステラおばさん, マリアおばあちゃん): someone's
#: aunt or grandmother, or a shop named after one. A character called so is
#: registered with the title (ジャムおじさん), and that longer match wins.
_KIN_TITLE_AFTER = re.compile(r"(?:おば|おじ|おばあ|おじい|ばあ|じい)(?:さん|ちゃん)")
#: An age right after a name (あかねちゃん三歳, 아카네 3살, 斎藤一さん（42歳）):
#: a real child's, or a real person's as the news writes them.
_AGE_AFTER = re.compile(
    r"(?:ちゃん|くん|君|さん|氏)?\s?[（(]?[0-9０-９一二三四五六七八九十]{1,3}\s?(?:歳|才|岁|살|세)"
)
#: "Our/my <noun> named …" in Japanese: うちの柴犬のシロ, 私の友達のアナ.
_OUR_NAMED_ONE = re.compile(
    r"(?:うちの|ウチの|我が家の|わが家の|私の|わたしの|僕の|ぼくの|俺の|おれの)"
    r"[\u3041-\u3096\u3400-\u9fff\u30a0-\u30ffー]{1,10}の$"
)
#: Kinds of animals and people right before a CJK name: the name is that
#: animal's or person's (克隆羊多莉 "Dolly the cloned sheep", 大熊猫乐乐, 柴犬シロ,
#: 우리 집 강아지 뚱이 "our dog Ttungi").
_CJK_KIND_BEFORE = re.compile(
    r"(?:羊|狗|猫|犬|熊猫|兔|兔子|马|牛|猪|鸟|鹦鹉|仓鼠|金鱼|乌龟|狗狗|猫咪|宠物|羊驼|柴犬|"
    r"孙子|孙女|外孙|外孙女|儿子|女儿|侄子|侄女|"
    # trains and ships go by names too: 特急あずさ, 戦艦大和
    r"特急|急行|快速|新幹線|列車|列车|特快|戦艦|軍艦|战舰|军舰|競走馬|赛马|"
    r"강아지|고양이|반려견|반려묘|햄스터|앵무새|아들|딸|손자|손녀|조카|열차)\s?$"
)
#: Nouns a scientist's name opens (帕斯卡定律, パスカルの原理, 도플러 효과):
#: the law is named after the person, not after a character.
_EPONYM_AFTER = re.compile(
    r"\s?(?:の|的)?(?:定律|定理|原理|効果|效应|方程式?|常数|定数|悖论|猜想|法則|法则|"
    r"パラドックス|\s?(?:법칙|정리|원리|효과|방정식|상수|역설))"
    r"(?![\u4e00-\u9fff음])"  # not a longer word: ピカチュウの効果音 is his sound effect
)
_CJK_TITLE_BEFORE = re.compile(r"[》』〉]\s*(?:の|的)?\s*$")
#: Occupations that introduce a real person (昭和の名優・高倉健, 漆職人の一輝さん,
#: 演员X, 가수 X), with the English word a character's description would use
#: for the same occupation: a character who is a singer is no other singer.
_OCCUPATIONS: dict[str, str] = {
    "俳優": "actor", "名優": "actor", "女優": "actress", "歌手": "singer", "作家": "writer",
    "小説家": "novelist", "詩人": "poet", "俳人": "poet", "歌人": "poet", "画家": "painter",
    "声優": "voice", "政治家": "politician", "首相": "minister", "大臣": "minister",
    "議員": "lawmaker", "社長": "president", "会長": "chairman", "教授": "professor",
    "弁護士": "lawyer", "芸人": "comedian", "職人": "craftsman", "会社員": "employee",
    "社員": "employee", "店主": "owner", "店長": "manager", "農家": "farmer", "漁師": "fisherman",
    "棋士": "player", "力士": "wrestler", "横綱": "wrestler", "記者": "journalist",
    "アナウンサー": "announcer", "タレント": "celebrity", "陶芸家": "potter",
    "写真家": "photographer", "建築家": "architect", "駅長": "stationmaster",
    "演员": "actor", "导演": "director", "记者": "journalist", "歌星": "singer",
    "배우": "actor", "가수": "singer", "작가": "writer", "기자": "journalist", "교수": "professor",
}  # fmt: skip
_OCCUPATION_BEFORE = re.compile(
    "(" + "|".join(sorted(_OCCUPATIONS, key=len, reverse=True)) + r")(?:の|・|･|的)?\s?[「『]?$"
)


#: Japanese titles after a name that only people (and characters) take.
_JA_FORMAL_TITLES = ("様", "さま", "殿", "姫", "先生", "博士", "王子", "法師", "師匠", "先輩",
                     "隊長", "兵長", "船長", "団長", "氏",
                     # as all-kana prompts write them (かかしせんせい)
                     "せんせい", "せんぱい", "はかせ", "ししょう", "たいちょう", "へいちょう",
                     "せんちょう", "だんちょう")  # fmt: skip
#: ...and the everyday ones, which pets and things take too (ねこちゃん).
_JA_FAMILIAR_TITLES = ("さん", "ちゃん", "くん", "君")


def _japanese_title_after(prompt: str, end: int, surface: str, *, reading: bool = False) -> bool:
    """A Japanese name title right after a name: 弥勒法師, 海馬様; ねこちゃん is a cat.

    The familiar titles make a name of a name written in kanji or of the kana
    reading of one (なるほどくん), not of a noun written in kana.
    """
    if not surface or not any(is_cjk(c) for c in surface):
        return False
    if prompt.startswith(_JA_FORMAL_TITLES, end):
        return True
    familiar = reading or all(is_han(c) for c in surface)
    return familiar and prompt.startswith(_JA_FAMILIAR_TITLES, end)


#: Japanese plural suffixes between a name and its particle (血小板たちが).
_JA_PLURAL = re.compile(r"(?:たち|達|ら)")
#: Japanese particles after a subject (or a listed one): が, は, と, も.
_JA_SUBJECT_PARTICLE = re.compile(r"[がはとも]")


#: Clothing or looks, then の, before a name: "紫のスーツのジョーカー", the
#: one in the purple suit, is somebody; "カメラのフラッシュ" is a thing's.
_WEARING_BEFORE = re.compile(
    r"(?:スーツ|服|制服|着物|浴衣|ドレス|コート|マント|ジャケット|帽子|衣装|姿|髪|顔|マスク|仮面)の$"
    # ...and what kind of being it is: "黄色い鳥のチャック", Chuck the yellow bird;
    # "ピンク髪のメイド、ラム", Ram the maid
    r"|(?:鳥|猫|ネコ|ねこ|犬|イヌ|いぬ|さる|サル|うさぎ|ウサギ|くま|クマ|ねずみ|ネズミ|"
    r"ロボット|メイド|少女|少年|女の子|男の子|魔法使い|魔女|騎士|王子|王女|姫|妖精|怪獣|"
    r"恐竜|ドラゴン|モンスター)(?:の|、)$"
)


def _used_as_a_name(prompt: str, span: Span, surface: str) -> bool:
    """A Japanese name used as somebody's name, not as the everyday word it also is.

    The everyday word a katakana name may also be (フラッシュ, マイク) is
    mostly somebody's thing ("カメラのフラッシュが") or an object ("マイクを").
    It is somebody when it opens the prompt or a sentence as its subject
    (リンクが…), when it wears something (紫のスーツのジョーカーが), or when
    the prompt around it is not Japanese at all ("サリー roaring"): nobody
    writes a Japanese common noun into an English sentence. A name written
    in hiragana or kanji acts only as the prompt's subject.
    """
    surface = unicodedata.normalize("NFKC", surface)  # ｴｸﾎﾞ: half-width katakana
    if surface and (
        all(is_hiragana(c) or c == "ー" for c in surface) or all(is_han(c) for c in surface)
    ):
        # よる が まち で たたかう: a katakana name spelt as the hiragana word
        # it also is (kyodaku.screen.names), or a name in kanji that is a word
        # (赤血球が酸素の箱を抱えて…), acts only as the prompt's subject.
        opens = span.start == 0 or prompt[span.start - 1] in "。！？!?\n「『"
        particle = span.end + _spaces_at(prompt, span.end)
        plural = _JA_PLURAL.match(prompt, particle)  # 血小板たちが: they act
        if plural:
            particle = plural.end()
        return opens and _JA_SUBJECT_PARTICLE.match(prompt, particle) is not None
    if not surface or not all(is_katakana(c) or c == "ー" for c in surface):
        return False
    if not any(_is_japanese_char(c) for c in prompt[: span.start] + prompt[span.end :]):
        return True
    if _WEARING_BEFORE.search(prompt, 0, span.start):
        return True
    # A sentence, not a clause: after "夜のタクシー、" メーターが is the meter.
    opens = span.start == 0 or prompt[span.start - 1] in "。！？!?\n「『"
    particle = span.end + _spaces_at(prompt, span.end)  # ｴｸﾎﾞ が: all-kana prompts space words
    return opens and _JA_SUBJECT_PARTICLE.match(prompt, particle) is not None


def _spaces_at(prompt: str, pos: int) -> int:
    """How many spaces (ASCII or ideographic) stand at ``pos``."""
    end = pos
    while end < len(prompt) and prompt[end] in " \u3000":
        end += 1
    return end - pos


#: Brackets that quote a work's title in Chinese, Japanese and Korean.
_TITLE_BRACKETS = {"『": "』", "《": "》", "「": "」", "〈": "〉", "【": "】", "＜": "＞"}


def _is_japanese_char(ch: str) -> bool:
    return "\u3041" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"


def subject_particle_at(prompt: str, pos: int) -> bool:
    """Whether a Japanese subject (or listing) particle stands at ``pos``."""
    return _JA_SUBJECT_PARTICLE.match(prompt, pos) is not None


def read_cjk_cues(cues: Cues, match: Match, prompt: str, description: str = "") -> None:
    """Set the CJK cues of ``match`` on ``cues`` (see the module docs).

    ``description`` is the character's registered description (English): an
    occupation before the name that it also gives is the character's own.
    """
    span, surface, kind = match.span, match.surface, match.entry.kind
    before = prompt[max(0, span.start - 12) : span.start]
    occupation = (
        _OCCUPATION_BEFORE.search(before) if kind != "term" and not before.isascii() else None
    )
    if occupation and _OCCUPATIONS[occupation.group(1)] not in description.lower():
        cues.someone_else = True  # お笑い芸人の鉄拳さん: a comedian, not the game
    if _CJK_SOURCE_SUFFIX.search(before) or _CJK_TITLE_BEFORE.search(before):
        cues.other_source = True  # 西遊記の孫悟空, 《西游记》的孙悟空
    if kind in ("name", "alias") and _ACTOR_AFTER.match(prompt, span.end):
        cues.someone_else = True  # 小松菜奈が主演する映画: an actor stars, a character does not
    if kind != "term" and _CJK_CONDIMENT_AFTER.match(prompt, span.end):
        cues.brand_after = True  # 丘比沙拉酱: a brand of mayonnaise
    if kind in ("name", "alias") and _CJK_WORK_AFTER.match(prompt, span.end):
        cues.other_source = True  # ギルガメッシュ叙事詩, 源氏物語: a work named after the name
    if kind in ("name", "alias") and _OUR_NAMED_ONE.search(before):
        cues.someone_else = True  # うちの柴犬のシロ: "Shiro, our shiba"
    if (
        surface
        and all(is_hangul(c) for c in surface)
        and span.end < len(prompt)
        and is_hangul(prompt[span.end])
    ):
        cues.particle_after = True
    if kind in ("name", "alias", "reading") and _japanese_title_after(
        prompt, span.end, surface, reading=match.entry.derived == "kana"
    ):
        cues.proper_usage = True  # 弥勒法師, ピーチ姫: a title only a person takes
    if (
        kind == "title"
        and span.start > 0
        and span.end < len(prompt)
        and _TITLE_BRACKETS.get(prompt[span.start - 1]) == prompt[span.end]
    ):
        cues.proper_usage = True  # 『日常』: quoted as a title, not "everyday life"
    if kind in ("name", "alias") and _KIN_TITLE_AFTER.match(prompt, span.end):
        cues.someone_else = True  # ステラおばさんのクッキー: somebody's aunt (or a shop's)
    if kind in ("name", "alias") and _AGE_AFTER.match(prompt, span.end):
        cues.someone_else = True  # あかねちゃん三歳の誕生日: somebody's child
    if kind != "term" and _CJK_KIND_BEFORE.search(before):
        cues.category_before = True  # 大熊猫乐乐, "the giant panda Le Le"; 우리 집 강아지 뚱이
    if kind in ("name", "alias") and _EPONYM_AFTER.match(prompt, span.end):
        cues.category_before = True  # 帕斯卡定律: Pascal's law
    if kind in ("name", "alias") and _used_as_a_name(prompt, span, surface):
        cues.acting_subject = True  # リンクが剣を抜く: the loanword "link" does not draw a sword
