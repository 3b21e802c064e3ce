import json

import pytest

from kyodaku.registry import exchange
from kyodaku.registry.exchange import RegistryFormatError, load_file, parse_document, to_document

MINIMAL = {
    "rights_holders": [{"id": "rh-a", "name": "Studio A"}],
    "works": [
        {"id": "w-a", "rights_holder": "rh-a", "titles": {"en": ["Alpha Saga"]}, "terms": []}
    ],
    "characters": [
        {
            "id": "c-a",
            "work": "w-a",
            "names": {"en": ["Zorblax"], "ja": ["ゾルブラックス"]},
            "aliases": ["the Zorb"],
            "description": "a violet robot",
        }
    ],
    "licences": [
        {
            "id": "lic-a",
            "assets": ["c-a"],
            "purposes": ["non-commercial"],
            "prohibited_contexts": ["gambling"],
            "royalty_rate": 0.05,
        }
    ],
}


def problems_of(doc: dict) -> list[str]:
    with pytest.raises(RegistryFormatError) as info:
        parse_document(doc, source="reg.json")
    return [str(p) for p in info.value.problems]


def test_dev_registry_round_trips_to_an_equal_document(dev_registry_path):
    original = json.loads(dev_registry_path.read_text(encoding="utf-8"))
    registry = load_file(dev_registry_path)
    assert to_document(registry) == original


def test_yaml_round_trip_equals_json(tmp_path, dev_registry_path):
    registry = load_file(dev_registry_path)
    path = tmp_path / "registry.yaml"
    path.write_text(exchange.dump_document(registry, "yaml"), encoding="utf-8")
    assert to_document(load_file(path)) == to_document(registry)


def test_optional_licence_fields_round_trip():
    doc = json.loads(json.dumps(MINIMAL))
    doc["licences"][0].update(
        territories=["JP"],
        valid_from="2026-01-01T00:00:00Z",
        valid_until="2027-01-01T00:00:00Z",
        currency="JPY",
        note="fan works",
    )
    assert to_document(parse_document(doc)) == doc


def test_digest_is_stable_and_content_sensitive():
    a = parse_document(MINIMAL)
    b = parse_document(json.loads(json.dumps(MINIMAL)))
    assert exchange.compute_digest(a) == exchange.compute_digest(b)
    changed = json.loads(json.dumps(MINIMAL))
    changed["characters"][0]["aliases"].append("Zee")
    assert exchange.compute_digest(parse_document(changed)) != exchange.compute_digest(a)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(extra=[]), "field 'extra': unknown key"),
        (lambda d: d["works"][0].update(colour="red"), "works 'w-a', field 'colour': unknown key"),
        (lambda d: d["characters"][0].pop("names"), "characters 'c-a', field 'names': missing"),
        (
            lambda d: d["characters"].append(dict(d["characters"][0])),
            "'c-a', field 'id': duplicate id",
        ),
        (lambda d: d["characters"][0].update(work="w-zz"), "unknown work 'w-zz'"),
        (lambda d: d["licences"][0].update(assets=["c-zz"]), "unknown asset 'c-zz'"),
        (
            lambda d: d["licences"][0].update(purposes=["educational"]),
            "unknown purpose 'educational'",
        ),
        (
            lambda d: d["licences"][0].update(prohibited_contexts=["horror"]),
            "unknown context 'horror'",
        ),
        (
            lambda d: d["licences"][0].update(royalty_rate=1.5),
            "royalty_rate': 1.5 is outside [0, 1]",
        ),
        (lambda d: d["licences"][0].update(royalty_rate=-0.1), "is outside [0, 1]"),
        (lambda d: d["licences"][0].update(royalty_rate="10%"), "royalty_rate': must be a number"),
        (lambda d: d["licences"][0].update(territories=["Japan"]), "not an ISO 3166-1"),
        (lambda d: d["licences"][0].update(valid_from="soon"), "valid_from': must be an ISO 8601"),
        (lambda d: d["works"][0].update(rights_holder="rh-zz"), "unknown rights holder 'rh-zz'"),
        (lambda d: d["rights_holders"][0].update(id="bad id!"), "id must be"),
        (lambda d: d["works"][0].update(titles={}), "titles': needs at least one entry"),
    ],
)
def test_each_problem_names_the_entry_and_field(mutate, expected):
    doc = json.loads(json.dumps(MINIMAL))
    mutate(doc)
    problems = problems_of(doc)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("reg.json") for p in problems)


def test_malformed_files_are_clear_errors(tmp_path):
    bad_json = tmp_path / "r.json"
    bad_json.write_text('{"works": [', encoding="utf-8")
    with pytest.raises(RegistryFormatError, match=r"r.json: malformed JSON at line 1"):
        load_file(bad_json)
    bad_yaml = tmp_path / "r.yaml"
    bad_yaml.write_text("works:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegistryFormatError, match="malformed YAML at line"):
        load_file(bad_yaml)
    with pytest.raises(RegistryFormatError, match="file not found"):
        load_file(tmp_path / "missing.json")
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(RegistryFormatError, match="not UTF-8"):
        load_file(binary)
    empty = tmp_path / "e.yaml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(RegistryFormatError, match="empty document"):
        load_file(empty)


def test_references_may_point_into_the_base_registry():
    base = parse_document(MINIMAL)
    addition = {"licences": [{"id": "lic-b", "assets": ["w-a"], "purposes": ["commercial"]}]}
    merged = exchange.merge(base, parse_document(addition, base=base))
    assert [lic.id for lic in merged.licences] == ["lic-a", "lic-b"]
    with pytest.raises(RegistryFormatError):
        parse_document(addition)


def test_entity_dict_round_trip():
    reg = parse_document(MINIMAL)
    for section, group in zip(
        exchange.SECTIONS,
        (reg.rights_holders, reg.works, reg.characters, reg.licences),
        strict=True,
    ):
        for entity in group:
            assert exchange.entity_from_dict(section, exchange.entity_to_dict(entity)) == entity
