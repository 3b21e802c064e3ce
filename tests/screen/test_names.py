"""Exact names in every view, with spans quoted back as typed."""

from __future__ import annotations

import pytest

from kyodaku.screen.engine import Screener
from kyodaku.screen.matches import MODES
from kyodaku.screen.names import NameRecogniser, cjk_boundaries_ok, latin_mode
from kyodaku.screen.normalise import views_of
from kyodaku.screen.types import Span

from .support import compiled, one_work_registry, shared_index


@pytest.fixture(scope="module")
def names() -> NameRecogniser:
    return NameRecogniser(shared_index())


def found(names: NameRecogniser, prompt: str) -> dict[str, tuple[str, str]]:
    """asset → (quoted span, mode) of the longest match per asset."""
    out: dict[str, tuple[str, str]] = {}
    matches = names.matches(views_of(prompt))
    for m in sorted(matches, key=lambda m: (m.span.start - m.span.end, MODES.index(m.mode))):
        out.setdefault(m.asset_id, (m.surface, m.mode))
    return out


@pytest.mark.parametrize(
    ("prompt", "asset", "surface", "mode"),
    [
        ("Zubaru naps in the sun", "c-zubaru", "Zubaru", "exact"),
        ("a Z u b a r u sticker", "c-zubaru", "Z u b a r u", "obfuscated"),
        ("Zub4ru at dawn", "c-zubaru", "Zub4ru", "obfuscated"),
        ("Ｚｕｂａｒｕ!", "c-zubaru", "Ｚｕｂａｒｕ", "obfuscated"),  # full-width: chosen to hide
        ("Zu\u200bbaru", "c-zubaru", "Zu\u200bbaru", "obfuscated"),
        ("Hoshimura Rinoka waves", "c-rinoka", "Hoshimura Rinoka", "exact"),
        ("ズバルーが走る", "c-zubaru", "ズバルー", "exact"),
        ("ずばる が はしる", "c-zubaru", "ずばる", "reading"),
        ("즈바루가 달린다", "c-zubaru", "즈바루", "exact"),
        ("かげまる が とぶ", "c-kagemaru", "かげまる", "reading"),
        ("the Moonblade Order rides", "w-starfall", "Moonblade Order", "exact"),
    ],
)
def test_names_in_every_view(names, prompt, asset, surface, mode) -> None:
    assert found(names, prompt)[asset] == (surface, mode)


def test_romaji_reading_of_a_japanese_name(names) -> None:
    assert found(names, "Tenpesuto roars")["c-tempest"] == ("Tenpesuto", "reading")
    assert found(names, "Tenpesutō roars")["c-tempest"][0] == "Tenpesutō"


def test_hangul_reads_into_a_latin_name(names) -> None:
    assert found(names, "즈바루 달린다")["c-zubaru"][0] == "즈바루"


def test_an_everyday_korean_word_is_no_foreign_name_in_hangul() -> None:
    registry = one_work_registry(
        ("c-sai", {"en": ["Sai"]}, "A ghost."), ("c-sora", {"en": ["Sora"]}, "A boy.")
    )
    recogniser = NameRecogniser(compiled(registry))
    assert "c-sai" not in found(recogniser, "유채꽃밭 사이로 걷는 가족")  # 사이: "between"
    assert "c-sai" in found(recogniser, "Sai hides his smile")
    assert "c-sora" in found(recogniser, "소라가 하늘을 난다")  # a rarer word stays the name


def test_a_name_written_in_cyrillic_by_its_sound_is_a_transliteration(names) -> None:
    assert found(names, "Зубару спит на солнце")["c-zubaru"] == ("Зубару", "transliteration")


def test_no_match_inside_a_longer_word(names) -> None:
    assert "c-zubaru" not in found(names, "Zubarumania is spreading")
    assert "c-rinoka" not in found(names, "リノカリノカ")  # inside a longer katakana word


@pytest.mark.parametrize(
    ("prompt", "start", "end", "ok"),
    [
        ("キラキラ", 0, 2, False),
        ("キラが", 0, 2, True),
        ("ねずこちゃんが", 0, 3, True),
        ("おねずこが", 1, 4, False),
        ("ねずこはしる", 0, 3, True),
        ("ねずこみ", 0, 3, False),
        ("조로가", 0, 2, True),
        ("가조로", 1, 3, False),
    ],
)
def test_cjk_boundaries(prompt, start, end, ok) -> None:
    assert cjk_boundaries_ok(prompt, Span(start, end)) is ok


def test_latin_mode() -> None:
    entry = shared_index().entry(
        next(i for i in range(shared_index().size) if shared_index().entry_form[i] == "Zubaru")
    )
    assert latin_mode(entry, "Zubaru") == "exact"
    assert latin_mode(entry, "Z u b a r u") == "obfuscated"
    assert latin_mode(entry, "Zub4ru") == "obfuscated"
    assert latin_mode(entry, "Zoobaru") == "phonetic"
    assert latin_mode(entry, "즈바루") == "transliteration"


def test_a_clipped_katakana_title_is_coined_and_an_everyday_one_ordinary() -> None:
    from kyodaku.registry.model import Registry, RightsHolder, make_work
    from kyodaku.screen.index_cache import IndexCache

    registry = Registry(
        rights_holders=(RightsHolder("rh-x", "X"),),
        works=(
            make_work(
                "w-quest",
                "rh-x",
                {"en": ["Dragon Quest"], "ja": ["ドラゴンクエスト", "ドラクエ"]},
                [],
            ),
            make_work("w-evan", "rh-x", {"en": ["Evangelion"], "ja": ["エヴァンゲリオン"]}, []),
        ),
        version=1,
    )
    index = IndexCache(disk=False).get(registry)
    lexical = {
        index.entry(i).form: index.entry(i).lexical
        for i in range(len(index.entry_lexical))
        if index.entry(i).derived == ""
    }
    assert lexical["ドラゴンクエスト"] == "ordinary"  # "Dragon Quest" in katakana: everyday words
    assert lexical["ドラクエ"] == "coined"  # clipped
    assert lexical["エヴァンゲリオン"] == "coined"  # "evangelion" is nobody's everyday word


def test_a_kana_name_that_is_a_japanese_common_noun_is_ordinary() -> None:
    registry = one_work_registry(
        ("c-flash", {"en": ["Flash"], "ja": ["フラッシュ"]}, "a speedster"),
        ("c-shell", {"en": ["Sazae"], "ja": ["サザエ"]}, "a housewife"),
        ("c-mario", {"en": ["Mario"], "ja": ["マリオ"]}, "a plumber"),  # frequent, but a name
    )
    index = compiled(registry)
    lexical = {
        index.entry(i).form: index.entry(i).lexical
        for i in range(len(index.entry_lexical))
        if index.entry(i).derived == ""
    }
    assert lexical["フラッシュ"] == "ordinary"
    assert lexical["サザエ"] == "ordinary"
    assert lexical["マリオ"] == "coined"
    screener = Screener(registry, index)
    assert screener.screen("記者会見でカメラのフラッシュが一斉に焚かれる").asset_ids == ()
    assert screener.screen("サザエのつぼ焼きが炭火の上で煮える").asset_ids == ()
    assert screener.screen("フラッシュが夜の街を駆け抜ける").asset_ids == ("c-flash",)
    assert screener.screen("赤いスーツのフラッシュが笑う").asset_ids == ("c-flash",)
    assert screener.screen("フラッシュ racing a train at dawn").asset_ids == ("c-flash",)


def _lexical_by_form(index) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    return {
        (index.entry(i).form, index.entry(i).derived): index.entry(i).lexical
        for i in range(len(index.entry_lexical))
    }


def test_japanese_words_in_kanji_readings_and_romaji_are_ordinary_too() -> None:
    registry = one_work_registry(
        ("c-kaiba", {"en": ["Kaiba"], "ja": ["海馬"]}, "a duelist"),  # "hippocampus"
        ("c-naru", {"en": ["Naruhodo"], "ja": ["成歩堂"]}, "a lawyer"),  # read なるほど, "I see"
        ("c-katsuo", {"en": ["Katsuo"], "ja": ["カツオ"]}, "a boy"),  # bonito, in romaji too
        ("c-koopa", {"en": ["Bowsley"], "ja": ["クッパ"]}, "a turtle king"),  # a soup
    )
    index = compiled(registry)
    lexical = _lexical_by_form(index)
    assert lexical[("海馬", "")] == "ordinary"
    assert lexical[("なるほどう", "kana")] == "ordinary"
    assert lexical[("成歩堂", "")] == "coined"
    assert lexical[("Katsuo", "")] == "ordinary"
    assert lexical[("カツオ", "")] == "ordinary"
    # "kuppa" reads クッパ but is no name of Bowsley's in Latin letters.
    assert lexical[("kuppa", "romaji")] != "ordinary"
    screener = Screener(registry, index)
    assert screener.screen("海馬の神経細胞を撮影した顕微鏡映像").asset_ids == ()
    assert screener.screen("海馬様がカードを引く").asset_ids == ("c-kaiba",)  # a title after
    assert screener.screen("searing fresh katsuo over burning straw").asset_ids == ()
    assert screener.screen("「なるほど！」と手を打つ会社員").asset_ids == ()
    assert screener.screen("なるほどくんが法廷で証拠品を突きつける").asset_ids == ("c-naru",)


def test_only_space_separated_names_are_also_indexed_reversed() -> None:
    registry = one_work_registry(
        ("c-pac", {"en": ["Zop-Man"]}, "a round maze eater"),
        ("c-ren", {"en": ["Kamado Renjiro"]}, "a boy with a sword"),
    )
    index = compiled(registry)
    reversed_forms = {
        index.entry(i).form
        for i in range(len(index.entry_lexical))
        if index.entry(i).derived == "reversed"
    }
    assert reversed_forms == {"Renjiro Kamado"}


def test_a_short_sound_key_needs_the_spelling() -> None:
    registry = one_work_registry(
        ("c-rax", {"en": ["Rex"]}, "a green toy dinosaur"),
        ("c-zubaro", {"en": ["Rizardon"]}, "a fire lizard"),
    )
    recogniser = NameRecogniser(compiled(registry))
    assert found(recogniser, "Rex roars")["c-rax"] == ("Rex", "exact")
    assert "c-rax" not in found(recogniser, "les enfants jouent dans la cour")  # "les" ~ "Rex"
    assert found(recogniser, "Rexx roars")["c-rax"] == ("Rexx", "phonetic")  # a doubled letter
    assert found(recogniser, "Lizardon at dawn")["c-zubaro"] == ("Lizardon", "phonetic")


def test_a_word_that_only_sounds_like_a_romaji_reading_must_be_spelt_like_it() -> None:
    registry = one_work_registry(("c-bitz", {"en": ["Bitzel"], "ja": ["ビッツァー"]}, "a dog"))
    recogniser = NameRecogniser(compiled(registry))
    assert "c-bitz" not in found(recogniser, "la Marina di Pisa al tramonto")  # keys "pisa"
    assert found(recogniser, "Bittsa barking at the sheep")["c-bitz"][0] == "Bittsa"


def test_a_registered_spelling_takes_a_plural_s() -> None:
    registry = one_work_registry(
        ("c-glim", {"en": ["Glimmerling"]}, "a squid kid"), terms=("Octoling",)
    )
    recogniser = NameRecogniser(compiled(registry))
    assert found(recogniser, "a crowd of Octolings dancing")["w-x"] == ("Octolings", "exact")
    assert found(recogniser, "two Glimmerlings")["c-glim"] == ("Glimmerlings", "exact")
    assert "w-x" not in found(recogniser, "a crowd of Octolingo dancing")  # no other letter
    finn = NameRecogniser(compiled(one_work_registry(("c-finn", {"en": ["Finn"]}, "a boy"))))
    assert "c-finn" not in found(finn, "two Finns relaxing in a sauna")  # a dictionary name


def test_a_one_mora_katakana_name_is_found_as_a_whole_word() -> None:
    registry = one_work_registry(("c-po", {"en": ["Pohh"], "ja": ["ポー"]}, "a panda"))
    index = compiled(registry)
    assert index.short_katakana == {"ポー": [index.short_katakana["ポー"][0]]}
    recogniser = NameRecogniser(index)
    assert found(recogniser, "ポーが肉まんを食べる")["c-po"] == ("ポー", "exact")
    assert found(recogniser, "ﾎﾟｰが階段を登る")["c-po"] == ("ﾎﾟｰ", "obfuscated")  # half-width
    assert "c-po" not in found(recogniser, "ヨガのポーズをとる")  # inside ポーズ, "pose"


def test_a_title_before_a_name_is_matched_abbreviated_or_written_out() -> None:
    registry = one_work_registry(
        ("c-cap", {"en": ["Captain Haddow"]}, "a sailor"),
        ("c-doc", {"en": ["Dr. Wilby"]}, "a scientist"),
    )
    recogniser = NameRecogniser(compiled(registry))
    assert found(recogniser, "Capt. Haddow shaking his fist")["c-cap"][0] == "Capt. Haddow"
    assert found(recogniser, "Doctor Wilby in his lab")["c-doc"][0] == "Doctor Wilby"


def test_separators_between_cjk_characters_are_dropped() -> None:
    recogniser = NameRecogniser(compiled(one_work_registry(("c-g", {"zh": ["喜羊羊"]}, "a goat"))))
    # Spaced out, like "P i k a c h u": a disguise (kyodaku.screen.matches.MODES).
    assert found(recogniser, "喜*羊*羊在门口放风筝")["c-g"] == ("喜*羊*羊", "obfuscated")


def test_leet_one_reads_as_l_as_well_as_i() -> None:
    recogniser = NameRecogniser(compiled(one_work_registry(("c-milo", {"en": ["Milo"]}, "a cat"))))
    assert found(recogniser, "Mi1o chasing a laser dot")["c-milo"] == ("Mi1o", "obfuscated")
    assert found(recogniser, "M1lo chasing a laser dot")["c-milo"] == ("M1lo", "obfuscated")
    assert found(recogniser, "Mi|o chasing a laser dot")["c-milo"] == ("Mi|o", "obfuscated")
    assert "c-milo" not in found(recogniser, "Mi1k chasing a laser dot")


@pytest.fixture(scope="module")
def katakana_word_names() -> Screener:
    registry = one_work_registry(
        ("c-yor", {"en": ["Yor"], "ja": ["ヨル"]}, "An assassin."),
        ("c-genji", {"en": ["Genji", "Genji Shimada"], "ja": ["ゲンジ"]}, "A cyborg ninja."),
    )
    return Screener(registry, compiled(registry))


def test_a_katakana_name_spelt_as_the_hiragana_word_it_is_needs_corroboration(
    katakana_word_names: Screener,
) -> None:
    # よる is "night": the katakana name ヨル, typed in hiragana, is that word...
    assert katakana_word_names.screen("いちご が よる の まち で かたな を ふる").asset_ids == ()
    # ...unless it acts as the prompt's subject; in katakana it is the name.
    assert katakana_word_names.screen("よる が まち で たたかう").asset_ids == ("c-yor",)
    assert katakana_word_names.screen("夜の街でヨルを見かけた").asset_ids == ("c-yor",)


def test_a_katakana_named_character_is_found_by_its_full_name_in_kana(
    katakana_word_names: Screener,
) -> None:
    prompt = "しまだ げんじ が 屋上で 手裏剣を はじく"  # "Genji Shimada", family name first
    assert katakana_word_names.screen(prompt).asset_ids == ("c-genji",)


def test_a_titles_last_word_as_a_plural_common_noun_is_no_title() -> None:
    registry = one_work_registry(title="Zorbland Saga")
    screener = Screener(registry, compiled(registry))
    assert screener.screen("a manuscript of the Zorbland sagas in a museum").asset_ids == ()
    assert screener.screen("a Zorbland Saga style poster").asset_ids == ("w-x",)


def test_a_cjk_name_spaced_out_letter_by_letter_is_disguised() -> None:
    registry = one_work_registry(
        ("c-fm", {"en": ["Front Man"], "ko": ["프론트맨"]}, "A masked man.")
    )
    recogniser = NameRecogniser(compiled(registry))
    assert found(recogniser, "프 론 트 맨 이 계단을 내려온다")["c-fm"][1] == "obfuscated"
    assert found(recogniser, "프론트맨이 계단을 내려온다")["c-fm"][1] == "exact"


def test_a_word_that_only_sounds_like_a_name_is_not_it() -> None:
    registry = one_work_registry(("c-mercy", {"en": ["Mercy"]}, "A winged medic."))
    recogniser = NameRecogniser(compiled(registry))
    # "Meiji" keys like "Mercy" (mesi), but is spelt nothing like it.
    assert "c-mercy" not in found(recogniser, "a sunset in the Meiji era")
    assert found(recogniser, "Mersy healing a soldier")["c-mercy"][1] == "phonetic"


def test_an_everyday_word_of_the_prompts_language_is_no_sound_alike() -> None:
    registry = one_work_registry(("c-baron", {"en": ["Baron"]}, "A cat figurine."))
    recogniser = NameRecogniser(compiled(registry))
    # "Ballon" keys like "Baron" (l and r merge), but it is German for a balloon.
    assert "c-baron" not in found(recogniser, "ein Mädchen mit einem roten Ballon auf dem Platz")
    assert found(recogniser, "Ballon tipping his top hat")["c-baron"][1] == "phonetic"
