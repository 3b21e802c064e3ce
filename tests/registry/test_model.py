from kyodaku.registry.exchange import parse_document
from tests.registry.test_exchange import MINIMAL


def test_licences_covering_a_character_include_its_works_licences():
    doc = {
        **MINIMAL,
        "licences": MINIMAL["licences"]
        + [{"id": "lic-work", "assets": ["w-a"], "purposes": ["commercial"]}],
    }
    reg = parse_document(doc)
    assert [lic.id for lic in reg.licences_covering("c-a")] == ["lic-a", "lic-work"]
    assert [lic.id for lic in reg.licences_covering("w-a")] == ["lic-work"]
    assert reg.work_of("c-a").id == "w-a"
    assert reg.rights_holder_of("c-a").name == "Studio A"
    assert reg.asset_kind("c-a") == "character" and reg.asset_kind("w-a") == "work"
    assert reg.display_name("c-a") == "Zorblax"
