"""Properties of histories: folds, concurrency, tamper evidence, diffs and time travel."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.domain as ip_domain
import integrationsplan.history as ip_history
import integrationsplan.serialization as ip_serialization
import integrationsplan.services as ip_services
from integrationsplan.i18n import label_de
from integrationsplan.testing import strategies as ips

HISTORIES = ips.plan_histories(max_revisions=10)
#: Two thirds of the profile's examples for the heaviest properties (whole histories each):
#: keeps the suite under its time budget in the ci profile, and scales with the profile.
FEWER = settings(max_examples=max(10, settings().max_examples * 2 // 3))
#: For properties checked on every revision (or prefix) of each history: a third of the
#: histories still checks more revisions than one sampled revision per example did.
EVERY_REVISION = settings(max_examples=max(10, settings().max_examples // 3))


def _service_with(history: tuple[ip.Revision, ...]) -> ip.PlanService:
    """A service whose store holds ``history`` as written."""
    service = ip.PlanService(clock=ip_services.ManualClock(history[-1].recorded_at))
    service.import_history(history)
    return service


@FEWER
@given(HISTORIES)
def test_folding_at_once_equals_folding_revision_by_revision(history: tuple[ip.Revision, ...]) -> None:
    state = None
    for number, revision in enumerate(history, start=1):
        state = ip_domain.apply_revision(state, revision)
        # every prefix is a valid history, and its fold is the step-by-step state
        assert ip_domain.replay(history[:number]) == state
        assert ip_history.verify(history[:number]) == number
    assert ip_domain.replay(history) == state


@given(HISTORIES)
def test_the_head_kept_by_the_service_equals_a_replay_of_the_stored_documents(history: tuple[ip.Revision, ...]) -> None:
    service = _service_with(history)
    plan_id = history[0].plan_id
    assert service.history(plan_id) == history
    assert service.state(plan_id) == ip_domain.replay(service.history(plan_id))
    assert service.verify(plan_id) == len(history)


@FEWER
@given(HISTORIES, st.data())
def test_a_stale_base_never_changes_anything(history: tuple[ip.Revision, ...], data: st.DataObject) -> None:
    service = _service_with(history)
    plan_id = history[0].plan_id
    head = len(history)
    base = data.draw(st.integers(0, head + 3).filter(lambda n: n != head))
    documents = service.store.read(plan_id)
    state = service.state(plan_id)
    change = ip.RecordCounsellingContact(data.draw(ips.counselling_contacts()))
    with pytest.raises(ip.ConcurrentRevisionError):
        service.revise(plan_id, change, base=base, author="a", effective_on=state.effective_on, reason="r")
    assert service.store.read(plan_id) == documents
    assert service.state(plan_id) == state


@given(st.lists(st.sampled_from(["a", "b"]), min_size=2, max_size=30), st.data())
def test_two_interleaved_writers_lose_nothing(schedule: list[str], data: st.DataObject) -> None:
    """Each writer reads the head, then writes on it; a conflict makes it read again."""
    clock = ip_services.ManualClock(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    service = ip.PlanService(clock=clock)
    plan = data.draw(ips.persons())
    service.create_plan(
        "p",
        ip.CreatePlan(plan, "08117019", dt.date(2024, 1, 1), dt.date(2024, 1, 1)),
        author="a",
        effective_on=dt.date(2024, 1, 1),
        reason="r",
    )
    base: dict[str, int | None] = {"a": None, "b": None}
    acknowledged: list[int] = []
    for step, writer in enumerate(schedule):
        clock.advance(dt.timedelta(minutes=1))
        if base[writer] is None:
            base[writer] = service.state("p").revision
            continue
        contact = ip.CounsellingContact(clock.now(), ip.ContactMode.PHONE, step + 1, (ip.GoalArea.OTHER,))
        try:
            service.revise(
                "p",
                ip.RecordCounsellingContact(contact),
                base=base[writer] or 0,
                author=writer,
                effective_on=dt.date(2024, 1, 1),
                reason=writer,
            )
        except ip.ConcurrentRevisionError:
            pass
        else:
            acknowledged.append(step + 1)
        base[writer] = None
    history = service.history("p")
    assert [r.number for r in history] == list(range(1, len(history) + 1))
    contacts = service.records("p", kind=ip_domain.RecordKind.CONTACT)
    durations = [c.duration_minutes for _, c in contacts if isinstance(c, ip.CounsellingContact)]
    assert durations == acknowledged  # every acknowledged write is there, once, in order
    assert service.verify("p") == len(history)


@FEWER
@given(HISTORIES, st.data())
def test_changing_any_byte_is_detected_at_that_revision(history: tuple[ip.Revision, ...], data: st.DataObject) -> None:
    documents = [ip.dumps(revision) for revision in history]
    index = data.draw(st.integers(0, len(documents) - 1))
    document = documents[index]
    position = data.draw(st.integers(0, len(document) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != document[position]))
    documents[index] = document[:position] + bytes([byte]) + document[position + 1 :]
    with pytest.raises(ip.IntegrityError) as raised:
        ip_history.verify_documents(history[0].plan_id, documents)
    assert raised.value.revision == index + 1


FIELDS = [
    "plan_id",
    "number",
    "recorded_at",
    "effective_on",
    "author",
    "kind",
    "reason",
    "changes",
    "corrects",
    "previous_hash",
    "hash",
]


@FEWER
@given(HISTORIES, st.data())
def test_changing_any_field_is_detected_at_that_revision(history: tuple[ip.Revision, ...], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(history) - 1))
    revision = history[index]
    document = orjson.loads(ip.dumps(revision))
    field = data.draw(st.sampled_from(FIELDS))
    replacements: dict[str, Any] = {
        "plan_id": revision.plan_id + "x",
        "number": revision.number + 1,
        "recorded_at": (revision.recorded_at + dt.timedelta(seconds=1)).isoformat().replace("+00:00", "Z"),
        "effective_on": (revision.effective_on + dt.timedelta(days=1)).isoformat(),
        "author": revision.author + "x",
        "kind": "update" if revision.kind is ip.RevisionKind.CORRECTION else "correction",
        "reason": revision.reason + ".",
        "changes": document["data"]["changes"] + document["data"]["changes"],
        "corrects": None if revision.corrects else 1,
        "previous_hash": None if revision.previous_hash else "f" * 64,
        "hash": "e" * 64,
    }
    document["data"][field] = replacements[field]
    tampered = list(map(ip.dumps, history))
    tampered[index] = ip_serialization.canonical_json(document)
    with pytest.raises(ip.IntegrityError) as raised:
        ip_history.verify_documents(revision.plan_id, tampered)
    assert raised.value.revision == index + 1


@EVERY_REVISION
@given(HISTORIES)
def test_diff_of_a_state_with_itself_is_empty(history: tuple[ip.Revision, ...]) -> None:
    for end in range(1, len(history) + 1):
        state = ip_domain.replay(history[:end])
        assert ip_history.diff_states(state, state) == ()


def _patch(document: Any, path: list[str], value: Any) -> Any:
    """Apply one diff entry to a JSON document (lists of records addressed as in diffs)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, list):
        key = head[1:-1]
        items = list(document)
        for position, item in enumerate(items):
            if (item.get("id") if "id" in item else str(position)) == key:
                patched = _patch(item, rest, value)
                if patched is None:
                    del items[position]
                else:
                    items[position] = patched
                return items
        return [*items, _patch({}, rest, value)] if rest else [*items, value]
    updated = dict(document)
    result = _patch(document.get(head, {}), rest, value)
    if result is None and not rest:
        updated[head] = None
    else:
        updated[head] = result
    return updated


def _split(path: str) -> list[str]:
    parts: list[str] = []
    for piece in path.split("."):
        name, _, keys = piece.partition("[")
        parts.append(name)
        parts += [f"[{key}" for key in keys.split("[") if key] if keys else []
    return parts


@given(HISTORIES, st.data())
def test_diff_lists_exactly_what_differs(history: tuple[ip.Revision, ...], data: st.DataObject) -> None:
    first = data.draw(st.integers(1, len(history)))
    second = data.draw(st.integers(1, len(history)))
    before, after = ip_domain.replay(history[:first]), ip_domain.replay(history[:second])
    assert before is not None
    assert after is not None
    changes = ip_history.diff_states(before, after)
    drop = {"revision", "effective_on", "goal_statuses"}  # bookkeeping the diff leaves out
    left = {k: v for k, v in ip.unstructure(before).items() if k not in drop}
    right = {k: v for k, v in ip.unstructure(after).items() if k not in drop}
    # Removals from position-addressed lists go last and from the end, so positions hold.
    ordered = [c for c in changes if c.kind != "removed"] + [c for c in changes if c.kind == "removed"][::-1]
    for change in ordered:
        left = _patch(left, _split(change.path), change.after)
        assert change.before != change.after
    assert left == right
    assert len({change.path for change in changes}) == len(changes)


@settings(max_examples=max(10, settings().max_examples // 3))  # rendering only: fewer histories suffice
@given(HISTORIES, st.data())
def test_a_diff_reads_every_value_by_its_type(history: tuple[ip.Revision, ...], data: st.DataObject) -> None:
    first = data.draw(st.integers(0, len(history)))
    second = data.draw(st.integers(first, len(history)))
    diff = ip_history.diff_revisions(history, first, second)
    assert len(diff.value_types) == len(diff.changes)
    assert all(tp is not None for tp in diff.value_types)  # every path resolves to a domain type
    lines = diff.describe("de").splitlines()
    for change, tp in zip(diff.changes, diff.value_types, strict=True):
        if isinstance(tp, type) and issubclass(tp, enum.Enum) and change.after is not None:
            # An enum value reads by its label, never by its stored code.
            shown = label_de(tp(change.after))
            assert any(line.startswith(f"{change.label_de}: ") and line.endswith(f"→ {shown}") for line in lines)
    assert bool(diff.describe("ar")) == bool(lines)  # every language writes it


def _introduced(revision: ip.Revision) -> set[str]:
    names = set()
    for change in revision.changes:
        if isinstance(change, ip.AddGoal):
            names |= {change.goal.id, *(m.id for m in change.goal.measures)}
        elif isinstance(change, ip.AddMeasure):
            names.add(change.measure.id)
        elif isinstance(change, (ip.RecordCompetency, ip.ReplaceCompetency)):
            names.add(change.competency.id)
        elif isinstance(change, ip.RecordDevelopment):
            names.add(change.development.id)
        elif isinstance(change, ip.RecordCounsellingContact):
            names.add(change.contact.at.isoformat())
    return names


def _present(state: ip.PlanState) -> set[str]:
    plan = state.plan
    return (
        {goal.id for goal in plan.goals}
        | {m.id for goal in plan.goals for m in goal.measures}
        | {c.id for c in plan.competencies}
        | {d.id for d in plan.developments}
    )


@given(HISTORIES, st.data())
def test_state_as_of_a_day_holds_nothing_effective_later(history: tuple[ip.Revision, ...], data: st.DataObject) -> None:
    revision = data.draw(st.sampled_from(history))
    view = ip_domain.state_as_of(history, revision.effective_on)
    assert view is not None
    assert view.effective_on <= revision.effective_on
    allowed = set().union(*(_introduced(r) for r in history if r.effective_on <= revision.effective_on))
    assert _present(view) <= allowed


@given(HISTORIES, st.data())
def test_state_as_recorded_is_the_fold_of_what_was_known(history: tuple[ip.Revision, ...], data: st.DataObject) -> None:
    revision = data.draw(st.sampled_from(history))
    known = [r for r in history if r.recorded_at <= revision.recorded_at]
    assert ip_domain.state_as_recorded(history, revision.recorded_at) == ip_domain.replay(known)


@EVERY_REVISION
@given(HISTORIES)
def test_sealing_is_deterministic_and_agrees_with_its_document(history: tuple[ip.Revision, ...]) -> None:
    for revision in history:
        unsealed = attrs.evolve(revision, hash="0" * 64)
        assert ip_history.seal(unsealed) == revision
        assert ip_history.revision_hash(revision) == revision.hash
        sealed, document = ip_history.seal_with_document(unsealed)
        assert sealed == revision
        assert document == ip.dumps(sealed)


@FEWER
@given(HISTORIES)
def test_encoding_a_head_from_the_one_before_gives_the_same_bytes(history: tuple[ip.Revision, ...]) -> None:
    from integrationsplan.serialization._incremental import unstructure_state  # noqa: PLC0415

    previous: ip.PlanState | None = None
    previous_data = None
    for revision in history:
        state = ip_domain.apply_revision(previous, revision)
        data = unstructure_state(state, previous, previous_data)
        assert ip_serialization.canonical_json(data) == ip_serialization.canonical_json(ip.unstructure(state))
        previous, previous_data = state, data


@settings(max_examples=max(10, settings().max_examples // 5))
@given(HISTORIES)
def test_the_mapper_writes_the_same_head_bytes_with_and_without_its_cache(history: tuple[ip.Revision, ...]) -> None:
    from integrationsplan.storage.mapper import PlanMapper  # noqa: PLC0415

    warm, cold = PlanMapper(), PlanMapper(cached_heads=0)
    state: ip.PlanState | None = None
    for revision in history:
        state = ip_domain.apply_revision(state, revision)
        head = warm.head(revision, state)
        assert head.document == cold.head(revision, state).document == ip.dumps(state)
        warm.remember(head, state)
