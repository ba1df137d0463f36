"""Examples of the domain rules a person would assume, and of what they refuse."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given

import integrationsplan as ip
import integrationsplan.domain as ip_domain
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import EISLINGEN, example_plan


def _paths(error: pytest.ExceptionInfo[ip.ValidationError]) -> list[str]:
    return [e.path for e in error.value.errors]


class TestPartialDate:
    @pytest.mark.parametrize("text", ["1990", "1990-05", "1990-05-17", "2024-02-29"])
    def test_parse_and_format_round_trip(self, text: str) -> None:
        assert ip.PartialDate.parse(text).isoformat() == text

    def test_bounds_of_a_year_and_a_month(self) -> None:
        assert ip.PartialDate(1990).earliest == dt.date(1990, 1, 1)
        assert ip.PartialDate(1990).latest == dt.date(1990, 12, 31)
        assert ip.PartialDate(2024, 2).latest == dt.date(2024, 2, 29)
        assert ip.PartialDate(2023, 2).latest == dt.date(2023, 2, 28)
        assert not ip.PartialDate(1990, 5).is_complete

    @pytest.mark.parametrize(
        ("text", "path"), [("2023-02-29", "$"), ("1990-13", "$"), ("17.05.1990", "$"), ("90", "$")]
    )
    def test_impossible_or_malformed_dates_are_refused(self, text: str, path: str) -> None:
        with pytest.raises(ip.ValidationError) as raised:
            ip.PartialDate.parse(text)
        assert _paths(raised) == [path]

    def test_a_day_needs_a_month(self) -> None:
        with pytest.raises(ip.ValidationError) as raised:
            ip.PartialDate(1990, None, 5)
        assert _paths(raised) == ["$.month"]

    @given(ips.partial_dates())
    def test_earliest_is_never_after_latest(self, value: ip.PartialDate) -> None:
        assert value.earliest <= value.latest
        assert ip.PartialDate.parse(value.isoformat()) == value


class TestMunicipality:
    def test_eislingen(self) -> None:
        assert EISLINGEN.state is ip.FederalState.BADEN_WUERTTEMBERG
        assert EISLINGEN.district_key == "08117"
        assert ip.FederalState.BADEN_WUERTTEMBERG.ags_prefix == "08"
        assert ip.FederalState.from_ags("09162000") is ip.FederalState.BAVARIA

    @pytest.mark.parametrize("ags", ["8117019", "081170190", "00117019", "17117019", "0811701x", 8117019])
    def test_ags_must_be_eight_digits_with_a_state_key(self, ags: Any) -> None:
        assert not ip_domain.is_ags(ags)
        with pytest.raises(ip.ValidationError) as raised:
            attrs.evolve(EISLINGEN, ags=ags)
        assert _paths(raised)[0] == "$.ags"

    def test_state_must_match_the_ags(self) -> None:
        with pytest.raises(ip.ValidationError, match="does not match AGS 08117019") as raised:
            attrs.evolve(EISLINGEN, state=ip.FederalState.BAVARIA)
        assert _paths(raised) == ["$.state"]

    @given(ips.municipalities())
    def test_every_state_key_maps_back(self, municipality: ip.Municipality) -> None:
        assert municipality.ags.startswith(municipality.state.ags_prefix)


class TestResidenceStatus:
    def test_every_kind_names_its_legal_basis(self) -> None:
        for kind in ip.ResidenceStatusKind:
            assert kind.german_name
            if kind not in (ip.ResidenceStatusKind.OTHER, ip.ResidenceStatusKind.UNKNOWN):
                assert "§" in kind.legal_basis

    def test_titles_and_tolerations(self) -> None:
        kinds = ip.ResidenceStatusKind
        assert not kinds.ASYLUM_PROCEDURE.is_residence_title
        assert not kinds.TOLERATION.is_residence_title
        assert kinds.TRAINING_TOLERATION.is_toleration
        assert kinds.TEMPORARY_PROTECTION.legal_basis == "§ 24 AufenthG"
        assert kinds.REFUGEE.is_residence_title

    def test_a_naturalised_person_has_no_expiry(self) -> None:
        with pytest.raises(ip.ValidationError) as raised:
            ip.ResidenceStatus(ip.ResidenceStatusKind.NATURALISED, valid_until=dt.date(2030, 1, 1))
        assert _paths(raised) == ["$.valid_until"]


class TestCodes:
    @pytest.mark.parametrize("code", ["SYR", "AFG", "UKR", "ERI", "XKX", "YUG"])
    def test_country_codes_include_kosovo_and_withdrawn_codes(self, code: str) -> None:
        assert ip_domain.is_country_code(code)

    def test_nationality_codes_add_stateless_and_unknown(self) -> None:
        assert ip_domain.is_nationality_code(ip_domain.STATELESS)
        assert ip_domain.is_nationality_code(ip_domain.UNKNOWN_NATIONALITY)
        assert not ip_domain.is_country_code(ip_domain.STATELESS)
        assert not ip_domain.is_nationality_code("syr")

    @pytest.mark.parametrize("code", ["prs", "kmr", "ckb", "tir", "ara", "deu", "ukr", "pus"])
    def test_languages_of_refugees_are_iso_639_3(self, code: str) -> None:
        assert ip_domain.is_language_code(code)

    def test_two_letter_language_codes_are_not_iso_639_3(self) -> None:
        assert not ip_domain.is_language_code("de")


class TestValues:
    def test_values_are_frozen(self) -> None:
        plan = example_plan()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            plan.id = "other"  # type: ignore[misc]

    def test_evolve_runs_the_validators_again(self) -> None:
        goal = example_plan().goals[0]
        with pytest.raises(ip.ValidationError) as raised:
            attrs.evolve(goal, target_date=goal.agreed_on - dt.timedelta(days=1))
        assert _paths(raised) == ["$.target_date"]

    def test_a_datetime_is_not_a_date(self) -> None:
        goal = example_plan().goals[0]
        with pytest.raises(ip.ValidationError, match="expected a date, got datetime"):
            attrs.evolve(goal, agreed_on=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))

    def test_python_constructors_refuse_wrong_types_with_the_field(self) -> None:
        with pytest.raises(ip.ValidationError) as raised:
            ip.Goal(id="g", area="language", statement="s", agreed_on=dt.date(2023, 1, 1))  # type: ignore[arg-type]
        assert _paths(raised) == ["$.area"]
        assert "a text of 8 characters (letters) is not a valid GoalArea" in str(raised.value)

    def test_measure_ids_are_unique_across_the_plan(self) -> None:
        plan = example_plan()
        first, second = plan.goals[0], plan.goals[1]
        clash = attrs.evolve(second, measures=(attrs.evolve(second.measures[0], id=first.measures[0].id),))
        with pytest.raises(ip.ValidationError) as raised:
            attrs.evolve(plan, goals=(first, clash))
        assert _paths(raised) == ["$.goals[1].measures[0].id"]

    def test_responsible_external_names_the_service(self) -> None:
        assert ip.Responsible.external("Jobcenter").party is ip.ResponsibleParty.EXTERNAL
        with pytest.raises(ip.ValidationError) as raised:
            ip.Responsible(ip.ResponsibleParty.EXTERNAL)
        assert _paths(raised) == ["$.service"]

    def test_cefr_levels_are_ordered_by_rank(self) -> None:
        assert [level.rank for level in ip.CefrLevel] == [1, 2, 3, 4, 5, 6]
        assert ip.IscedLevel.MASTER > ip.IscedLevel.BACHELOR

    def test_validation_error_pickles_and_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="target_date") as raised:
            attrs.evolve(example_plan().goals[0], target_date=dt.date(2000, 1, 1))
        error = raised.value
        assert isinstance(error, ip.IntegrationsplanError)
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own exception
        assert isinstance(copy, ip.ValidationError)
        assert copy.errors == error.errors  # type: ignore[attr-defined]
