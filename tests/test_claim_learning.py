"""Which phrases of a claimed prompt screening missed: proposals for new aliases and terms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kyodaku.claim_learning import phrase_key, propose_phrases
from kyodaku.screen.types import Span


def phrases(prompt: str, covered: list[Span] | None = None, known: set[str] | None = None):
    return [p.phrase for p in propose_phrases(prompt, covered or [], known or set())]


def test_a_capitalised_nickname_comes_first_and_its_fragments_are_not_repeated() -> None:
    found = phrases("Pip Moonwhisker chasing fireflies over a quiet pond")
    assert found[0] == "Pip Moonwhisker"
    assert "Pip" not in found and "Moonwhisker" not in found


def test_a_name_may_hold_a_stop_word_between_capitals_but_a_description_may_not() -> None:
    found = phrases("Pip of Lantern Hill waves at fireflies over a quiet pond")
    assert found[0] == "Pip of Lantern Hill"
    assert not any("over a" in p for p in found)


def test_phrases_screening_already_attributed_are_not_proposed() -> None:
    prompt = "Hoshimaru and the Captain Starbeard crew sail at dawn"
    covered = [Span(0, 9)]  # "Hoshimaru", found by the name recogniser
    found = phrases(prompt, covered)
    assert "Captain Starbeard" in found
    assert not any("Hoshimaru" in p for p in found)
    everything_covered = phrases(prompt, [Span(0, len(prompt))])
    assert everything_covered == []


def test_registered_forms_are_not_proposed_again_whatever_their_width_or_case() -> None:
    prompt = "ＣＡＰＴＡＩＮ ＳＴＡＲＢＥＡＲＤ waves at dawn"
    assert phrases(prompt)[0] == "ＣＡＰＴＡＩＮ ＳＴＡＲＢＥＡＲＤ"
    assert "ＣＡＰＴＡＩＮ ＳＴＡＲＢＥＡＲＤ" not in phrases(prompt, known={"Captain Starbeard"})
    assert phrase_key("ＣＡＰＴＡＩＮ") == phrase_key("captain")


def test_prompt_vocabulary_and_verb_forms_alone_are_never_proposed() -> None:
    assert phrases("a cinematic close-up shot of the camera panning slowly at sunset") == []


def test_punctuation_and_other_scripts_end_a_phrase() -> None:
    found = phrases("Kiri Valley, Lantern Festival")
    assert "Kiri Valley" in found and "Lantern Festival" in found
    assert not any("," in p for p in found)
    assert "Pip 月 Moon" not in phrases("Pip 月 Moon")


def test_katakana_names_and_two_kanji_names_are_proposed_without_particles() -> None:
    found = phrases("夜空をツキミケが飛ぶ、星丸の仲間")
    assert found[0] == "ツキミケ"
    assert "星丸の仲間" in found
    assert "飛ぶ" not in found  # a verb, not a name
    assert phrases("悟空が空を飛ぶ") == ["悟空"]


def test_half_width_katakana_counts_as_katakana() -> None:
    (best, *_) = propose_phrases("ﾂｷﾐｹが走る", [], set())
    assert (best.phrase, best.why) == ("ﾂｷﾐｹ", "katakana name-like run")


def test_the_number_of_proposals_is_limited_and_ranked_by_score() -> None:
    prompt = "Alpha Bee, Gamma Dee, Epsilon Eff, Zeta Gee, Eta Aitch, Theta Eye, Iota Jay"
    found = propose_phrases(prompt, [], set(), limit=3)
    assert len(found) == 3
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


#: Prompts built from pieces that exercise every branch: words, stop words,
#: punctuation, kana particles, katakana and kanji.
prompt_text = st.lists(
    st.sampled_from([*"abc XYZ,.'-のがツキ星丸悟空 ", "Pip", "Moon", "the ", "of ", "ing"]),
    max_size=30,
).map("".join)


@given(prompt=prompt_text, cut=st.integers(min_value=0, max_value=60))
def test_every_proposal_quotes_the_prompt_outside_the_covered_spans(prompt: str, cut: int) -> None:
    covered = [Span(min(cut, len(prompt)), min(cut + 5, len(prompt)))]
    for p in propose_phrases(prompt, covered, set()):
        assert prompt[p.span.start : p.span.end] == p.phrase
        assert p.phrase == p.phrase.strip() and p.phrase
        assert p.span.end <= covered[0].start or p.span.start >= covered[0].end
