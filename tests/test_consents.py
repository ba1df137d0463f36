"""Consents on the record: given and withdrawn in the history, asked for by day, required by exports."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import integrationsplan as ip
from integrationsplan.cli import main
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2023, 3, 15)
JOBCENTER = "Jobcenter Landkreis Göppingen"


def _consent(consent_id: str = "k-jobcenter", given_on: dt.date = DAY) -> ip.Consent:
    return ip.Consent(
        id=consent_id,
        purpose="Vermittlung in Ausbildung und Arbeit",
        recipients=(JOBCENTER,),
        data_categories=(ip.DataCategory.IDENTITY, ip.DataCategory.QUALIFICATIONS),
        text_version="Einwilligung IM 2024-01",
        text_language="ara",
        given_on=given_on,
        recorded_by="eis-im-01",
    )


def _drawn_up(app: ip.App) -> None:
    plan = example_plan()
    create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
    app.plans.create_plan("ip-1", create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
    app.plans.revise("ip-1", ip.GiveConsent(_consent()), base=1, author="eis-im-01", effective_on=DAY, reason="K")


@given(ips.consents(), ips.dates(), st.none() | st.integers(0, 400), ips.dates())
def test_a_consent_is_valid_from_its_day_until_its_withdrawal(
    consent: ip.Consent, given_on: dt.date, withdrawn_after: int | None, day: dt.date
) -> None:
    withdrawn_on = None if withdrawn_after is None else given_on + dt.timedelta(days=withdrawn_after)
    if withdrawn_on is not None and withdrawn_on > ip.domain.LATEST_DATE:
        return
    consent = attrs.evolve(
        consent,
        given_on=given_on,
        withdrawn_on=withdrawn_on,
        withdrawal_recorded_by=None if withdrawn_on is None else "eis-im-02",
    )
    expected = given_on <= day and (withdrawn_on is None or day < withdrawn_on)
    assert consent.valid_on(day) is expected
    assert ip.consents_valid_on((consent,), day) == ((consent,) if expected else ())


def test_a_consent_says_what_for_whom_and_is_refused_when_incomplete() -> None:
    with pytest.raises(ip.ValidationError, match="at least one category"):
        attrs.evolve(_consent(), data_categories=())
    with pytest.raises(ip.ValidationError, match="withdrawn before it was given"):
        attrs.evolve(_consent(), withdrawn_on=DAY - dt.timedelta(days=1), withdrawal_recorded_by="x")
    with pytest.raises(ip.ValidationError, match="its day and who recorded it"):
        attrs.evolve(_consent(), withdrawn_on=DAY)
    with pytest.raises(ip.ValidationError, match="ISO 639-3"):
        attrs.evolve(_consent(), text_language="Arabisch")


def test_consents_are_given_and_withdrawn_in_the_history_never_rewritten(store_url: str) -> None:
    with ip.App(store=store_url, autoload=False) as app:
        _drawn_up(app)
        withdrawn_on = dt.date(2023, 9, 1)
        withdraw = ip.WithdrawConsent("k-jobcenter", withdrawn_on, "eis-im-02")
        app.plans.revise("ip-1", withdraw, base=2, author="eis-im-02", effective_on=withdrawn_on, reason="Widerruf")
        assert [c.id for c in app.plans.consents("ip-1", on=dt.date(2023, 8, 31))] == ["k-jobcenter"]
        assert app.plans.consents("ip-1", on=withdrawn_on) == ()
        [consent] = app.plans.state("ip-1").consents
        assert (consent.withdrawn_on, consent.withdrawal_recorded_by) == (withdrawn_on, "eis-im-02")
        history = app.plans.history("ip-1")
        assert isinstance(history[1].changes[0], ip.GiveConsent)  # the consent as given stays in the history
        assert app.plans.verify_plans().ok
        for refused, base in (
            (ip.WithdrawConsent("k-jobcenter", withdrawn_on, "x"), 3),  # withdrawn already
            (ip.WithdrawConsent("k-unknown", withdrawn_on, "x"), 3),
            (ip.GiveConsent(_consent()), 3),  # the same id again
            (ip.GiveConsent(attrs.evolve(_consent("k-2"), withdrawn_on=DAY, withdrawal_recorded_by="x")), 3),
        ):
            with pytest.raises(ip.PlanRuleViolation):
                app.plans.revise("ip-1", refused, base=base, author="a", effective_on=withdrawn_on, reason="r")


def test_an_export_for_a_recipient_needs_a_valid_consent_naming_it(store_url: str) -> None:
    with ip.App(store=store_url, autoload=False) as app:
        _drawn_up(app)
        out = io.BytesIO()
        assert app.transfer.export(out, recipient=JOBCENTER, on=DAY) == 1
        with pytest.raises(ip.ConsentRequiredError, match="no consent names this recipient"):
            app.transfer.export(io.BytesIO(), recipient="Ausländerbehörde", on=DAY)
        withdraw = ip.WithdrawConsent("k-jobcenter", dt.date(2023, 9, 1), "eis-im-01")
        app.plans.revise("ip-1", withdraw, base=2, author="a", effective_on=dt.date(2023, 9, 1), reason="Widerruf")
        refused = io.BytesIO()
        with pytest.raises(ip.ConsentRequiredError, match="withdrawn on 2023-09-01") as raised:
            app.transfer.export(refused, recipient=JOBCENTER, on=dt.date(2023, 9, 2))
        assert refused.getvalue() == b""  # nothing written
        assert raised.value.plan_id == "ip-1"
        assert app.plans.require_consent("ip-1", recipient=JOBCENTER, on=dt.date(2023, 8, 1)).id == "k-jobcenter"


def test_the_command_line_refuses_an_export_to_a_recipient_without_consent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=store, autoload=False) as app:
        _drawn_up(app)
    common = ["--store", store, "--today", "2023-10-01", "export"]
    assert main([*common, "--recipient", JOBCENTER, "-o", str(tmp_path / "out.jsonl")]) == 0
    refused = tmp_path / "refused.jsonl"
    assert main([*common, "--recipient", "Ausländerbehörde Göppingen", "-o", str(refused)]) == 1
    assert "no consent names this recipient" in capsys.readouterr().err
    assert not refused.exists()  # refused before anything was created
