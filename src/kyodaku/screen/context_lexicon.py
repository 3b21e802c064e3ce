"""Cue lexicons for prohibited-context detection (data only; no logic but expansion).

Why data in a module rather than YAML: it ships with the package without any
package-data configuration, and it is checked by ruff and the type checker like
any other code. :mod:`kyodaku.screen.contexts` compiles it once at import.

How to read an entry
--------------------
* Phrases are written as a person would type them; the compiler passes them
  through the same normalisation as prompts (NFKC, case folding, hyphens and
  dashes to spaces), so ``"pin-up"`` also matches "pin up" and "ＰＩＮ－ＵＰ".
* ``{a,b,}`` expands to alternatives: ``"cigarette{,s}"`` is "cigarette" and
  "cigarettes". Inflections are listed, never guessed, so that "drinks" (soft
  drinks) does not sneak in just because "drunk" is a cue.
* Latin-script phrases match whole words only; Japanese, Chinese and Korean
  phrases match as substrings (those scripts do not separate words), which is
  why single-character cues are rare and come with exclusions.
* Tiers set the score of a hit: ``strong`` cues put a prompt in the context on
  their own; ``moderate`` cues usually do; ``weak`` cues are borderline uses
  that annotators nonetheless count (e.g. "sparring" as violence).
* ``exclusions`` are longer phrases in which a cue means something else
  ("wine-red", "for the sake of", "killer whale"). A cue occurrence that
  lies within an occurrence of an exclusion of its own context is dropped.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

#: Score of a hit, by tier.
TIER_SCORES: dict[str, float] = {"strong": 0.9, "moderate": 0.7, "weak": 0.5}


@dataclass(frozen=True, slots=True)
class ContextLexicon:
    """Cues for one prohibited context, by tier, and the phrases that defuse them."""

    strong: tuple[str, ...]
    moderate: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()

    def tiers(self) -> dict[str, tuple[str, ...]]:
        return {"strong": self.strong, "moderate": self.moderate, "weak": self.weak}


_BRACES = re.compile(r"\{([^{}]*)\}")


def expand(phrase: str) -> list[str]:
    """Expand ``{a,b}`` alternatives (several groups multiply out)."""
    parts = _BRACES.split(phrase)
    literals, groups = parts[0::2], [g.split(",") for g in parts[1::2]]
    out = []
    for choice in itertools.product(*groups):
        pieces = [literals[0]]
        for alternative, literal in zip(choice, literals[1:], strict=True):
            pieces += [alternative, literal]
        out.append("".join(pieces))
    return out


def _combine(verbs: tuple[str, ...], objects: tuple[str, ...], tail: str = "") -> tuple[str, ...]:
    """Every ``verb object tail`` phrase: violence aimed at someone, not at a ball."""
    return tuple(f"{v} {o}{tail}" for verb in verbs for v in expand(verb) for o in objects)


# --- violence against people: verb + victim ----------------------------------------------

_VICTIMS: tuple[str, ...] = tuple(
    p
    for phrase in (
        "him", "them", "someone", "somebody", "people", "each other", "one another",
        "{a,the} {man,woman,child,kid,boy,girl,person,guy,stranger,victim,prisoner,student,"
        "classmate,teenager,cop,police officer,homeless man,old man,old woman,baby,dog,cat,"
        "puppy,animal,shopkeeper,clerk,cashier,waiter,waitress,neighbor,neighbour,teacher,"
        "officer,guard,pedestrian,customer,homeless person,refugee,immigrant,old lady,"
        "protester,passenger,driver,nurse,doctor}",
        "{civilians,bystanders,passers by,villagers,hostages,prisoners,students,children,kids,"
        "protesters,animals,innocent people,innocents,pedestrians,customers,refugees,"
        "immigrants,passengers}",
        "his {wife,girlfriend,son,daughter,brother,friend}",
        "her {husband,boyfriend,son,daughter,sister,friend}",
    )
    for p in expand(phrase)
)

#: Verbs that are violent when aimed at a person or an animal but not otherwise ("kicks the
#: ball", "hits the road"). Verbs that are violent on their own (kill, stab, murder...) are
#: plain cues instead. "shoot" only with "at": a photographer "shoots her" in golden light.
_HARM_VERBS: tuple[str, ...] = (
    "punch{,es,ed,ing}",
    "kick{,s,ed,ing}",
    "slap{,s,ped,ping}",
    "hit{,s,ting}",
    "attack{,s,ed,ing}",
    "choke{,s,d}",
    "choking",
    "shoot{,s,ing} at",
    "shot at",
    "mug{,s,ged,ging}",
    "whip{,s,ped,ping}",
)

#: Shooting aimed at groups is violence; "shoots her" is as likely a photographer at work.
_SHOOTING: tuple[str, ...] = _combine(
    ("shoot{,s,ing}", "shot", "gun{,s,ning} down", "gunned down"),
    tuple(expand("{civilians,villagers,bystanders,hostages,innocent people,innocents,protesters,"
                 "refugees,prisoners,students,children,pedestrians,passers by}")),
)
#: "her" is also a possessive ("kicks her legs", "punches her fist in the air"), so it
#: counts as a victim only where the blow lands somewhere.
_AT_HER: tuple[str, ...] = tuple(
    phrase
    for tail in expand(" {in,on} the {face,head,stomach,gut,chest,back,jaw,nose,mouth}")
    for phrase in _combine((*_HARM_VERBS, "beat{,s,ing}"), ("her",), tail)
)
_BEAT_UP: tuple[str, ...] = _combine(("beat{,s,ing}",), (*_VICTIMS, "her"), " up")
_KNOCK_OUT: tuple[str, ...] = _combine(("knock{,s,ed,ing}",), _VICTIMS, " out")


LEXICONS: dict[str, ContextLexicon] = {
    "gambling": ContextLexicon(
        strong=(
            "casino{,s}", "pachinko", "pachislot", "pachislo", "pachi slot", "slot machine{,s}",
            "play{,s,ing} {the ,}slots", "online slots", "roulette", "poker", "blackjack",
            "baccarat", "craps", "gambl{e,es,ed,ing,er,ers}", "bet{s,ting}", "bettor{,s}",
            "{place,places,placed,placing,make,makes,made,making} {a ,}bet", "bet on",
            "bet{,s,ting} {money,everything,his,her,their,all}", "wager{,s,ed,ing}",
            "bookmaker{,s}", "bookie{,s}", "sportsbook", "lottery", "lotteries",
            "scratch card{,s}", "scratch off ticket{,s}", "high roller{,s}", "card shark{,s}",
            "cardsharp{,s}", "mahjong {den,parlor,parlour,hall}{,s}", "betting slip{,s}",
            "poker chip{,s}", "casino chip{,s}", "{shooting,rolling} dice for money",
            "{shoot,shoots,shooting} craps", "sports betting",
            # Japanese
            "賭", "ギャンブル", "パチンコ", "パチスロ", "カジノ", "ルーレット", "ポーカー",
            "ブラックジャック", "馬券", "舟券", "車券", "宝くじ", "雀荘", "博打", "博奕", "丁半",
            "胴元",
            # Chinese, Korean
            "赌", "老虎机", "轮盘", "彩票", "博彩", "麻将馆",
            "도박", "카지노", "슬롯머신", "룰렛", "포커", "베팅", "파친코",
            # French, Spanish
            "jeux d'argent", "machine à sous", "machines à sous", "parier", "paris sportifs",
            "apuesta{,s}", "apost{ar,ando}", "tragamonedas", "tragaperras", "ruleta",
            "juego{,s} de azar", "lotería",
        ),
        moderate=(
            "jackpot{,s}", "slots", "dice game{,s}", "bingo hall{,s}",
            "スロット", "バカラ", "競輪", "競艇", "扑克", "경마",
        ),
        weak=("競馬", "ボートレース"),
        exclusions=(
            "poker face{,d}", "fire poker", "red hot poker", "{best,safe,good,sure} bet",
            "{hit,hits,hitting} the jackpot", "time slots", "スロットル", "ポーカーフェイス",
            "命を賭", "命賭", "赌气", "赌上", "カードスロット", "포커페이스",
        ),
    ),
    "political": ContextLexicon(
        strong=(
            "election{,s}", "electoral", "{election,political,presidential,mayoral} campaign{,s}",
            "campaign {rally,rallies,trail,poster,posters,speech,speeches,sign,signs,button,"
            "buttons,slogan,slogans,headquarters,office}",
            "campaign{,s,ing} for {mayor,president,governor,office,senate,congress,parliament}",
            "{political,protest,election,campaign,party} rally", "political rallies",
            "political party", "political parties", "politic{s,al,ally,ian,ians}",
            "propaganda", "protest{,s,ed,ing,er,ers,or,ors}", "demonstrators",
            "anti government", "overthrow the government", "coup d'état", "coup d'etat",
            "ballot{,s}", "ballot box", "polling {station,stations,place,booth}",
            "voting {booth,booths,station,stations}", "vote for", "votes for", "voting for",
            "get out the vote", "{cast,casts,casting} {a,his,her,their} vote{,s}",
            "reelect{,ed,ion}", "re elect{,ed}",
            "running for {office,mayor,president,governor,congress,senate,parliament}",
            "{run,runs} for {office,mayor,president,governor,congress,senate,parliament}",
            "presidential", "prime minister", "senator{,s}", "congress{man,men,woman,women}",
            "member of parliament", "mayoral", "gubernatorial",
            "{democratic,republican,communist,labour,labor,conservative,liberal,green,"
            "socialist,nationalist,ruling,opposition} party", "referendum",
            "head of state", "picket line{,s}",
            "donald trump", "joe biden", "barack obama", "kamala harris", "vladimir putin",
            "xi jinping", "kim jong un", "volodymyr zelensky", "emmanuel macron", "shinzo abe",
            "fumio kishida", "shigeru ishiba", "president of the united states",
            "{us,u.s.,american,french,russian,chinese} president", "make america great again",
            "maga", "flag burning",
            # Japanese
            "選挙", "政党", "政治", "立候補", "候補者", "首相", "総理大臣", "大統領", "国会議員",
            "与党", "野党", "自民党", "共産党", "民主党", "公明党", "維新の会", "街頭演説",
            "反政府", "抗議デモ", "デモ行進", "反対デモ", "プロパガンダ", "街宣", "投票",
            "安倍晋三", "岸田文雄", "石破茂", "習近平", "プーチン", "金正恩", "市長選", "知事選",
            "デモ隊", "総裁選", "衆院選", "参院選", "政見放送",
            # Chinese, Korean
            "选举", "竞选", "候选人", "总统", "共产党", "示威", "抗议",
            "선거", "정당", "투표", "정치", "대통령", "유세", "시위",
            # French, Spanish
            "élection{,s}", "campagne électorale", "parti politique", "propagande",
            "politique", "manifestants",
            "elecci{ón,ones}", "campaña electoral", "partido político", "polític{a,o,as,os}",
            "manifestantes", "votar por", "vote por",
        ),
        moderate=(
            "candidate{,s}", "dictator{,s}", "parliament", "manifesto", "communis{t,m}",
            "fascis{t,m}",
            "{political,campaign} slogan{,s}", "activist{,s}", "placard{,s}", "riot police",
            "senate", "congressional", "lawmaker{,s}", "anti immigra{nt,nts,tion}",
            "マニフェスト",
            "演説", "抗議", "議員", "政権", "右翼", "左翼",
            "candidat{,e,s,es}", "candidat{o,a,os,as}",
        ),
        exclusions=(
            "job candidate{,s}", "{ideal,perfect,drug,vaccine} candidate{,s}",
            "candidate{,s} for the {job,role,position}", "vote for your", "voting for your",
            "vote for the best", "presidential suite{,s}", "houses of parliament",
            "parliament {of owls,hill,square}", "rally car{,s}",
            "人気投票", "ファン投票", "인기투표",
        ),
    ),
    "sexual": ContextLexicon(
        strong=(
            "nude{,s}", "nudity", "naked", "topless", "lingerie", "erotic{,a}", "sexy",
            "sexier", "sexiest", "sex", "sexual", "sexually", "sexuali{z,s}ed", "porn",
            "porno", "pornographic", "pornography", "nsfw", "hentai", "ecchi", "lewd",
            "r18", "r 18", "18+", "x rated", "adult {film,films,video,videos,content,movie}",
            "sexually explicit", "explicit {content,scene,scenes,sex}", "striptease",
            "strip tease", "stripper{,s}", "strip club{,s}", "lap dance{,s}", "intercourse",
            "orgy", "orgies", "foreplay", "making love", "fetish", "bondage", "bdsm",
            "dominatrix", "pin up {girl,girls,model,models,style,pose,poses,poster,posters,"
            "photoshoot,photo shoot,shoot,calendar}", "pinup{,s}", "risqué", "risque",
            "playboy", "onlyfans", "seductive", "seductively", "seduc{e,es,ing}",
            "sensual", "suggestive", "provocative pose{,s}", "cleavage", "panties",
            "panty shot{,s}", "upskirt", "nipple{,s}", "genitals", "penis", "vagina",
            "masturbat{e,es,ing,ion}", "prostitut{e,es,ion}", "brothel{,s}", "ahegao", "oppai",
            "thirst trap", "scantily clad", "rape{,d}", "sexual assault", "molest{,s,ed,ing,ation}",
            # Japanese
            "性的", "エロ", "ヌード", "裸", "ランジェリー", "セクシー", "官能", "わいせつ",
            "猥褻", "卑猥", "ポルノ", "成人向け", "18禁", "胸の谷間", "色っぽ", "艶かし",
            "艶めかし", "淫", "売春", "ストリップ", "ピンナップ", "パンチラ", "破廉恥",
            "ハレンチ", "痴漢", "強姦",
            # Chinese, Korean
            "色情", "情色", "裸体", "裸露", "性感",
            "섹시", "누드", "선정적", "음란", "알몸", "성인용",
            # French, Spanish
            "érotique", "nudité", "sexuel{,le}", "desnud{o,a,os,as,ez}", "erótic{o,a}",
            "lencería",
        ),
        moderate=(
            "breasts", "hooker{,s}", "kinky", "provocative", "xxx", "boudoir",
            "pole danc{e,er,ers,ing}", "twerk{,s,ing}", "stripping down", "skimpy",
            "revealing {outfit,outfits,clothes,clothing,dress,costume,swimsuit,bikini}",
            "きわどい", "際どい", "露出度の高い", "肌の露出",
            "エッチ", "アダルト", "悩殺", "下着姿", "風俗",
        ),
        weak=("gravure", "グラビア"),
        exclusions=(
            "nude {lipstick,lip,colour,color,colours,colors,shade,shades,tone,tones,palette,"
            "heels,pumps,makeup,nails,beige,pink,colored,coloured,leotard,bodysuit,tights}",
            "naked {eye,flame,flames,truth,mole rat,mole rats}",
            "suggestive of", "kinky {hair,curls}", "oilseed rape",
            "{chicken,turkey,duck} breasts", "breasts cancer", "sex {education,ed}",
            "裸足", "裸眼", "裸電球", "赤裸々", "裸一貫", "ラファエロ", "ヌードル", "ヌードカラー",
            "ヌードベージュ", "エッチング", "アダルトチルドレン", "風俗画", "ledストリップ",
            "コミックストリップ", "ストリップライト", "누드김밥", "누드 김밥",
        ),
    ),
    "violence": ContextLexicon(
        strong=(
            "blood", "bloody", "bloodied", "blood soaked", "bloodbath", "bloodshed",
            "bloodstain{,s,ed}", "blood stained", "gore", "gory", "gruesome", "carnage",
            "massacre{,s,d}",
            "slaughter{,s,ed,ing}", "murder{,s,ed,ing,er,ers,ous}", "homicide{,s}",
            "kill{,s,ed,ing,er,ers}", "stab{,s,bed,bing}", "stab wound{,s}",
            "assassinat{e,es,ed,ing,ion}", "behead{,s,ed,ing}", "decapitat{e,es,ed,ing,ion}",
            "dismember{,s,ed,ing,ment}", "disembowel{,s,ed,led,ing,ling}",
            "mutilat{e,es,ed,ing,ion}", "tortur{e,es,ed,ing}", "torture chamber",
            "strangl{e,es,ed,ing}", "strangulation", "severed {head,heads,limb,limbs,arm,arms}",
            "corpse{,s}", "dead bod{y,ies}", "violence", "violent",
            "beaten {up,to death,with,bloody,senseless}", "beat{,s} to death",
            "beat up", "beats up", "beating up",
            "fistfight{,s}", "fist fight{,s}", "street fight{,s}", "bar fight{,s}",
            "bar brawl{,s}", "brawl{,s,ing}", "knife fight{,s}", "gunfight{,s}",
            "gun fight{,s}", "shootout{,s}", "shoot out", "fight{,s,ing} to the death",
            "death match{,es}", "deathmatch{,es}", "gunned down", "shot dead", "shot and killed",
            "shot to death", "fatally shot", "shot in the {head,chest,face,back,leg}",
            "gunshot{,s}", "gunfire", "gunpoint", "{point,points,pointed,pointing} a gun at",
            "gun to {his,her,their} head", "open{,s,ed,ing} fire", "firing squad",
            "{school,mass} shooting{,s}", "shooting spree", "drive by shooting", "gunman",
            "gunmen", "terroris{t,ts,m}", "terror attack{,s}", "suicide bomb{er,ers,ing}",
            "bombing{,s}", "knife attack{,s}", "acid attack{,s}", "war crime{,s}", "genocide",
            "child abuse", "animal abuse", "domestic {violence,abuse}", "lynched", "lynching",
            "lynch mob{,s}",
            "suicide", "self harm", "slit{,s} {his,her,their} throat",
            "{cut,cuts} {his,her,their} throat", "punched in the face", "kicked in the face",
            "knife to {his,her,their,someone's} throat",
            "{aim,aims,aiming,aimed} a {gun,rifle,pistol} at",
            "beat{,s,ing} the {crap,hell,shit,living daylights} out of",
            "rape{,d}", "sexual assault", "molest{,s,ed,ing,ation}",
            *_BEAT_UP, *_SHOOTING,
            "dead {soldiers,civilians,people,villagers}",
            "{fire,fires,fired,firing,shoot,shoots,shooting,shot} a {gun,pistol,rifle,shotgun,"
            "machine gun} at",
            # Japanese
            "流血", "血まみれ", "血だらけ", "血塗れ", "血しぶき", "血飛沫", "血の海", "返り血",
            "鮮血", "血を流", "血が流れ", "血が噴", "吐血", "殺す", "殺し", "殺さ", "殺せ",
            "殺人", "殺害", "殺戮", "惨殺", "虐殺", "刺殺", "射殺", "撲殺", "絞殺", "斬殺",
            "暗殺", "銃殺", "爆殺", "刺し殺", "撃ち殺", "斬り殺", "殴り殺", "殴", "暴力", "暴行",
            "虐待", "拷問", "惨劇", "グロテスク", "グロい", "グロ描写", "死体", "生首", "斬首",
            "首を刎ね", "首をはね", "首を絞め", "リンチ", "ボコボコに", "ぼこぼこに", "フルボッコ",
            "袋叩き", "乱闘", "銃撃", "発砲", "乱射", "撃たれ", "テロ攻撃", "テロ事件",
            "テロリスト", "爆破テロ", "自爆テロ", "テロ行為", "自殺", "自傷", "滅多刺し",
            "めった刺し", "ナイフで刺", "包丁で刺",
            # Chinese, Korean
            "血腥", "杀人", "杀死", "杀害", "屠杀", "残杀", "谋杀", "刺杀", "枪杀", "砍杀",
            "殴打", "血迹", "尸体", "酷刑", "斩首", "自杀",
            "폭력", "피투성이", "살인", "살해", "유혈", "구타", "시체", "학살", "총격",
            # French, Spanish
            "sanglant{,e,s,es}", "ensanglanté{,e,s,es}", "meurtre{,s}", "meurtrier",
            "tuer", "poignard{er,é,ée}", "tabass{er,é,ée}", "égorg{er,é,ée}", "cadavre{,s}",
            "violencia", "violent{o,a,os,as}", "sangre", "sangrient{o,a,os,as}",
            "ensangrentad{o,a,os,as}", "asesinat{o,os}", "asesinar", "matar", "matando",
            "apuñal{ar,ado,ada}", "golpiza", "tortura", "masacre", "cadáver{,es}",
        ),
        moderate=(
            "brutal", "brutally", "bleeding", "impal{e,es,ed,ing}", "hostage{,s}",
            "public execution{,s}", "execution style", "cage fight{,s,ing}", "bare knuckle",
            "{holding,holds,wielding,wields,brandishing,brandishes,pointing,points} "
            "{a gun,a pistol,a rifle,a shotgun,a handgun,a machine gun,an assault rifle,guns}",
            "brandish{,es,ing} a knife",
            "銃で撃", "銃を撃", "銃を構え", "銃口を向け", "拳銃", "ナイフを振り回",
            *_combine(_HARM_VERBS, _VICTIMS), *_AT_HER, *_KNOCK_OUT,
            "出血", "遺体", "ナイフを突きつけ",
        ),
        weak=(
            "sparring", "sparred", "spar{,s} with", "sparring {partner,match,session}",
            "boxing {match,matches,bout,bouts}", "fight{,s,ing} each other", "kickboxing",
            "スパーリング", "組手", "組み手", "手合わせ",
        ),
        exclusions=(
            "blood {red,orange,oranges,moon,type,types,test,tests,donation,donor,donors,drive,"
            "bank,pressure,sugar,cell,cells,vessel,vessels,sample,samples,brother,brothers,"
            "relative,relatives,line,lines}", "blue blood{,s}", "royal blood", "bad blood",
            "bloody mary{,s}", "bleeding {edge,heart,hearts}",
            "{color,colour,colors,colours,ink} bleeding", "al gore", "gore tex",
            "corpse {flower,flowers,paint}", "killer {whale,whales,app,apps,smile,look,looks,"
            "heels,bee,bees,queen,instinct,move,moves}", "weed killer",
            "kill{,s,ing} time", "{killing,killed,kills} it", "kill switch",
            "a murder of crows", "violent {storm,storms,wind,winds,waves,sea,seas,eruption,"
            "earthquake,weather,thunderstorm,shaking,tremor,tremors}", "brutal honesty",
            "a beat up", "beat up old", "beat up and {rusty,dusty,worn,dented,faded,scratched}",
            "beat up {car,truck,van,sofa,couch,guitar}",
            "{take,takes,took,taking} a stab at", "photo bombing",
            "stab{,s} at it", "suicide {squad,door,doors}", "mugging for", "bombing on stage",
            "assault course{,s}", "david lynch",
            "殴り書き", "殺し文句", "デヴィッド・リンチ", "デビッド・リンチ",
        ),
    ),
    "alcohol": ContextLexicon(
        strong=(
            "alcohol", "alcoholic", "booze", "boozy", "boozing", "liquor{,s}", "liqueur{,s}",
            "beer{,s}", "lager{,s}", "pilsner{,s}", "ale{,s}", "keg{,s}", "kegger",
            "wine{,s}", "winery", "wineries", "red wine", "white wine", "rosé", "sparkling wine",
            "champagne", "prosecco", "sake", "saké", "soju", "makgeolli", "baijiu",
            "shochu", "shōchū", "chuhai", "umeshu", "awamori", "highball{,s}",
            "whisk{y,ey,ies,eys}", "bourbon", "scotch", "vodka", "tequila", "mezcal", "rum",
            "cognac", "absinthe", "gin and tonic", "gin & tonic", "gin tonic{,s}",
            "{glass,bottle,shot,shots} of gin", "gin bottle{,s}",
            "cocktail{,s}", "martini{,s}", "mojito{,s}", "sangria",
            "daiquiri{,s}", "negroni{,s}", "piña colada{,s}", "pina colada{,s}", "bloody mary",
            "drunk", "drunken", "drunkenly", "tipsy", "hangover", "hungover", "intoxicated",
            "brewery", "breweries", "microbrewery", "distillery", "distilleries",
            "pub crawl{,s}", "bar crawl{,s}", "bar hopping", "izakaya{,s}", "oktoberfest",
            "drinking {game,games,contest,contests,party,parties,buddy,buddies,session}",
            "{binge,heavy,day,underage} drinking", "{drink,drunk} driving", "hard cider",
            "{drink,drinks,drinking} at {a,the} {bar,pub,tavern,saloon}",
            # Japanese (酒 covers 日本酒, 居酒屋, 飲酒, 晩酌, 酒場, ラム酒...)
            "酒", "酎", "ビール", "ワイン", "ウイスキー", "ウィスキー", "ハイボール", "チューハイ",
            "シャンパン", "シャンパーニュ", "カクテル", "ウォッカ", "テキーラ", "ブランデー",
            "泡盛", "マッコリ", "熱燗", "アルコール", "酔っ払", "酔っぱら", "酔いつぶ", "酔い潰",
            "泥酔", "ほろ酔い", "二日酔い", "酩酊",
            # Chinese, Korean
            "喝醉", "醉醺醺", "醉汉", "香槟", "威士忌", "伏特加",
            "소주", "맥주", "와인", "막걸리", "위스키", "칵테일", "음주", "술집", "술자리",
            "술을 마", "술 마",
            # French, Spanish
            "vin rouge", "vin blanc", "{verre,bouteille} de vin", "bière{,s}", "alcool", "ivre",
            "apéro", "apéritif",
            "rhum", "vino tinto", "vino blanco", "{copa,botella,copas,botellas} de vino",
            "cerveza{,s}", "borrach{o,a,os,as}", "ebri{o,a}", "bebida{,s} alcohólica{,s}",
        ),
        moderate=(
            "bartender{,s}", "sommelier{,s}", "happy hour", "vino", "ipa{,s}", "brandy", "pint{,s}",
            "margarita{,s}",
            "飲み会", "千鳥足",
        ),
        exclusions=(
            "{wine,champagne,whisky,whiskey,bourbon,cognac,brandy,rum,beer,ale} "
            "{colored,coloured,color,colour,colors,colours,hued,tone,tones,toned}",
            "wine {red,gum,gums}", "root beer{,s}",
            "ginger {beer,beers,ale,ales}", "{molotov,shrimp,prawn,fruit} cocktail{,s}",
            "cocktail {dress,dresses,sauce,ring}", "scotch {tape,egg,eggs,bonnet,pine,terrier,"
            "mist,broth}", "champagne {color,colour,gold,pink,blonde}", "house of bourbon",
            "bourbon {vanilla,biscuit,biscuits}", "sake of", "'s sake", "' sake",
            "{goodness,heaven,heavens,pete,pity,christ,god,old times,own} sake", "sakes",
            "rubbing alcohol", "alcohol {wipe,wipes,swab,swabs,lamp,disinfectant,gel}",
            "powder keg{,s}", "pint{,s} of {milk,ice cream,cream,water,blood,berries,strawberries}",
            "酒井", "酒田", "甘酒", "酒匂", "酒店", "酒窝", "ルートビール", "ジンジャービール",
            "ワインレッド", "ワインカラー", "カクテルドレス", "カクテル光線", "シャンパンゴールド",
            "シャンパンカラー", "ノンアルコール", "アルコール消毒", "アルコールランプ",
            "消毒用アルコール",
        ),
    ),
    "tobacco": ContextLexicon(
        strong=(
            "cigarette{,s}", "cig{,s}", "ciggie{,s}", "ciggy", "cigar{,s}", "cigarillo{,s}",
            "tobacco", "nicotine", "vape{,s,d}", "vaping", "vaper{,s}", "e cigarette{,s}",
            "juul", "hookah{,s}", "shisha", "chain smok{ing,er,ers,es}",
            "ashtray{,s}", "smoke break{,s}", "smoking {area,room,lounge,section,cigarettes,"
            "a cigarette,a cigar,a pipe}", "{tobacco,smoking,corncob} pipe{,s}",
            "smoke ring{,s}",
            "{smoke,smokes,smoked,puff,puffs,puffed,puffing} on a pipe", "snus",
            "chewing tobacco",
            # Japanese
            "タバコ", "たばこ", "煙草", "喫煙", "葉巻", "紙巻", "シガレット", "シガー", "吸い殻",
            "吸殻", "灰皿", "紫煙", "ニコチン", "シーシャ", "煙管",
            # Chinese, Korean
            "香烟", "吸烟", "抽烟", "烟草", "雪茄", "电子烟", "卷烟",
            "담배", "흡연",
            # French, Spanish
            "tabac", "fumer", "fumeur{,s}", "cigare{,s}", "cigarrillo{,s}", "cigarro{,s}",
            "tabaco", "fumar", "fumando", "fumador{,es}",
        ),
        moderate=("smoking", "smoker{,s}", "ベイプ", "キセル"),
        exclusions=(
            "smoking {volcano,volcanoes,chimney,chimneys,crater,ruins,rubble,gun,guns,barrel,"
            "wreck,wreckage,engine,engines,car,tires,tyres,brakes,hot,jacket,meat,fish,brisket,"
            "ribs,pit,grill,pan,debris,embers,fire,salmon,ham,cheese,sausage,sausages,pork,turkey,"
            "chicken,bacon,trout,eel}", "no smoking", "non smoking",
            "{volcano,volcanoes,chimney,chimneys,crater,ruins,engine,wreck,wreckage,gun,barrel,"
            "fire,embers,pan,grill,toast,rubble,debris} {is ,are ,}smoking",
            "{bbq,barbecue,meat,pellet,offset,electric,bee} smoker{,s}", "in the smoker",
            "{using,uses,light,lights,lighting,with} a smoker",
            "キセル乗車",
        ),
    ),
    "hate": ContextLexicon(
        strong=(
            "hate speech", "hate crime{,s}", "hate group{,s}", "hate symbol{,s}", "hateful",
            "racial slur{,s}", "ethnic slur{,s}", "racist", "racists", "racism",
            "bigot{,s,ry,ed}", "nazi{,s}", "neo nazi{,s}", "swastika{,s}", "hitler",
            "third reich", "heil", "sieg heil", "ss uniform{,s}", "kkk", "ku klux klan",
            "white supremac{y,ist,ists}", "white power", "white nationalis{t,ts,m}",
            "antisemiti{c,sm}", "anti semiti{c,sm}", "homophobi{c,a}", "transphobi{c,a}",
            "islamophobi{c,a}", "xenophobi{c,a}", "ethnic cleansing", "genocide",
            "blackface", "yellowface", "minstrel show", "master race", "inferior race{,s}",
            "holocaust denial", "dehumaniz{e,ing}", "dehumanis{e,ing}",
            "discriminat{e,es,ing} against", "discrimination", "discriminatory",
            "confederate flag{,s}", "cross burning", "go back to your country",
            "{burn,burns,burning,burned} {a,the} {pride,rainbow} flag{,s}",
            "nigger{,s}", "nigga{,s}", "kike{,s}", "faggot{,s}", "wetback{,s}",
            "raghead{,s}", "towelhead{,s}", "gook{,s}", "chink{,s}", "spic{,s}", "tranny",
            "trannies",
            # Japanese
            "ヘイト", "差別", "ナチス", "ネオナチ", "ナチ党", "ハーケンクロイツ", "鉤十字",
            "ヒトラー", "排外主義", "民族浄化", "蔑称", "侮蔑", "外国人排斥",
            # Chinese, Korean
            "种族歧视", "歧视", "仇恨言论", "纳粹", "希特勒",
            "혐오 발언", "혐오 표현", "인종차별", "차별", "나치스", "나치 독일", "나치당",
            "네오나치",
            # French, Spanish
            "raciste{,s}", "racisme", "croix gammée", "antisémite{,s}", "discours de haine",
            "homophobe{,s}", "racista{,s}", "racismo", "esvástica", "discurso de odio",
            "xenófob{o,a}",
        ),
        moderate=("apartheid", "segregation", "derogatory", "slur{,s}"),
        exclusions=(
            "chink in", "chinks in", "spic and span", "{legato,musical} slur{,s}",
            "{music,data,code} segregation", "差別化", "無差別", "차별화",
        ),
    ),
}
