"""The document envelope: type, schema version, malformed input."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

import integrationsplan as ip
import integrationsplan.serialization as ip_serialization
from integrationsplan.testing.examples import EISLINGEN, example_plan


def _document(**changes: object) -> bytes:
    document = orjson.loads(ip.dumps(EISLINGEN))
    document.update(changes)
    return ip_serialization.canonical_json({key: value for key, value in document.items() if value is not ...})


def _paths(error: ip.ValidationError) -> list[str]:
    return [e.path for e in error.errors]


def test_envelope_of_a_municipality() -> None:
    assert orjson.loads(ip.dumps(EISLINGEN)) == {
        "data": {"ags": "08117019", "district": "Landkreis Göppingen", "name": "Eislingen/Fils", "state": "BW"},
        "schema_version": 1,
        "type": "municipality",
    }


def test_document_from_a_newer_release_is_refused_and_says_upgrade() -> None:
    with pytest.raises(ip_serialization.SchemaVersionError, match="upgrade integrationsplan") as raised:
        ip.loads(_document(schema_version=ip_serialization.SCHEMA_VERSION + 1), ip.Municipality)
    assert _paths(raised.value) == ["$.schema_version"]
    assert isinstance(raised.value, ip.ValidationError)


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, None, True])
def test_schema_version_must_be_a_positive_integer(version: object) -> None:
    with pytest.raises(ip.ValidationError) as raised:
        ip.loads(_document(schema_version=version), ip.Municipality)
    assert _paths(raised.value) == ["$.schema_version"]


def test_document_of_another_type_is_refused() -> None:
    with pytest.raises(ip.ValidationError, match="a text of 12 characters \\(letters\\) is not 'person'") as raised:
        ip.loads(ip.dumps(EISLINGEN), ip.Person)
    assert _paths(raised.value) == ["$.type"]


def test_missing_and_unknown_envelope_keys_are_all_reported() -> None:
    with pytest.raises(ip.ValidationError) as raised:
        ip.loads(_document(schema_version=..., extra=1), ip.Municipality)
    assert _paths(raised.value) == ["$.schema_version", "$"]


def test_unknown_field_in_data_is_refused_by_both_readers() -> None:
    document = orjson.loads(ip.dumps(EISLINGEN))
    document["data"]["mayor"] = "x"
    for trusted in (False, True):
        with pytest.raises(ip.ValidationError, match="unknown field") as raised:
            ip.loads(orjson.dumps(document), ip.Municipality, trusted=trusted)
        assert _paths(raised.value) == ["$.data"]


def test_missing_field_is_named() -> None:
    document = orjson.loads(ip.dumps(EISLINGEN))
    del document["data"]["name"]
    with pytest.raises(ip.ValidationError, match="required field missing") as raised:
        ip.loads(orjson.dumps(document), ip.Municipality)
    assert _paths(raised.value) == ["$.data.name"]


def test_all_bad_fields_are_listed_at_once() -> None:
    document = orjson.loads(ip.dumps(example_plan()))
    document["data"]["goals"][1]["area"] = "housing-ish"
    document["data"]["competencies"][0]["overall"] = "B3"
    document["data"]["person"]["nationalities"] = "SYR"
    with pytest.raises(ip.ValidationError) as raised:
        ip.loads(orjson.dumps(document), ip.IntegrationPlan)
    assert sorted(_paths(raised.value)) == [
        "$.data.competencies[0].overall",
        "$.data.goals[1].area",
        "$.data.person.nationalities",
    ]
    message = str(raised.value)
    expected = "$.data.competencies[0].overall: a text of 2 characters (letters, digits) is not a valid CefrLevel"
    assert expected in message
    assert "3 errors" in message


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b"", "not valid JSON"), (b"{", "not valid JSON"), (b"[]", "expected a document object, got array")],
)
def test_malformed_bytes(raw: bytes, message: str) -> None:
    with pytest.raises(ip.ValidationError, match=message):
        ip.loads(raw, ip.Municipality)


def test_dumping_something_that_is_not_a_domain_value_is_a_validation_error() -> None:
    with pytest.raises(ip.ValidationError, match="dict is not a document type"):
        ip.dumps({"ags": "08117019"})


def test_loads_accepts_str_and_bytes() -> None:
    document = ip.dumps(EISLINGEN)
    assert ip.loads(document.decode(), ip.Municipality) == EISLINGEN
    assert ip.loads(bytearray(document), ip.Municipality) == EISLINGEN


def test_trusted_reader_skips_invariants_but_validating_reader_does_not() -> None:
    document = orjson.loads(ip.dumps(example_plan()))
    document["data"]["goals"][0]["target_date"] = "2000-01-01"  # before it was agreed
    raw = orjson.dumps(document)
    with pytest.raises(ip.ValidationError, match="before agreed_on"):
        ip.loads(raw, ip.IntegrationPlan)
    assert ip.loads(raw, ip.IntegrationPlan, trusted=True).goals[0].target_date == dt.date(2000, 1, 1)


def test_canonical_json_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(ip.ValidationError, match="cannot be written as JSON"):
        ip_serialization.canonical_json({"n": 2**70})
    assert ip_serialization.canonical_json({"b": [1, "ü"], "a": None}) == '{"a":null,"b":[1,"ü"]}'.encode()
