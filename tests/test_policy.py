from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kyodaku.policy import UseRequest, decide
from kyodaku.registry.exchange import parse_document
from kyodaku.screen.types import ContextHit, Evidence, Reference, ScreenResult, Span

DOC = {
    "rights_holders": [{"id": "rh-a", "name": "Studio A"}, {"id": "rh-b", "name": "Studio B"}],
    "works": [
        {
            "id": "w-a",
            "rights_holder": "rh-a",
            "titles": {"en": ["Alpha Saga"]},
            "terms": ["Zorb Gun"],
        },
        {"id": "w-b", "rights_holder": "rh-b", "titles": {"en": ["Beta Tales"]}, "terms": []},
    ],
    "characters": [
        {"id": "c-zorb", "work": "w-a", "names": {"en": ["Zorblax"]}},
        {"id": "c-quix", "work": "w-a", "names": {"en": ["Quixa"]}},
        {"id": "c-beta", "work": "w-b", "names": {"en": ["Betamon"]}},
    ],
    "licences": [
        {
            "id": "lic-fan",
            "assets": ["c-zorb"],
            "purposes": ["non-commercial"],
            "prohibited_contexts": ["alcohol", "gambling"],
            "royalty_rate": 0.1,
        },
        {
            "id": "lic-work",
            "assets": ["w-b"],
            "purposes": ["commercial", "non-commercial"],
            "royalty_rate": 0.2,
            "territories": ["JP"],
            "valid_from": "2026-01-01",
            "valid_until": "2027-01-01",
            "currency": "JPY",
        },
    ],
}
REG = parse_document(DOC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def ref(asset: str, prompt: str, word: str, kind: str = "name") -> Reference:
    start = prompt.index(word)
    ev = Evidence(asset, "names", kind, Span(start, start + len(word)), word, 1.0)
    return Reference(asset, REG.asset_kind(asset), 1.0, (ev,))


def screen(prompt: str, refs: list[tuple[str, str]], contexts=()) -> ScreenResult:
    hits = tuple(ContextHit(c, None, cue, 0.9) for c, cue in contexts)
    return ScreenResult(prompt, tuple(ref(a, prompt, w) for a, w in refs), hits)


def request(**kw) -> UseRequest:
    kw.setdefault("at", NOW)
    return UseRequest(**kw)


def test_no_reference_is_allowed():
    d = decide(REG, screen("a dog on a beach", []), request())
    assert d.allowed and not d.licence_ids and d.reasons[-1].code == "decision.no_references"


def test_no_licence_no_use():
    d = decide(REG, screen("Quixa dancing", [("c-quix", "Quixa")]), request())
    assert not d.allowed
    assert any(r.code == "policy.unlicensed" for r in d.reasons)
    assert "Quixa" in d.reasons[1].text("en") and "Studio A" in d.reasons[1].text("ja")


def test_licensed_use_allows_and_computes_royalty():
    d = decide(
        REG,
        screen("Zorblax skating", [("c-zorb", "Zorblax")]),
        request(declared_value=Decimal("1234"), currency="JPY"),
    )
    assert d.allowed and d.licence_ids == ("lic-fan",)
    (royalty,) = d.royalties
    assert royalty.amount == Decimal("123.40") and royalty.rights_holder_id == "rh-a"


def test_wrong_purpose_refuses_with_offer():
    d = decide(REG, screen("Zorblax ad", [("c-zorb", "Zorblax")]), request(purpose="commercial"))
    assert not d.allowed
    assert any(r.code == "policy.purpose_not_licensed" for r in d.reasons)
    assert [o.licence_id for o in d.offers] == ["lic-fan"]
    assert "非商用" in next(r for r in d.reasons if r.code == "policy.purpose_not_licensed").text(
        "ja"
    )


def test_prohibition_beats_permission():
    d = decide(
        REG,
        screen("Zorblax drinking beer", [("c-zorb", "Zorblax")], [("alcohol", "beer")]),
        request(),
    )
    assert not d.allowed
    reason = next(r for r in d.reasons if r.code == "policy.context_prohibited")
    assert "'beer'" in reason.text("en")


def test_context_not_prohibited_by_licence_is_fine():
    d = decide(
        REG,
        screen("Zorblax in a fight", [("c-zorb", "Zorblax")], [("violence", "fight")]),
        request(),
    )
    assert d.allowed


def test_work_licence_covers_its_characters_with_territory_and_term():
    s = screen("Betamon ad", [("c-beta", "Betamon")])
    assert decide(REG, s, request(purpose="commercial", territory="JP")).allowed
    assert not decide(REG, s, request(purpose="commercial", territory="US")).allowed
    unknown = decide(REG, s, request(purpose="commercial"))
    assert any(r.code == "policy.territory_unknown" for r in unknown.reasons)
    late = decide(REG, s, request(territory="JP", at=datetime(2027, 2, 1, tzinfo=UTC)))
    assert any(r.code == "policy.expired" for r in late.reasons) and not late.offers
    early = decide(REG, s, request(territory="JP", at=datetime(2025, 2, 1, tzinfo=UTC)))
    assert any(r.code == "policy.not_yet_valid" for r in early.reasons)


def test_all_references_must_be_permitted():
    s = screen("Zorblax and Quixa", [("c-zorb", "Zorblax"), ("c-quix", "Quixa")])
    d = decide(REG, s, request())
    assert not d.allowed and not d.royalties
    assert [v.permitted for v in d.verdicts] == [True, False]


def test_work_reference_alone_needs_a_work_licence():
    d = decide(REG, screen("a Zorb Gun on a table", [("w-a", "Zorb Gun")]), request())
    assert not d.allowed


def test_work_term_with_licensed_character_of_that_work_is_covered():
    s = screen("Zorblax fires the Zorb Gun", [("c-zorb", "Zorblax"), ("w-a", "Zorb Gun")])
    d = decide(REG, s, request())
    assert d.allowed
    assert any(r.code == "policy.covered_by_character" for v in d.verdicts for r in v.reasons)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_reasons_quote_the_prompt(lang):
    prompt = "Z0rblax dancing"
    ev = Evidence("c-zorb", "names", "name", Span(0, 7), "Zorblax", 0.95)
    s = ScreenResult(prompt, (Reference("c-zorb", "character", 0.95, (ev,)),))
    d = decide(REG, s, request(purpose="commercial"))
    text = d.reasons[1].text(lang)
    assert "Z0rblax" in text and "Zorblax" in text
    assert d.reasons[1].code == "evidence.reading"
