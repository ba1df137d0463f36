"""The support period: date rules over all start dates, leap days and month ends."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.domain as ip_domain
import integrationsplan.rules as ip_rules
import integrationsplan.services as ip_services
from integrationsplan.testing import strategies as ips

MONTH_ENDS = st.builds(
    lambda year, month: dt.date(year, month, calendar.monthrange(year, month)[1]),
    st.integers(2000, 2040),
    st.integers(1, 12),
)
STARTS = ips.dates() | MONTH_ENDS | st.sampled_from([dt.date(2024, 2, 29), dt.date(2028, 2, 29), dt.date(2023, 1, 31)])
POLICIES = st.sampled_from([ip.TWO_YEAR, ip.VWV_2023]) | ips.support_policies()


def _bgb_oracle(start: dt.date, months: int) -> dt.date:
    """§ 188 BGB, written out with the calendar instead of relativedelta."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (dt.date(2023, 3, 1), 24, dt.date(2025, 2, 28)),
        (dt.date(2023, 3, 15), 24, dt.date(2025, 3, 14)),
        (dt.date(2024, 2, 29), 24, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2023, 8, 31), 36, dt.date(2026, 8, 30)),
        (dt.date(2023, 12, 31), 2, dt.date(2024, 2, 29)),
    ],
)
def test_period_ends(start: dt.date, months: int, last: dt.date) -> None:
    assert ip_rules.last_day_of_months(start, months) == last


@given(STARTS, st.integers(1, 60))
def test_last_day_follows_the_bgb(start: dt.date, months: int) -> None:
    assert ip_rules.last_day_of_months(start, months) == _bgb_oracle(start, months)


@given(STARTS, POLICIES)
def test_end_is_after_start_and_length_within_bounds(start: dt.date, policy: ip.SupportPolicy) -> None:
    period = ip_rules.support_period(policy, start)
    assert period.last_day > period.start
    days = (period.last_day - period.start).days + 1
    assert 28 * policy.months <= days <= 31 * policy.months
    assert abs(days - policy.months * 365.2425 / 12) <= 3


@given(STARTS, STARTS, POLICIES)
def test_end_is_monotonic_in_the_start(first: dt.date, second: dt.date, policy: ip.SupportPolicy) -> None:
    early, late = sorted((first, second))
    assert ip_rules.support_period(policy, early).last_day <= ip_rules.support_period(policy, late).last_day


@given(STARTS, POLICIES, st.lists(st.integers(1, 24), max_size=3))
def test_an_extension_never_shortens(start: dt.date, policy: ip.SupportPolicy, months: list[int]) -> None:
    extensions = [ip_domain.SupportExtension(start, m, "Begründung") for m in months]
    base = ip_rules.support_period(policy, start)
    extended = ip_rules.support_period(policy, start, extensions=extensions)
    assert extended.last_day >= base.last_day
    assert extended.extended_months == min(sum(months), policy.max_extension_months)
    assert extended.extension_months_left == policy.max_extension_months - extended.extended_months


@given(STARTS, POLICIES, st.integers(0, 800), st.integers(0, 400), st.booleans())
def test_a_pause_never_shortens(
    start: dt.date, policy: ip.SupportPolicy, offset: int, length: int, ended: bool
) -> None:
    began = start + dt.timedelta(days=offset)
    pause = ip_domain.SupportPause(began, "Krankenhaus", began + dt.timedelta(days=length) if ended else None)
    on = began + dt.timedelta(days=length)
    base = ip_rules.support_period(policy, start)
    paused = ip_rules.support_period(policy, start, pauses=[pause], on=on)
    assert paused.last_day >= base.last_day
    if policy.pauses_suspend and began <= base.last_day:
        assert paused.last_day == base.last_day + dt.timedelta(days=length)
    if not policy.pauses_suspend:
        assert paused.last_day == base.last_day


def test_two_year_and_vwv_2023() -> None:
    two = ip_rules.support_period(ip.TWO_YEAR, dt.date(2023, 3, 15))
    assert two.last_day == dt.date(2025, 3, 14)
    assert not two.can_extend()
    vwv = ip_rules.support_period(ip.VWV_2023, dt.date(2023, 3, 1))
    assert vwv.last_day == dt.date(2026, 2, 28)
    assert vwv.can_extend(12)
    assert not vwv.can_extend(13)
    assert vwv.is_active(dt.date(2026, 2, 28))
    assert not vwv.is_active(dt.date(2026, 3, 1))
    assert vwv.days_remaining(dt.date(2026, 2, 27)) == 1
    assert vwv.days_remaining(dt.date(2027, 1, 1)) == 0
    assert vwv.days_remaining(dt.date(2020, 1, 1)) == (vwv.last_day - vwv.start).days + 1


def test_a_plan_state_anchors_by_policy() -> None:
    from integrationsplan.testing.examples import example_plan  # noqa: PLC0415

    plan = example_plan()
    service = ip.PlanService(clock=ip_services.ManualClock(dt.datetime(2023, 3, 15, tzinfo=dt.UTC)))
    create = ip.CreatePlan(plan.person, plan.municipality_ags, dt.date(2023, 3, 15), dt.date(2023, 3, 15))
    state = service.create_plan(plan.id, create, author="m", effective_on=dt.date(2023, 3, 15), reason="r")
    state = service.revise(
        plan.id,
        ip.ExtendSupport(12, "Ausbildung beginnt"),
        base=1,
        author="m",
        effective_on=dt.date(2025, 12, 1),
        reason="r",
    )
    two = ip_rules.support_period_of(state, ip.TWO_YEAR)
    vwv = ip_rules.support_period_of(state, ip.VWV_2023)
    assert two is not None
    assert vwv is not None
    assert (two.start, two.last_day, two.extended_months) == (dt.date(2023, 3, 15), dt.date(2025, 3, 14), 0)
    assert (vwv.start, vwv.last_day, vwv.extended_months) == (dt.date(2023, 3, 1), dt.date(2027, 2, 28), 12)
