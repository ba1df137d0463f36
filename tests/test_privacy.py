"""Personal text never shows in a repr or an error message."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

import integrationsplan as ip
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan

MARKER = "Geheimname"


def test_repr_of_a_plan_hides_names_phone_statements_and_descriptions() -> None:
    plan = example_plan()
    text = repr(plan)
    person = plan.person
    for secret in (
        person.name.family_name,
        person.name.latin_family_name,
        person.name.latin_given_names,
        person.phone,
        plan.goals[0].statement,
        plan.goals[0].measures[0].description,
    ):
        assert secret
        assert secret not in text
    assert "<redacted>" in text
    assert plan.id in text  # identifiers stay visible: they are what logs need


@given(ips.persons())
def test_repr_never_contains_a_marked_name(person: ip.Person) -> None:
    marked = attrs.evolve(person, name=ip.PersonName(family_name=MARKER, given_names=MARKER + "a"))
    assert MARKER not in repr(marked)


@pytest.mark.parametrize("field", ["family_name", "given_names", "latin_family_name"], ids=["family", "given", "latin"])
def test_errors_about_a_name_do_not_repeat_it(field: str) -> None:
    bad = MARKER + "\u0000" + "x" * 300
    with pytest.raises(ip.ValidationError) as raised:
        ip.PersonName(**{"family_name": "Haddad", field: bad})
    assert MARKER not in str(raised.value)
    assert f"$.{field}" in str(raised.value)


def test_error_about_a_phone_number_does_not_repeat_it() -> None:
    with pytest.raises(ip.ValidationError) as raised:
        attrs.evolve(example_plan().person, phone="call " + MARKER)
    assert MARKER not in str(raised.value)


def test_error_about_a_duplicate_in_a_personal_field_is_redacted() -> None:
    note = ip.Development(id="d1", occurred_on=example_plan().drawn_up_on, note=MARKER)
    with pytest.raises(ip.ValidationError) as raised:
        attrs.evolve(example_plan(), developments=(note, note))
    assert MARKER not in str(raised.value)
    assert "duplicate development id 'd1'" in str(raised.value)


def test_a_wrongly_typed_document_value_is_not_echoed() -> None:
    document = ip.unstructure(example_plan())
    document["person"]["name"]["family_name"] = [MARKER]
    with pytest.raises(ip.ValidationError) as raised:
        ip.structure(document, ip.IntegrationPlan)
    assert MARKER not in str(raised.value)
    assert "$.person.name.family_name: expected a string, got array" in str(raised.value)
