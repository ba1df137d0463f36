"""The annual key figures: what they count, what they hide, and that every store agrees."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.domain as ip_domain
import integrationsplan.history as ip_history
import integrationsplan.reports as ip_reports
import integrationsplan.services as ip_services
from integrationsplan.reports import SECTIONS
from integrationsplan.storage.sqlite import SQLiteStore
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan

AGS = "08117019"
START = dt.date(2024, 2, 1)


def _contact(at: dt.datetime, mode: ip.ContactMode, *topics: ip.GoalArea) -> ip.RecordCounsellingContact:
    return ip.RecordCounsellingContact(ip.CounsellingContact(at, mode, 45, topics))


class _Town:
    """A small town's year 2024, written through the service as managers would."""

    def __init__(self, store: ip.PlanStore) -> None:
        self.service = ip.PlanService(store, clock=ip_services.ManualClock(dt.datetime(2025, 1, 10, tzinfo=dt.UTC)))
        self.example = example_plan()

    def plan(
        self,
        number: int,
        *,
        sex: ip.Sex = ip.Sex.FEMALE,
        born: int = 1990,
        nationality: str = "SYR",
        drawn_up_on: dt.date = START,
        manager: str = "eis-im-01",
    ) -> str:
        person = attrs.evolve(
            self.example.person,
            id=f"p-{number}",
            sex=sex,
            date_of_birth=ip.PartialDate(born),
            nationalities=(nationality,),
        )
        plan_id = f"ip-{number}"
        create = ip.CreatePlan(person, AGS, drawn_up_on, drawn_up_on, manager)
        self.service.create_plan(plan_id, create, author=manager, effective_on=drawn_up_on, reason="Erstgespräch")
        return plan_id

    def revise(self, plan_id: str, changes: list[ip.Change], on: dt.date) -> ip.PlanState:
        base = self.service.state(plan_id).revision
        return self.service.revise(
            plan_id, changes, base=base, author="eis-im-01", effective_on=on, reason="Fortschreibung"
        )


def _town(store: ip.PlanStore) -> _Town:
    town = _Town(store)
    goal = attrs.evolve(town.example.goals[0], agreed_on=START, target_date=None, measures=())  # a language goal
    for number in range(6):
        plan_id = town.plan(number, sex=ip.Sex.MALE if number < 2 else ip.Sex.FEMALE)
        changes: list[ip.Change] = [ip.AddGoal(goal)]
        changes.append(
            _contact(dt.datetime(2024, 3, 5, 9, tzinfo=dt.UTC), ip.ContactMode.OFFICE_HOURS, ip.GoalArea.LANGUAGE)
        )
        town.revise(plan_id, changes, START)
        if number < 3:
            done = ip.ChangeGoalStatus(goal.id, ip.GoalStatus.ACHIEVED, ip.Achievement.FULL)
            town.revise(plan_id, [done], dt.date(2024, 9, 1))
    # a plan from 2023, closed in 2024; one drawn up in 2025 (not counted); one closed in 2023 (not counted)
    old = town.plan(10, drawn_up_on=dt.date(2023, 5, 2), nationality="AFG", born=1960)
    town.revise(old, [ip.ClosePlan(ip.ClosureReason.MOVED_AWAY)], dt.date(2024, 4, 30))
    town.plan(11, drawn_up_on=dt.date(2025, 1, 3))
    gone = town.plan(12, drawn_up_on=dt.date(2023, 1, 3))
    town.revise(gone, [ip.ClosePlan(ip.ClosureReason.GOALS_REACHED)], dt.date(2023, 11, 30))
    # late on New Year's Eve in UTC is already 2025 in Eislingen
    call = _contact(dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC), ip.ContactMode.PHONE, ip.GoalArea.HOUSING)
    town.revise("ip-5", [call], dt.date(2025, 1, 1))
    # closed in 2025: still open at the end of 2024, and counted so although the head says closed
    town.revise("ip-4", [ip.ClosePlan(ip.ClosureReason.WITHDREW)], dt.date(2025, 1, 8))
    return town


STAFF = (
    ip.IntegrationManager("eis-im-01", "Renate Völlinger", AGS, 1.0),
    ip.IntegrationManager("eis-im-02", "Güney Timur", AGS, 0.5),
)


def test_key_figures_of_a_small_town() -> None:
    town = _town(ip.MemoryStore())
    report = ip_reports.kennzahlen(town.service, 2024, [AGS], staff=STAFF, threshold=1)
    assert report.section("totals") == {
        "persons_counselled": 7,
        "plans_counselled": 7,
        "new_plans": 6,
        "plans_closed": 1,
        "counselling_contacts": 6,
        "goals_set": 6,
        "goals_achieved": 3,
        "open_plans": 6,
    }
    assert report.value("plans_closed_by_reason", "moved_away") == 1
    assert report.value("contacts_by_mode", "office_hours") == 6
    assert report.value("contacts_by_mode", "phone") == 0  # the New Year's Eve call belongs to 2025
    assert report.value("contacts_by_topic", "language") == 6
    assert report.value("goals_achieved_by_area", "language") == 3
    assert report.section("persons_by_sex") == {"female": 5, "male": 2, "diverse": 0, "unknown": 0}
    assert report.value("persons_by_age_group", "27-44") == 6
    assert report.value("persons_by_age_group", "65+") == 0  # born 1960: 64 at the end of 2024
    assert report.value("persons_by_age_group", "45-64") == 1
    assert report.section("persons_by_nationality") == {"AFG": 1, "SYR": 6}
    assert report.section("caseload_by_manager") == {"eis-im-01": 6, "eis-im-02": 0}
    assert report.section("caseload_per_fte") == {"eis-im-01": 6.0, "eis-im-02": 0.0}
    with pytest.raises(KeyError):
        report.value("totals", "nothing")


def test_small_counts_are_suppressed_and_cannot_be_recovered() -> None:
    report = ip_reports.kennzahlen(_town(ip.MemoryStore()).service, 2024, [AGS], staff=STAFF)  # threshold 3
    assert report.value("totals", "plans_closed") is None  # 1
    assert report.value("totals", "persons_counselled") == 7
    # 5 women, 2 men: the men are hidden, and so are the women, or 7 - 5 would give them away
    assert report.section("persons_by_sex") == {"female": None, "male": None, "diverse": 0, "unknown": 0}
    # the single Afghan is folded into "other", which is then too small to show
    assert report.section("persons_by_nationality") == {"SYR": None, "other": None}
    table = report.to_table()
    assert "<3" in table
    assert "beratene Personen / persons counselled" in table


@given(ips.plan_histories(max_revisions=6), st.integers(1, 5))
def test_no_shown_count_is_below_the_threshold(history: tuple[ip.Revision, ...], threshold: int) -> None:
    state = ip_domain.replay(history)
    assert state is not None
    year = state.plan.drawn_up_on.year
    report = ip_reports.key_figures([state], year, municipalities=[state.plan.municipality_ags], threshold=threshold)
    for figure in report.figures:
        if isinstance(figure.value, int) and figure.section != "caseload_per_fte":
            assert figure.value == 0 or figure.value >= threshold
    for name, (_, _, total) in SECTIONS.items():
        if total is None:
            continue
        cells = report.section(name)
        hidden = [key for key, value in cells.items() if value is None]
        nonzero_shown = [key for key, value in cells.items() if value]
        assert len(hidden) != 1 or not nonzero_shown, name


@settings(max_examples=max(10, settings().max_examples // 3))  # each example is up to six whole histories
@given(st.lists(ips.plan_histories(max_revisions=6), max_size=6))
def test_unsuppressed_breakdowns_add_up(histories: list[tuple[ip.Revision, ...]]) -> None:
    states = [state for history in histories if (state := ip_domain.replay(history)) is not None]
    report = ip_reports.key_figures(states, 2024, threshold=1)
    persons = report.value("totals", "persons_counselled")
    for name in ("persons_by_sex", "persons_by_age_group", "persons_by_nationality"):
        assert sum(v or 0 for v in report.section(name).values()) == persons
    assert sum(v or 0 for v in report.section("contacts_by_mode").values()) == report.value(
        "totals", "counselling_contacts"
    )
    assert sum(v or 0 for v in report.section("caseload_by_manager").values()) == report.value("totals", "open_plans")


def _unique(history: tuple[ip.Revision, ...], number: int) -> tuple[ip.Revision, ...]:
    """The same history under a plan id of its own, resealed."""
    plan_id = f"h-{number}"
    sealed: list[ip.Revision] = []
    for revision in history:
        previous = sealed[-1].hash if sealed else None
        sealed.append(ip_history.seal(attrs.evolve(revision, plan_id=plan_id, previous_hash=previous)))
    return tuple(sealed)


@settings(max_examples=min(15, settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ips.plan_histories(max_revisions=6), min_size=1, max_size=5), st.integers(2000, 2035))
def test_every_store_gives_the_same_report(histories: list[tuple[ip.Revision, ...]], year: int) -> None:
    histories = [_unique(history, number) for number, history in enumerate(histories)]
    municipalities = sorted(
        {state.plan.municipality_ags for h in histories if (state := ip_domain.replay(h)) is not None}
    )
    reports = []
    with tempfile.TemporaryDirectory() as folder:
        for store in (ip.MemoryStore(), SQLiteStore(Path(folder) / "plans.db", synchronous="normal")):
            with store:
                service = ip.PlanService(store)
                for history in histories:
                    service.import_history(history)
                reports.append(ip_reports.kennzahlen(service, year, municipalities, threshold=1))
    assert reports[0] == reports[1]
    # and the same as the pure function over the states as of 31 December
    states = [s for h in histories if (s := ip_domain.state_as_of(h, dt.date(year, 12, 31))) is not None]
    records = [(r.plan_id, record) for h in histories for r in h for record in ip_domain.records_of(r)]
    pure = ip_reports.key_figures(states, year, records=records, municipalities=municipalities, threshold=1)
    assert pure == reports[0]


def test_the_three_formats_say_the_same() -> None:
    report = ip_reports.kennzahlen(_town(ip.MemoryStore()).service, 2024, [AGS], staff=STAFF)
    data = json.loads(report.to_json())
    assert data == report.as_dict()
    assert data["figures"]["totals"]["plans_closed"] is None
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert len(rows) == len(report.figures)
    assert {"section": "totals", "key": "plans_closed", "value": "", "suppressed": "yes"} in rows
    assert {"section": "totals", "key": "persons_counselled", "value": "7", "suppressed": "no"} in rows
    for german, english, _ in SECTIONS.values():
        assert f"{german} / {english}" in report.to_table()
    german = report.to_csv("excel-de")
    assert german.startswith("\ufeff")  # a byte-order mark: German spreadsheets read the umlauts right
    german_rows = list(csv.DictReader(io.StringIO(german.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert len(german_rows) == len(report.figures)
    assert {"Bereich": "totals", "Kennzahl": "plans_closed", "Wert": "", "unterdrückt": "ja"} in german_rows
    assert "\r\n" in german
    fractions = [row["Wert"] for row in german_rows if "," in row["Wert"]]
    floats = [f for f in report.figures if isinstance(f.value, float)]
    assert floats
    assert len(fractions) == len(floats)  # every fraction with a decimal comma
    with pytest.raises(ValueError, match="dialect"):
        report.to_csv("excel-fr")


def test_reports_carry_no_personal_data() -> None:
    town = _town(ip.MemoryStore())
    report = ip_reports.kennzahlen(town.service, 2024, [AGS], staff=STAFF, threshold=1)
    name = town.example.person.name
    secrets = [part for part in (name.family_name, name.given_names) if part]
    assert secrets
    for text in (report.to_json(), report.to_csv(), report.to_table()):
        for secret in [*secrets, "p-1", "ip-1", "Renate"]:
            assert secret not in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"threshold": 0}, "threshold"),
        ({"threshold": True}, "threshold"),
        ({"year": 99}, "year"),
        ({"municipalities": []}, "municipality"),
    ],
)
def test_bad_report_parameters(arguments: dict[str, object], message: str) -> None:
    options: dict[str, object] = {"year": 2024, "municipalities": [AGS], **arguments}
    with pytest.raises(ip.ConfigurationError, match=message):
        ip_reports.kennzahlen(ip.PlanService(ip.MemoryStore()), **options)  # type: ignore[arg-type]


def test_progress_is_reported_per_plan() -> None:
    seen: list[tuple[int, int]] = []
    ip_reports.kennzahlen(
        _town(ip.MemoryStore()).service, 2024, [AGS], progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (9, 9)
    assert [done for done, _ in seen] == list(range(1, 10))


@given(ips.plan_histories(max_revisions=8))
def test_the_facts_read_from_a_head_document_equal_those_of_the_decoded_state(
    history: tuple[ip.Revision, ...],
) -> None:
    state = ip_domain.replay(history)
    assert state is not None
    read = ip_reports.PlanFacts.from_head(state.plan_id, ip.dumps(state))
    assert read == ip_reports.PlanFacts.from_state(state)


def test_a_corrupt_head_document_is_named_by_the_fast_reader() -> None:
    with pytest.raises(ip.StorageError, match="head of plan 'ip-9' is corrupt"):
        ip_reports.PlanFacts.from_head("ip-9", b'{"data": {"plan": {}}}')
