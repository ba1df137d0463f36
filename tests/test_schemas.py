"""The JSON Schemas: generated from the classes, every valid document passes, refused ones fail, docs up to date."""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

import integrationsplan as ip
import integrationsplan.domain as ip_domain
from integrationsplan.cli import main
from integrationsplan.serialization import canonical_json
from integrationsplan.serialization.schema import SCHEMAS, schema
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan

DOCS = Path(__file__).resolve().parent.parent / "docs" / "schemas"


@functools.cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    described = schema(name)
    jsonschema.Draft202012Validator.check_schema(described)
    return jsonschema.Draft202012Validator(described, format_checker=jsonschema.FormatChecker())


def _valid(name: str, document: Any) -> None:
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [(list(e.path), e.message[:200]) for e in errors[:3]]


def _final(history: tuple[ip.Revision, ...]) -> ip.PlanState:
    state = ip_domain.replay(history)
    assert state is not None
    return state


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_each_schema_is_a_valid_json_schema(name: str) -> None:
    described = schema(name)
    jsonschema.Draft202012Validator.check_schema(described)
    assert described["$id"] == f"urn:integrationsplan:schema:{name}"


@settings(max_examples=min(25, settings().max_examples), deadline=None)
@given(
    person=ips.persons(),
    plan=ips.integration_plans(),
    history=ips.plan_histories(max_revisions=5),
    appointment=ips.appointments(),
    change=ips.changes(),
)
def test_every_document_the_library_writes_passes_its_schema(
    person: ip.Person,
    plan: ip.IntegrationPlan,
    history: tuple[ip.Revision, ...],
    appointment: ip.Appointment,
    change: ip.Change,
) -> None:
    _valid("person", json.loads(ip.dumps(person)))
    _valid("plan", json.loads(ip.dumps(plan)))
    _valid("plan_state", json.loads(ip.dumps(_final(history))))
    for revision in history:
        _valid("revision", json.loads(ip.dumps(revision)))
    _valid("appointment", json.loads(ip.dumps(appointment)))
    _valid("changes", json.loads(ip.dumps_changes([change])))
    _valid("change", json.loads(ip.dumps_changes([change]))[0])
    for competency in json.loads(ip.dumps(plan))["data"]["competencies"]:
        _valid("competency", competency)
    create = ip.CreatePlan(person, "08117019", plan.drawn_up_on, plan.drawn_up_on, None)
    _valid("create_plan", ip.unstructure(create))
    line = {"plan_id": history[0].plan_id, "revisions": [json.loads(ip.dumps(revision)) for revision in history]}
    _valid("export_line", line)


def test_an_exported_line_plain_or_sealed_passes_its_schema(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    plan = example_plan()
    for url in ("memory://", f"sqlite:///{tmp_path}/plans.db?keys=keyfile://{tmp_path}/keys"):
        with ip.App(store=url, autoload=False) as app:
            create = ip.CreatePlan(plan.person, plan.municipality_ags, plan.drawn_up_on, plan.drawn_up_on, None)
            app.plans.create_plan("ip-1", create, author="a", effective_on=plan.drawn_up_on, reason="r")
            out = io.BytesIO()
            app.transfer.export(out)
        [line] = out.getvalue().splitlines()
        _valid("export_line", json.loads(line))


def _refused(name: str, document: Any) -> bool:
    return any(True for _ in _validator(name).iter_errors(document))


def test_documents_the_library_refuses_are_refused_by_the_schema_where_it_can_say_so() -> None:
    person = json.loads(ip.dumps(example_plan().person))
    broken: list[tuple[str, Any]] = []
    for path, value in (
        (("sex",), "m"),  # an unknown enum value
        (("id",), "no spaces allowed"),  # not an identifier
        (("nationalities",), "SYR"),  # a string where a list belongs
        (("languages",), ["ara", "ara"]),  # a duplicate
        (("arrived_on",), "15.03.2023"),  # not an ISO date
        (("name", "family_name"), "x" * 201),  # too long
        (("phone",), "call me"),  # not a phone number
    ):
        document = json.loads(json.dumps(person))
        target = document["data"]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        broken.append(("person", document))
    missing = json.loads(json.dumps(person))
    del missing["data"]["sex"]
    broken.append(("person", missing))
    extra = json.loads(json.dumps(person))
    extra["data"]["nickname"] = "x"
    broken.append(("person", extra))
    change = {"change": "rename_plan", "name": "x"}
    broken.append(("change", change))
    for name, document in broken:
        read = _read_person if name == "person" else _read_change
        with pytest.raises(ip.ValidationError):  # the library refuses it ...
            read(document)
        assert _refused(name, document), document  # ... and so does the schema


def _read_person(document: Any) -> None:
    ip.loads(canonical_json(document), ip.Person)


def _read_change(document: Any) -> None:
    ip.loads_changes(json.dumps([document]))


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_the_published_schemas_are_up_to_date(name: str) -> None:
    published = DOCS / f"{name}.json"
    assert published.exists(), f"run scripts/write-schemas: {published} is missing"
    assert json.loads(published.read_text(encoding="utf-8")) == schema(name), f"run scripts/write-schemas ({name})"


def test_the_command_line_prints_a_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "person"]) == 0
    assert json.loads(capsys.readouterr().out) == schema("person")
    assert main(["schema", "nonsense"]) == 2
    assert "the schemas are" in capsys.readouterr().err
    assert main(["schema", "--list"]) == 0
    assert capsys.readouterr().out.split() == list(SCHEMAS)
