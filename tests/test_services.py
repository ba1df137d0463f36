"""The use cases as an application calls them, over the memory store and SQLite alike."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path

import attrs
import pytest

import integrationsplan as ip
from integrationsplan.services import ManualClock
from integrationsplan.testing.examples import EISLINGEN, EISLINGEN_MANAGER, example_plan

DAY = dt.date(2023, 3, 15)


class Town:
    """A town plugin that is not Eislingen: the library must know it through the plugins only."""

    ags = "08111000"  # Stuttgart
    municipality = ip.Municipality(ags, "Stuttgart", "Stuttgart", ip.FederalState.BADEN_WUERTTEMBERG)
    manager = ip.IntegrationManager(staff_id="stg-im-07", name="IM Stuttgart", municipality_ags=ags)

    @ip.hookimpl
    def integrationsplan_municipalities(self) -> list[ip.Municipality]:
        return [self.municipality, EISLINGEN]

    @ip.hookimpl
    def integrationsplan_staff(self, municipality_ags: str) -> list[ip.IntegrationManager]:
        return [self.manager] if municipality_ags == self.ags else [EISLINGEN_MANAGER]


def _create(app: ip.App, plan_id: str = "ip-1", ags: str = EISLINGEN.ags, manager: str = "eis-im-01") -> ip.PlanState:
    person = example_plan().person
    return app.plans.create_plan(
        plan_id, ip.CreatePlan(person, ags, DAY, DAY, manager), author=manager, effective_on=DAY, reason="Erstgespräch"
    )


def test_show_names_the_municipality_and_manager_of_any_town(store_url: str, clock: ManualClock) -> None:
    with ip.App([Town()], store=store_url, clock=clock, autoload=False) as app:
        _create(app, "ip-stg", Town.ags, "stg-im-07")
        view = app.plans.show("ip-stg", on=DAY)
        assert view.municipality == Town.municipality
        assert view.manager == Town.manager
        assert view.support_period is not None
        assert view.support_period.policy == ip.TWO_YEAR
        assert "IM Stuttgart" not in repr(view)  # a manager's name is personal data


def test_show_flags_an_expired_residence_status(app: ip.App) -> None:
    _create(app)
    status = example_plan().person.residence_status
    assert status is not None
    assert status.valid_until is not None
    assert not app.plans.show("ip-1", on=status.valid_until).residence_expired
    assert app.plans.show("ip-1", on=status.valid_until + dt.timedelta(days=1)).residence_expired
    items = app.caseloads().work_list("eis-im-01", status.valid_until + dt.timedelta(days=1))
    assert any(item.subject == "residence" and item.kind.value == "overdue" for item in items)


def test_show_as_of_a_day_before_the_plan_is_unknown(app: ip.App) -> None:
    _create(app)
    with pytest.raises(ip.UnknownPlanError, match="not yet drawn up"):
        app.plans.show("ip-1", on=DAY, as_of=DAY - dt.timedelta(days=1))


def test_an_eligibility_decision_and_an_override_go_on_the_record(app: ip.App) -> None:
    _create(app)
    decision, state = app.eligibility.decide("ip-1", on=DAY, base=1, author="eis-im-01", reason="Beginn")
    assert state.revision == 2
    record = state.last_decision
    assert record == decision.record()
    assert (record.rule_set, record.rule_set_version) == ("baden-wuerttemberg", "2023")
    assert record.reason_codes == decision.codes
    assert record.outcome is ip.Outcome.ELIGIBLE

    override = ip.Override(ip.Outcome.NEEDS_REVIEW, "eis-im-02", DAY, "Unterlagen widersprüchlich")
    overridden, after = app.eligibility.decide(
        "ip-1", on=DAY, base=2, author="eis-im-02", reason="Prüfung", override=override
    )
    assert overridden.outcome is ip.Outcome.NEEDS_REVIEW
    assert after.last_decision is not None
    assert after.last_decision.override == override
    assert after.last_decision.computed_outcome is ip.Outcome.ELIGIBLE
    changes = app.plans.diff("ip-1", 2, 3).changes
    assert changes[-1].path == "decisions[+1]"
    assert changes[-1].label_de == "Anspruchsprüfungen > neu"
    assert {change.path for change in changes[:-1]} >= {"last_decision.outcome", "last_decision.override"}
    decided = app.plans.records("ip-1", kind=ip.RecordKind.ELIGIBILITY_DECISION)
    assert [record for _, record in decided] == [record, after.last_decision]
    assert "widersprüchlich" not in repr(after.last_decision)
    with pytest.raises(ip.ConcurrentRevisionError):
        app.eligibility.decide("ip-1", on=DAY, base=2, author="eis-im-01", reason="veraltet")


def test_eligibility_check_uses_the_municipality_policy_and_writes_nothing(app: ip.App) -> None:
    person = example_plan().person
    decision = app.eligibility.check(person, EISLINGEN.ags, DAY)
    assert decision.outcome is ip.Outcome.ELIGIBLE
    assert app.plans.plans() == []


def test_export_and_import_stream_line_by_line_and_name_the_bad_line(app: ip.App, tmp_path: Path) -> None:
    _create(app, "ip-1")
    _create(app, "ip-2")
    out = io.BytesIO()
    assert app.transfer.export(out) == 2
    lines = out.getvalue().splitlines(keepends=True)
    with ip.App(store=f"sqlite:///{tmp_path}/copy.db", autoload=False) as copy:
        seen: list[int] = []
        summary = copy.transfer.import_lines(iter(lines), batch_size=1, progress=seen.append)
        assert (summary.imported, summary.unchanged) == (2, 0)
        assert seen[-1] == 2
        again = copy.transfer.import_lines(iter(lines))
        assert (again.imported, again.unchanged) == (0, 2)
        with pytest.raises(ip.ValidationError, match="line 1 again") as twice:
            ip.App(autoload=False).transfer.import_lines(iter([lines[0], lines[0]]), source="twice.jsonl")
        assert twice.value.subject == "twice.jsonl, line 2"
        broken = [lines[0], b'{"plan_id": "ip-3", "revisions": [{"type": "revision"}]}\n']
        with pytest.raises(ip.ValidationError) as raised:
            copy.transfer.import_lines(iter(broken), source="plans.jsonl")
        assert raised.value.subject == "plans.jsonl, line 2"
        assert all(error.path.startswith("$.revisions[0]") for error in raised.value.errors)


def test_change_documents_round_trip_with_their_tag() -> None:
    changes = (ip.CompleteMeasure("m-1"), ip.AssignManager("eis-im-02"))
    document = ip.dumps_changes(changes)
    assert b'"change":"complete_measure"' in document
    assert ip.loads_changes(document) == changes
    assert ip.loads_changes(b'{"change": "assign_manager", "manager_id": "x-1"}') == (ip.AssignManager("x-1"),)
    with pytest.raises(ip.ValidationError) as raised:
        ip.loads_changes(b'[{"change": "complete_measure"}, {"change": "rename"}]')
    assert {error.path for error in raised.value.errors} >= {"$[1].change"}


def test_dates_beyond_the_horizon_are_refused_before_anything_is_written(app: ip.App) -> None:
    _create(app)
    with pytest.raises(ip.ValidationError, match="year"):
        ip.PartialDate(1899)
    for day in (dt.date(9999, 12, 31), dt.date(2200, 1, 1)):
        with pytest.raises(ip.ValidationError, match="effective_on"):
            app.plans.revise("ip-1", ip.AssignManager("x"), base=1, author="a", effective_on=day, reason="r")
    assert app.store.version("ip-1") == 1
    assert app.caseloads().work_list("eis-im-01", dt.date(2199, 12, 31))  # no overflow at the far end


def test_a_driver_error_inside_a_write_is_a_storage_error_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=url, autoload=False) as app:
        _create(app)
        db = sqlite3.connect(tmp_path / "plans.db")
        db.execute("CREATE TRIGGER no_more BEFORE INSERT ON revisions BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
        db.commit()
        db.close()
        with pytest.raises(ip.StorageError, match="write failed"):
            app.plans.revise("ip-1", ip.AssignManager("x-2"), base=1, author="a", effective_on=DAY, reason="r")
        assert app.store.version("ip-1") == 1
        assert app.plans.state("ip-1").plan.manager_id == "eis-im-01"


def test_a_new_sqlite_store_is_private_and_a_reader_creates_none(tmp_path: Path) -> None:
    with pytest.raises(ip.ConfigurationError, match="there is no store"):
        ip.App(autoload=False).open_store(f"sqlite:///{tmp_path}/missing.db", read_only=True)
    assert not list(tmp_path.iterdir())
    with pytest.raises(ip.ConfigurationError, match="does not exist"):
        ip.App(autoload=False).open_store(f"sqlite:///{tmp_path}/no/such/dir.db")
    with ip.App(store=f"sqlite:///{tmp_path}/new.db", autoload=False) as app:
        assert app.plans.plans() == []
    assert (tmp_path / "new.db").stat().st_mode & 0o777 == 0o600


def test_verify_plans_reports_every_failure(app: ip.App) -> None:
    _create(app, "ip-1")
    _create(app, "ip-2")
    result = app.plans.verify_plans()
    assert result.ok
    assert result.verified == {"ip-1": 1, "ip-2": 1}
    assert not app.plans.verify_plans(["ip-1", "ip-missing"]).ok


def test_office_hours_are_bounded_and_start_in_the_office(store_url: str) -> None:
    from integrationsplan.testing.examples import EISLINGEN_OFFICE_HOURS  # noqa: PLC0415

    class Hours:
        @ip.hookimpl
        def integrationsplan_office_hours(self) -> ip.OfficeHours:
            return EISLINGEN_OFFICE_HOURS

    with ip.App([Hours()], store=store_url, autoload=False) as app:
        found = app.office_hours_service.next(EISLINGEN.ags, 2, after=dt.date(2025, 3, 4))
        assert found[0].start == dt.datetime(2025, 3, 4, 9, tzinfo=dt.UTC)  # 10:00 in Berlin
        with pytest.raises(ip.ValidationError, match="count"):
            app.office_hours_service.next(EISLINGEN.ags, 10**12, after=dt.date(2025, 3, 4))
        with pytest.raises(ip.ValidationError, match="weeks"):
            app.office_hours_service.icalendar(EISLINGEN.ags, on=dt.date(2025, 3, 4), weeks=10**9)


def test_a_failing_plugin_is_named_once_with_how_to_disable_it() -> None:
    calls: list[str] = []

    class Broken:
        @ip.hookimpl
        def integrationsplan_staff(self, municipality_ags: str) -> list[ip.IntegrationManager]:
            calls.append(municipality_ags)
            raise KeyError(municipality_ags)

    app = ip.App([Broken()], autoload=False)
    with pytest.raises(ip.PluginError, match="--disable-plugin") as raised:
        app.staff("08117019")
    assert "08117019" not in str(raised.value)  # the error's message is not echoed
    assert calls == ["08117019"]  # found in the same pass, not by calling every plugin again
    assert isinstance(raised.value, ip.ConfigurationError)


def test_a_plugin_can_be_disabled_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    assert any(info.name == "eislingen" for info in ip.App().plugins())
    assert not any(info.name == "eislingen" for info in ip.App(disable=["eislingen"]).plugins())
    monkeypatch.setenv("INTEGRATIONSPLAN_DISABLE_PLUGINS", "eislingen")
    assert not any(info.name == "eislingen" for info in ip.App().plugins())


def test_hook_wrappers_are_refused() -> None:
    class Wrapper:
        @ip.hookimpl(wrapper=True)
        def integrationsplan_staff(self, municipality_ags: str):  # type: ignore[no-untyped-def]
            return (yield)

    with pytest.raises(ip.PluginError, match="wrapper"):
        ip.App([Wrapper()], autoload=False)


def test_messages_about_a_bad_ags_read_correctly() -> None:
    app = ip.App(autoload=False)
    with pytest.raises(ip.ConfigurationError) as raised:
        app.office_hours("0811701X")
    assert str(raised.value) == "no plugin provides office hours for municipality (not a valid AGS: 8 digits expected)"


def test_the_example_staff_ids_do_not_encode_names() -> None:
    import integrationsplan_eislingen  # noqa: PLC0415

    for manager in integrationsplan_eislingen.MANAGERS:
        for part in manager.name.casefold().replace("ö", "oe").split():
            assert part not in manager.staff_id.casefold()
    assert attrs.has(type(integrationsplan_eislingen.MANAGERS[0]))


def test_a_cached_head_is_used_only_while_the_store_still_has_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=url, autoload=False) as first, ip.App(store=url, autoload=False) as second:
        _create(first)
        assert second.plans.state("ip-1").plan.manager_id == "eis-im-01"  # cached by the second app now
        first.plans.revise("ip-1", ip.AssignManager("eis-im-02"), base=1, author="a", effective_on=DAY, reason="r")
        assert second.plans.state("ip-1").plan.manager_id == "eis-im-02"  # the hash moved: read again
        with pytest.raises(ip.ConcurrentRevisionError):
            second.plans.revise("ip-1", ip.AssignManager("x-3"), base=1, author="a", effective_on=DAY, reason="r")
        assert second.store.head("ip-1", known_hash=second.store.head("ip-1").hash).document is None


def test_revise_many_writes_all_plans_or_none(app: ip.App) -> None:
    from integrationsplan.services import PlanEdit  # noqa: PLC0415

    for plan_id in ("ip-1", "ip-2", "ip-3"):
        _create(app, plan_id)
    edits = [PlanEdit(plan_id, (ip.AssignManager("eis-im-02"),), 1, DAY) for plan_id in ("ip-1", "ip-2", "ip-3")]
    states = app.plans.revise_many(edits, author="a", reason="Übergabe")
    assert [state.plan.manager_id for state in states] == ["eis-im-02"] * 3
    stale = [PlanEdit("ip-1", (ip.AssignManager("x-1"),), 2, DAY), PlanEdit("ip-2", (ip.AssignManager("x-1"),), 1, DAY)]
    with pytest.raises(ip.ConcurrentRevisionError):
        app.plans.revise_many(stale, author="a", reason="r")
    assert app.plans.state("ip-1").plan.manager_id == "eis-im-02"  # nothing of the batch was written
    assert app.store.version("ip-1") == 2
    with pytest.raises(ip.ValidationError, match="only once"):
        app.plans.revise_many([stale[0], stale[0]], author="a", reason="r")
    assert app.plans.verify_plans().ok
