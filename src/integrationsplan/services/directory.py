"""What the use cases need to know about municipalities: the port the plugins fill.

Services never talk to pluggy. They ask a [`Directory`][integrationsplan.services.Directory] for
a municipality, its staff, its rules, its support policy, its office hours and its
managers' working hours. An [`App`][integrationsplan.App] is one (answered by the
plugins); a service built on its own gets
[`DefaultDirectory`][integrationsplan.services.DefaultDirectory]: no municipalities, no
staff, the Baden-Württemberg default rules, the two-year policy and the default working
hours. Tests can pass any object with these six methods.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from integrationsplan.domain import (
    DEFAULT_WORKING_HOURS,
    IntegrationManager,
    Municipality,
    OfficeHours,
    WorkingHours,
    is_ags,
)
from integrationsplan.errors import ConfigurationError
from integrationsplan.rules import DEFAULT_RULE_SET, TWO_YEAR, RuleSet, SupportPolicy

__all__ = ["DefaultDirectory", "Directory"]


@runtime_checkable
class Directory(Protocol):
    """Municipalities, staff, rules, support policies, office hours and working hours, by AGS."""

    def find_municipality(self, ags: str) -> Municipality | None:
        """The municipality with this AGS, or ``None`` when nobody describes it."""
        ...

    def staff(self, municipality_ags: str | None = None) -> tuple[IntegrationManager, ...]:
        """The integration managers of a municipality (of every known one for ``None``)."""
        ...

    def eligibility_rules(self, municipality_ags: str) -> RuleSet:
        """The eligibility rule set the municipality applies."""
        ...

    def support_policy(self, municipality_ags: str) -> SupportPolicy:
        """The support-period policy the municipality applies."""
        ...

    def office_hours(self, municipality_ags: str) -> OfficeHours:
        """The office hours; ConfigurationError when none are known."""
        ...

    def working_hours(self, municipality_ags: str, manager_id: str) -> WorkingHours:
        """When a manager takes appointments (a default when nobody says)."""
        ...


class DefaultDirectory:
    """The directory of a library used without plugins: defaults only."""

    def find_municipality(self, ags: str) -> Municipality | None:
        return None

    def staff(self, municipality_ags: str | None = None) -> tuple[IntegrationManager, ...]:
        return ()

    def eligibility_rules(self, municipality_ags: str) -> RuleSet:
        return DEFAULT_RULE_SET

    def support_policy(self, municipality_ags: str) -> SupportPolicy:
        return TWO_YEAR

    def office_hours(self, municipality_ags: str) -> OfficeHours:
        raise ConfigurationError(f"no office hours are known for municipality {shown_ags(municipality_ags)}")

    def working_hours(self, municipality_ags: str, manager_id: str) -> WorkingHours:
        return DEFAULT_WORKING_HOURS


def shown_ags(value: object) -> str:
    """An AGS as messages show it: the code itself, or what is wrong with it."""
    return str(value) if is_ags(value) else "(not a valid AGS: 8 digits expected)"
