"""Residence statuses under the Residence Act (AufenthG) and the Asylum Act (AsylG)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from integrationsplan.domain._validators import calendar_date, fail, member_of, not_before, optional

__all__ = ["ResidenceStatus", "ResidenceStatusKind"]


class ResidenceStatusKind(enum.Enum):
    """The residence status (Aufenthaltsstatus) a person holds.

    Values are stable English codes stored in documents; ``legal_basis`` and
    ``german_name`` give the statute and the German term.
    """

    ASYLUM_PROCEDURE = "asylum_procedure"
    ASYLUM = "asylum"
    REFUGEE = "refugee"
    SUBSIDIARY_PROTECTION = "subsidiary_protection"
    DEPORTATION_BAN = "deportation_ban"
    DEPARTURE_IMPOSSIBLE = "departure_impossible"
    WELL_INTEGRATED_YOUTH = "well_integrated_youth"
    SUSTAINABLE_INTEGRATION = "sustainable_integration"
    ADMISSION_FROM_ABROAD = "admission_from_abroad"
    ADMISSION_PROGRAMME = "admission_programme"
    TEMPORARY_PROTECTION = "temporary_protection"
    TOLERATION = "toleration"
    TRAINING_TOLERATION = "training_toleration"
    EMPLOYMENT_TOLERATION = "employment_toleration"
    OPPORTUNITY_RESIDENCE = "opportunity_residence"
    SETTLEMENT_PERMIT = "settlement_permit"
    NATURALISED = "naturalised"
    OTHER = "other"
    UNKNOWN = "unknown"

    @property
    def legal_basis(self) -> str:
        """The statute, e.g. ``§ 25 Abs. 2 Alt. 1 AufenthG``; empty for other/unknown."""
        return _FACTS[self][0]

    @property
    def german_name(self) -> str:
        return _FACTS[self][1]

    @property
    def is_residence_title(self) -> bool:
        """False for an Aufenthaltsgestattung and every kind of Duldung.

        Neither is a residence title (Aufenthaltstitel, § 4 AufenthG): the first only
        permits the stay during the asylum procedure, the second suspends deportation.
        """
        return self not in _NOT_TITLES

    @property
    def is_toleration(self) -> bool:
        """True for a Duldung (§ 60a) and its variants (§§ 60c, 60d AufenthG)."""
        return self in _TOLERATIONS

    @property
    def is_permanent(self) -> bool:
        """True when the status has no expiry (settlement permit, naturalisation)."""
        return self in _PERMANENT


_FACTS: dict[ResidenceStatusKind, tuple[str, str]] = {
    ResidenceStatusKind.ASYLUM_PROCEDURE: ("§ 55 AsylG", "Aufenthaltsgestattung"),
    ResidenceStatusKind.ASYLUM: ("§ 25 Abs. 1 AufenthG, Art. 16a GG", "Asylberechtigung"),
    ResidenceStatusKind.REFUGEE: ("§ 25 Abs. 2 Alt. 1 AufenthG, § 3 AsylG", "Flüchtlingseigenschaft"),
    ResidenceStatusKind.SUBSIDIARY_PROTECTION: ("§ 25 Abs. 2 Alt. 2 AufenthG, § 4 AsylG", "subsidiärer Schutz"),
    ResidenceStatusKind.DEPORTATION_BAN: ("§ 25 Abs. 3 AufenthG", "nationales Abschiebungsverbot"),
    ResidenceStatusKind.DEPARTURE_IMPOSSIBLE: ("§ 25 Abs. 5 AufenthG", "Aufenthalt wegen Ausreisehindernis"),
    ResidenceStatusKind.WELL_INTEGRATED_YOUTH: (
        "§ 25a AufenthG",
        "Aufenthaltsgewährung bei gut integrierten Jugendlichen und jungen Volljährigen",
    ),
    ResidenceStatusKind.SUSTAINABLE_INTEGRATION: (
        "§ 25b AufenthG",
        "Aufenthaltsgewährung bei nachhaltiger Integration",
    ),
    ResidenceStatusKind.ADMISSION_FROM_ABROAD: ("§ 22 AufenthG", "Aufnahme aus dem Ausland"),
    ResidenceStatusKind.ADMISSION_PROGRAMME: ("§ 23 AufenthG", "Aufnahme durch die obersten Landesbehörden / Bund"),
    ResidenceStatusKind.TEMPORARY_PROTECTION: ("§ 24 AufenthG", "vorübergehender Schutz"),
    ResidenceStatusKind.TOLERATION: ("§ 60a AufenthG", "Duldung"),
    ResidenceStatusKind.TRAINING_TOLERATION: ("§ 60c AufenthG", "Ausbildungsduldung"),
    ResidenceStatusKind.EMPLOYMENT_TOLERATION: ("§ 60d AufenthG", "Beschäftigungsduldung"),
    ResidenceStatusKind.OPPORTUNITY_RESIDENCE: ("§ 104c AufenthG", "Chancen-Aufenthaltsrecht"),
    ResidenceStatusKind.SETTLEMENT_PERMIT: ("§ 9 AufenthG, § 26 Abs. 3, 4 AufenthG", "Niederlassungserlaubnis"),
    ResidenceStatusKind.NATURALISED: ("§§ 8, 10 StAG", "eingebürgert"),
    ResidenceStatusKind.OTHER: ("", "sonstiger Status"),
    ResidenceStatusKind.UNKNOWN: ("", "unbekannt"),
}
_TOLERATIONS = frozenset(
    {
        ResidenceStatusKind.TOLERATION,
        ResidenceStatusKind.TRAINING_TOLERATION,
        ResidenceStatusKind.EMPLOYMENT_TOLERATION,
    }
)
_NOT_TITLES = _TOLERATIONS | {ResidenceStatusKind.ASYLUM_PROCEDURE}
_PERMANENT = frozenset({ResidenceStatusKind.SETTLEMENT_PERMIT, ResidenceStatusKind.NATURALISED})


def _expiry(instance: ResidenceStatus, attribute: attrs.Attribute[dt.date | None], value: dt.date | None) -> None:
    if value is not None and instance.kind.is_permanent:
        fail(instance, attribute, f"a {instance.kind.value!r} status does not expire")


@attrs.frozen
class ResidenceStatus:
    """The status a person holds, with the dates on the document.

    ``valid_until`` is the last day of validity as printed; rules compare it with a
    reference date to decide whether the status still holds. Permanent statuses have
    none.
    """

    kind: ResidenceStatusKind = attrs.field(validator=member_of(ResidenceStatusKind))
    issued_on: dt.date | None = attrs.field(default=None, validator=optional(calendar_date))
    valid_until: dt.date | None = attrs.field(
        default=None, validator=[optional(calendar_date), not_before("issued_on"), _expiry]
    )
