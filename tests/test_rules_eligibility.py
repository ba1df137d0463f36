"""Eligibility: the example cases, and each reason exactly when its fact holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.rules as ip_rules
from integrationsplan.i18n import Message, Texts, language, load_catalog
from integrationsplan.i18n._sources import template_entries
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan

EISLINGEN = "08117019"
SYRIAN = example_plan().person  # § 25 Abs. 2, allocated to Eislingen on 2023-03-01


def _decide(person: ip.Person, on: dt.date, **kwargs: object) -> ip.Decision:
    return ip_rules.DEFAULT_RULE_SET.decide(ip_rules.EligibilityCase(person, EISLINGEN, on, **kwargs))  # type: ignore[arg-type]


def _status(kind: ip.ResidenceStatusKind) -> ip.ResidenceStatus:
    return ip.ResidenceStatus(kind)


CATALOG_TEXTS = {entry for entry in template_entries() if isinstance(entry, str)}


def test_syrian_refugee_allocated_to_eislingen() -> None:
    decision = _decide(SYRIAN, dt.date(2023, 6, 1))
    assert decision.outcome is ip.Outcome.ELIGIBLE
    assert decision.codes == ("FOLLOW_UP_HOUSING", "PROTECTION_GRANTED")
    assert decision.reasons[0].basis == "§§ 17, 18 FlüAG"
    assert ("allocated_on", "2023-03-01") in decision.reasons[0].facts
    assert "Anschlussunterbringung" in decision.explain("de")
    assert "follow-up housing" in decision.explain("en")
    assert "Seit 01.03.2023 der Gemeinde" in decision.explain("de")
    assert "Schutzstatus: Flüchtlingseigenschaft." in decision.explain("de")
    assert "Protection status: refugee status." in decision.explain("en")
    arabic = decision.explain("ar")
    assert arabic.startswith("مستحق لإدارة الاندماج")
    assert "صفة اللاجئ" in arabic
    assert "[PROTECTION_GRANTED]" in arabic


def test_a_towns_own_reason_is_german_text_and_may_be_translated(tmp_path: Path) -> None:
    reason = ip_rules.Reason("INTERPRETER_BUDGET", ip.Outcome.NEEDS_REVIEW, "Dolmetschbudget prüfen.", "Satzung")
    assert reason.message == Message("Dolmetschbudget prüfen.")
    assert reason.text("en") == "Dolmetschbudget prüfen."  # no catalog knows it: German, never a code
    own = tmp_path / "en.po"
    own.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "Dolmetschbudget prüfen."\nmsgstr "Check the interpreter budget."\n'
        'msgid "Dolmetschbudget prüfen."\nmsgstr "Check the interpreter budget."\n'
    )
    english = Texts(language("en"), load_catalog(own, "en"))
    assert reason.text(english) == "Check the interpreter budget."
    with pytest.raises(ip.ValidationError, match=r"\$\.message"):
        ip_rules.Reason("X", ip.Outcome.ELIGIBLE, 42, "Satzung")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("on", "outcome", "code"),
    [
        (dt.date(2021, 6, 1), ip.Outcome.NOT_ELIGIBLE, "NO_GOOD_PROSPECTS"),
        (dt.date(2022, 6, 1), ip.Outcome.ELIGIBLE, "GOOD_PROSPECTS"),
    ],
)
def test_afghan_asylum_seeker_in_2021_and_2022(on: dt.date, outcome: ip.Outcome, code: str) -> None:
    allocation = ip.Allocation(dt.date(2021, 1, 15), EISLINGEN)
    afghan = attrs.evolve(
        SYRIAN,
        nationalities=("AFG",),
        residence_status=_status(ip.ResidenceStatusKind.ASYLUM_PROCEDURE),
        arrived_on=dt.date(2020, 9, 1),
        allocation=allocation,
    )
    decision = _decide(afghan, on)
    assert decision.outcome is outcome
    assert decision.codes == ("FOLLOW_UP_HOUSING", code)


def test_ukrainian_with_temporary_protection_needs_no_allocation() -> None:
    ukrainian = attrs.evolve(
        SYRIAN,
        nationalities=("UKR",),
        residence_status=_status(ip.ResidenceStatusKind.TEMPORARY_PROTECTION),
        allocation=None,
    )
    decision = _decide(ukrainian, dt.date(2023, 6, 1))
    assert decision.outcome is ip.Outcome.ELIGIBLE
    assert decision.codes == ("TEMPORARY_PROTECTION", "RESIDENCE_TITLE")
    assert decision.reasons[0].basis.startswith("§ 24 AufenthG")


@pytest.mark.parametrize(
    "kind",
    [
        ip.ResidenceStatusKind.TOLERATION,
        ip.ResidenceStatusKind.TRAINING_TOLERATION,
        ip.ResidenceStatusKind.EMPLOYMENT_TOLERATION,
    ],
)
def test_duldung_needs_review(kind: ip.ResidenceStatusKind) -> None:
    decision = _decide(attrs.evolve(SYRIAN, residence_status=_status(kind)), dt.date(2023, 6, 1))
    assert decision.outcome is ip.Outcome.NEEDS_REVIEW
    assert "TOLERATION" in decision.codes


def test_support_ended() -> None:
    period = ip_rules.support_period(ip.TWO_YEAR, dt.date(2023, 3, 15))
    decision = ip_rules.DEFAULT_RULE_SET.decide(
        ip_rules.EligibilityCase(SYRIAN, EISLINGEN, dt.date(2025, 3, 15), period), ip.Stage.ONGOING
    )
    assert decision.outcome is ip.Outcome.NOT_ELIGIBLE
    assert decision.codes[-1] == "SUPPORT_PERIOD_ENDED"
    assert ("last_day", "2025-03-14") in decision.reasons[-1].facts
    still = ip_rules.DEFAULT_RULE_SET.decide(
        ip_rules.EligibilityCase(SYRIAN, EISLINGEN, dt.date(2025, 3, 14), period), ip.Stage.ONGOING
    )
    assert "SUPPORT_PERIOD_ENDED" not in still.codes


def test_manual_override_is_recorded_not_silent() -> None:
    decision = _decide(
        attrs.evolve(SYRIAN, residence_status=_status(ip.ResidenceStatusKind.TOLERATION)), dt.date(2023, 6, 1)
    )
    override = ip.Override(
        ip.Outcome.ELIGIBLE, "eis-im-01", dt.date(2023, 6, 2), "Ausbildung in Aussicht, Rücksprache mit ABH"
    )
    final = decision.overridden(override)
    assert final.outcome is ip.Outcome.ELIGIBLE
    assert final.computed_outcome is ip.Outcome.NEEDS_REVIEW
    assert final.reasons == decision.reasons
    assert "Manuell entschieden von eis-im-01 am 02.06.2023" in final.explain("de")
    assert "Ausbildung" not in repr(final)


def _allocated_here(person: ip.Person, on: dt.date) -> bool:
    return (
        person.allocation is not None
        and person.allocation.municipality_ags == EISLINGEN
        and person.allocation.allocated_on <= on
    )


PERSONS = ips.persons().map(
    lambda p: (
        attrs.evolve(p, allocation=attrs.evolve(p.allocation, municipality_ags=EISLINGEN))
        if p.allocation is not None and p.allocation.allocated_on.day % 2 == 0
        else p
    )
)


@given(PERSONS, ips.dates())
def test_each_reason_appears_exactly_when_its_fact_holds(person: ip.Person, on: dt.date) -> None:
    codes = set(_decide(person, on).codes)
    allocation, status = person.allocation, person.residence_status
    here = allocation is not None and allocation.municipality_ags == EISLINGEN
    kind = status.kind if status is not None else None
    expired = status is not None and status.valid_until is not None and status.valid_until < on
    assert ("FOLLOW_UP_HOUSING" in codes) == _allocated_here(person, on)
    assert ("NOT_YET_ALLOCATED" in codes) == (here and allocation is not None and allocation.allocated_on > on)
    assert ("TEMPORARY_PROTECTION" in codes) == (not here and kind is ip.ResidenceStatusKind.TEMPORARY_PROTECTION)
    assert ("ALLOCATED_ELSEWHERE" in codes) == (
        allocation is not None and not here and kind is not ip.ResidenceStatusKind.TEMPORARY_PROTECTION
    )
    assert ("NO_FOLLOW_UP_HOUSING" in codes) == (
        allocation is None and kind is not ip.ResidenceStatusKind.TEMPORARY_PROTECTION
    )
    unknown = kind in (None, ip.ResidenceStatusKind.UNKNOWN, ip.ResidenceStatusKind.OTHER)
    assert ("RESIDENCE_STATUS_UNKNOWN" in codes) == unknown
    assert ("RESIDENCE_STATUS_EXPIRED" in codes) == (not unknown and expired)
    valid = not unknown and not expired
    assert ("TOLERATION" in codes) == (valid and kind is not None and kind.is_toleration)
    procedure = valid and kind is ip.ResidenceStatusKind.ASYLUM_PROCEDURE
    listed = any(ip_rules.DEFAULT_GOOD_PROSPECTS.includes(c, on) for c in person.nationalities)
    assert ("GOOD_PROSPECTS" in codes) == (procedure and listed)
    assert ("NO_GOOD_PROSPECTS" in codes) == (procedure and not listed)
    assert ("PROTECTION_GRANTED" in codes) == (
        valid
        and kind
        in {
            ip.ResidenceStatusKind.ASYLUM,
            ip.ResidenceStatusKind.REFUGEE,
            ip.ResidenceStatusKind.SUBSIDIARY_PROTECTION,
            ip.ResidenceStatusKind.DEPORTATION_BAN,
        }
    )


@given(PERSONS, ips.dates())
def test_outcome_follows_the_reasons_and_is_deterministic(person: ip.Person, on: dt.date) -> None:
    # Markers for the names: a generated name may be a word the reasons use ("Plan").
    marked = attrs.evolve(person.name, family_name="Qzfamilymarker", given_names="Qzgivenmarker")
    person = attrs.evolve(person, name=marked)
    decision = _decide(person, on)
    assert decision == _decide(person, on)
    effects = {reason.effect for reason in decision.reasons}
    if ip.Outcome.NOT_ELIGIBLE in effects:
        assert decision.outcome is ip.Outcome.NOT_ELIGIBLE
    elif ip.Outcome.NEEDS_REVIEW in effects:
        assert decision.outcome is ip.Outcome.NEEDS_REVIEW
    else:
        assert decision.outcome is ip.Outcome.ELIGIBLE
    for reason in decision.reasons:
        assert reason.text_de
        assert reason.text_en
        assert reason.basis
        # Every built-in reason is a catalog text, so every language can write it.
        assert reason.message.msgid in CATALOG_TEXTS
        names = [person.name.family_name, person.name.given_names, person.phone]
        assert not any(
            name and name in reason.text_de + reason.text_en + str(reason.facts)
            for name in names
            if name and len(name) > 3
        )


def _extra_rule() -> ip_rules.Rule:
    def check(case: ip_rules.EligibilityCase) -> tuple[ip_rules.Reason, ...]:
        if case.person.interpreter_language is None:
            return ()
        return (
            ip_rules.Reason(
                "INTERPRETER_BUDGET",
                ip.Outcome.NEEDS_REVIEW,
                "Dolmetschbudget prüfen.",
                "Satzung",
            ),
        )

    return ip_rules.Rule("interpreter_budget", frozenset({ip.Stage.ENTRY}), check)


@given(PERSONS, ips.dates())
def test_a_custom_rule_set_changes_only_what_it_changes(person: ip.Person, on: dt.date) -> None:
    case = ip_rules.EligibilityCase(person, EISLINGEN, on)
    base = ip_rules.DEFAULT_RULE_SET.decide(case)
    dropped = ip_rules.DEFAULT_RULE_SET.drop("prospects").decide(case)
    housing = ip_rules.follow_up_housing_rule().check(case)
    assert dropped.reasons == housing
    added = ip_rules.DEFAULT_RULE_SET.add(_extra_rule()).decide(case)
    assert added.reasons[: len(base.reasons)] == base.reasons
    assert added.reasons[len(base.reasons) :] == _extra_rule().check(case)
    ongoing = ip_rules.DEFAULT_RULE_SET.add(_extra_rule()).decide(case, ip.Stage.ONGOING)
    assert "INTERPRETER_BUDGET" not in ongoing.codes
    replaced = ip_rules.DEFAULT_RULE_SET.replace(
        ip_rules.prospects_rule(ip_rules.GoodProspectsList("none", ()))
    ).decide(case)
    assert "GOOD_PROSPECTS" not in replaced.codes
    assert replaced.reasons[0] == base.reasons[0]


def test_rule_set_edits_refuse_what_does_not_fit() -> None:
    with pytest.raises(ip.ValidationError, match="exists; use replace"):
        ip_rules.DEFAULT_RULE_SET.add(ip_rules.prospects_rule())
    with pytest.raises(ip.ValidationError, match="no rule 'nope' to drop"):
        ip_rules.DEFAULT_RULE_SET.drop("nope")
    assert (
        ip_rules.DEFAULT_RULE_SET.drop("prospects")
        .decide(ip_rules.EligibilityCase(SYRIAN, EISLINGEN, dt.date(2023, 6, 1)))
        .rule_set
        == "baden-wuerttemberg@2023"
    )


@given(st.sampled_from(["IRQ", "IRN"]))
def test_iraq_and_iran_dropped_from_the_list(country: str) -> None:
    assert ip_rules.DEFAULT_GOOD_PROSPECTS.includes(country, dt.date(2016, 1, 1))
    assert not ip_rules.DEFAULT_GOOD_PROSPECTS.includes(country, dt.date(2021, 6, 1))
    assert ip_rules.DEFAULT_GOOD_PROSPECTS.includes("SOM", dt.date(2016, 8, 1))
    assert not ip_rules.DEFAULT_GOOD_PROSPECTS.includes("SOM", dt.date(2016, 7, 31))


def test_the_default_good_prospects_list_is_valid() -> None:
    """It is built without validators (to keep pycountry out of the import); here they run."""
    default = ip_rules.DEFAULT_GOOD_PROSPECTS
    checked = attrs.evolve(default, entries=tuple(attrs.evolve(entry) for entry in default.entries))
    assert checked == default
