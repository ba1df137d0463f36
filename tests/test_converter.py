"""The converter's hooks, used on their own as an application or plugin would."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.serialization as ip_serialization


@attrs.frozen
class Stamp:
    at: dt.datetime
    count: int
    label: str
    share: float
    flag: bool


@pytest.fixture(scope="module")
def converter() -> cattrs.Converter:
    return ip_serialization.make_converter()


def _stamp(at: str = "2026-11-24T09:30:00Z", **changes: Any) -> dict[str, Any]:
    return {"at": at, "count": 1, "label": "x", "share": 0.5, "flag": True} | changes


def test_instants_are_utc_with_z(converter: cattrs.Converter) -> None:
    at = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert converter.unstructure(Stamp(at, 1, "x", 0.5, flag=True))["at"] == "2026-11-24T09:30:00Z"
    read = converter.structure(_stamp("2026-11-24T10:30:00+01:00"), Stamp)
    assert read.at == at
    assert read.at.tzinfo is dt.UTC


@given(st.datetimes(timezones=st.just(dt.UTC)))
def test_instants_round_trip(at: dt.datetime) -> None:
    converter = ip_serialization.make_converter()
    text = converter.unstructure(Stamp(at, 1, "x", 0.5, flag=False))["at"]
    assert text.endswith("Z")
    assert converter.structure(_stamp(text), Stamp).at == at


@pytest.mark.parametrize("value", ["2026-11-24T09:30:00", "yesterday", 1_700_000_000])
def test_naive_or_malformed_instants_are_refused(converter: cattrs.Converter, value: object) -> None:
    with pytest.raises(cattrs.ClassValidationError) as raised:
        converter.structure(_stamp(value), Stamp)  # type: ignore[arg-type]
    assert "at" in str(raised.value.exceptions[0].__notes__)


def test_a_naive_instant_cannot_be_written(converter: cattrs.Converter) -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        converter.unstructure(Stamp(dt.datetime(2026, 1, 1), 1, "x", 0.5, flag=True))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("field", "value"),
    [("count", "1"), ("count", True), ("count", 1.0), ("label", 5), ("share", "0.5"), ("share", False), ("flag", 1)],
)
def test_primitives_are_checked_not_coerced(field: str, value: Any) -> None:
    with pytest.raises(ip.ValidationError) as raised:
        ip.structure(_stamp(**{field: value}), Stamp)
    assert [e.path for e in raised.value.errors] == [f"$.{field}"]


def test_configure_converter_extends_a_converter_of_ones_own() -> None:
    converter = cattrs.Converter(forbid_extra_keys=True)
    ip_serialization.configure_converter(converter)
    converter.register_unstructure_hook(Stamp, lambda stamp: {"count": stamp.count})
    assert converter.unstructure(Stamp(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 3, "x", 1.0, flag=True)) == {"count": 3}
    assert converter.structure({"kind": "self_assessed", "exam": None, "date": None}, ip.LanguageEvidence) == (
        ip.LanguageEvidence(ip.EvidenceKind.SELF_ASSESSED)
    )


def test_tagged_union_of_ones_own(converter: cattrs.Converter) -> None:
    @attrs.frozen
    class Call:
        minutes: int

    @attrs.frozen
    class Visit:
        place: str

    contact = Call | Visit
    ip.serialization.register_tagged_union(converter, contact, {"call": Call, "visit": Visit}, tag_name="mode")
    assert converter.unstructure(Visit("home"), contact) == {"place": "home", "mode": "visit"}
    assert converter.structure({"mode": "call", "minutes": 5}, contact) == Call(5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"a text of 3 characters \(letters\) is not a valid mode"):
        converter.structure({"mode": "fax"}, contact)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="required tag missing"):
        converter.structure({"minutes": 5}, contact)  # type: ignore[arg-type]


def test_a_change_document_names_the_bad_field() -> None:
    with pytest.raises(ip.ValidationError) as raised:
        ip.structure({"change": "assign_manager", "manager_id": "not an id!"}, ip.Change)
    assert raised.value.subject == "change"
    assert [error.path for error in raised.value.errors] == ["$.manager_id"]
    assert ip.structure({"change": "assign_manager", "manager_id": "eis-im-02"}, ip.Change) == ip.AssignManager(
        "eis-im-02"
    )
