"""Redaction everywhere: a sweep of every field of every document type with unique markers.

Each leaf of a realistic plan, revision and state document is replaced, one at a time,
by a marker that could be personal text (a name with a phone number) or a number. Either
the document is refused — then no error message, repr or str may contain the marker — or
it is accepted — then the marker may show in a repr only if it landed in a field that is
not personal (an id, a code). Diffs, views and every domain object are checked the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import integrationsplan as ip
from integrationsplan.domain._validators import is_sensitive
from integrationsplan.history import diff_states
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2023, 3, 15)


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    else:
        yield path


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _replaced(data[head], tuple(rest), value)
    return copy


def _holders(obj: Any, marker: object) -> Iterator[attrs.Attribute[Any]]:
    """The attributes (anywhere below ``obj``) whose value is or contains ``marker``."""
    if attrs.has(type(obj)):
        for attribute in attrs.fields(type(obj)):
            value = getattr(obj, attribute.name)
            if value == marker or (isinstance(value, tuple | list) and marker in value):
                yield attribute
            yield from _holders(value, marker)
    elif isinstance(obj, tuple | list):
        for item in obj:
            yield from _holders(item, marker)


def _sweep(cls: type[Any], document: dict[str, Any]) -> int:
    """Replace every leaf by each marker; return how many variants were tried."""
    tried = 0
    for number, path in enumerate(_leaves(document)):
        for marker in (f"Haddad{number:04d} +49 171 555{number:04d}", 9_876_543_210_000 + number):
            tried += 1
            variant = _replaced(document, path, marker)
            shown = str(marker)
            try:
                value = ip.structure(variant, cls)
            except ip.IntegrationsplanError as error:
                assert shown not in str(error), (path, str(error))
                assert shown not in repr(error), path
                continue
            sensitive = any(is_sensitive(attribute) for attribute in _holders(value, marker))
            if sensitive or isinstance(marker, int):
                assert shown not in repr(value), path
                assert shown not in str(value), path
    return tried


def _history() -> tuple[ip.PlanState, ip.Revision]:
    app = ip.App(autoload=False)
    plan = example_plan()
    create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
    app.plans.create_plan(plan.id, create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
    contact = ip.CounsellingContact(
        dt.datetime(2023, 3, 16, 9, tzinfo=dt.UTC), ip.ContactMode.PHONE, 20, (ip.GoalArea.LANGUAGE,)
    )
    changes: list[ip.Change] = [*(ip.AddGoal(goal) for goal in plan.goals[:2]), ip.RecordCounsellingContact(contact)]
    state = app.plans.revise(plan.id, changes, base=1, author="eis-im-01", effective_on=DAY, reason="Ziele")
    return state, app.plans.history(plan.id)[-1]


def test_every_field_of_a_plan_is_redacted_in_errors_and_reprs() -> None:
    assert _sweep(ip.IntegrationPlan, ip.unstructure(example_plan())) > 300


def test_every_field_of_a_revision_and_a_state_is_redacted() -> None:
    state, revision = _history()
    assert _sweep(ip.Revision, ip.unstructure(revision)) > 50
    assert _sweep(ip.PlanState, ip.unstructure(state)) > 100


def test_a_marker_typed_into_a_date_or_an_enum_is_never_echoed() -> None:
    marker = "Haddad, Amal"
    for make in (
        lambda: ip.Person(**{**attrs.asdict(example_plan().person, recurse=False), "date_of_birth": marker}),
        lambda: ip.structure({"mode": marker}, ip.CounsellingContact),
        lambda: ip.structure(marker, ip.GoalArea),
        lambda: ip.structure(marker, dt.datetime),
        lambda: ip.loads(f'{{"type": "{marker}"}}'.encode(), ip.Person),
    ):
        with pytest.raises(ip.IntegrationsplanError) as raised:
            make()
        assert "Haddad" not in str(raised.value)
        assert "Amal" not in repr(raised.value)


def test_a_diff_shows_the_shape_of_personal_values_in_its_repr() -> None:
    plan = example_plan()
    before = ip.App(autoload=False)
    create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
    state = before.plans.create_plan("ip-1", create, author="a", effective_on=DAY, reason="r")
    renamed = attrs.evolve(plan.person.name, family_name="Zq-Secretname")
    phone = "+49 171 5550199"
    person = attrs.evolve(plan.person, name=renamed, phone=phone)
    after = before.plans.revise(
        "ip-1", ip.UpdatePersonalData(person), base=1, author="a", effective_on=DAY, reason="Umzug"
    )
    changes = diff_states(state, after)
    assert changes
    diff = before.plans.diff("ip-1", 1, 2)
    for shown in (repr(changes), str(changes), repr(diff), str(diff)):
        assert "Secretname" not in shown
        assert "5550199" not in shown
    assert "Secretname" in diff.describe()  # the one place meant for people who may see it


def test_the_shape_of_a_value_says_what_it_was_not_what_it_said() -> None:
    assert ip.errors.value_shape("Haddad") == "a text of 6 characters (letters)"
    assert ip.errors.value_shape("+49 171 555") == "a text of 11 characters (digits, spaces, other characters)"
    assert ip.errors.value_shape(49171555) == "an integer of 8 digits"
    assert ip.errors.value_shape(["a", "b"]) == "a list of 2 items"
    assert ip.errors.value_shape(ip.GoalArea.LANGUAGE) == "GoalArea.LANGUAGE"
