"""The texts people read, in German: the source language of every message catalog.

Each string here is a ``msgid`` of the catalogs in ``integrationsplan/i18n/locale``; the
catalogs translate it. Labels of enum members are German too, keyed by member, so a
document never shows a code such as ``labour_market`` to a person.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from integrationsplan.domain import (
    Access,
    Achievement,
    AppointmentStatus,
    ContactMode,
    GoalArea,
    GoalStatus,
    MeasureStatus,
    PlaceKind,
    PlanStatus,
    QualificationKind,
    RecognitionState,
    ResponsibleParty,
    RevisionKind,
    Sex,
)

__all__ = ["ENUM_LABELS", "MESSAGES", "PLURALS", "label_de"]

#: German labels of enum members a person reads (in plans, letters and the command line).
ENUM_LABELS: Mapping[enum.Enum, str] = {
    GoalArea.LANGUAGE: "Spracherwerb",
    GoalArea.LABOUR_MARKET: "Arbeit und Ausbildung",
    GoalArea.RECOGNITION: "Anerkennung ausländischer Abschlüsse",
    GoalArea.HOUSING: "Wohnen",
    GoalArea.SCHOOL_AND_EDUCATION: "Schule und Bildung",
    GoalArea.SOCIAL_PARTICIPATION: "Gesellschaftliche Teilhabe",
    GoalArea.HEALTH: "Gesundheit",
    GoalArea.FAMILY_AND_CHILDREN: "Familie und Kinder",
    GoalArea.OTHER: "Sonstiges",
    GoalStatus.PROPOSED: "vorgeschlagen",
    GoalStatus.ACTIVE: "in Arbeit",
    GoalStatus.ON_HOLD: "zurückgestellt",
    GoalStatus.ACHIEVED: "erreicht",
    GoalStatus.NOT_ACHIEVED: "nicht erreicht",
    GoalStatus.CANCELLED: "aufgegeben",
    MeasureStatus.PLANNED: "geplant",
    MeasureStatus.IN_PROGRESS: "läuft",
    MeasureStatus.DONE: "erledigt",
    MeasureStatus.CANCELLED: "entfallen",
    ResponsibleParty.PERSON: "die Person selbst",
    ResponsibleParty.MANAGER: "Integrationsmanagement",
    ResponsibleParty.EXTERNAL: "externe Stelle",
    RecognitionState.NOT_APPLIED: "noch nicht beantragt",
    RecognitionState.ADVISED: "beraten",
    RecognitionState.APPLIED: "beantragt",
    RecognitionState.DOCUMENTS_REQUESTED: "Unterlagen nachgefordert",
    RecognitionState.DECIDED: "entschieden",
    Sex.FEMALE: "weiblich",
    Sex.MALE: "männlich",
    Sex.DIVERSE: "divers",
    Sex.UNKNOWN: "ohne Angabe",
    PlanStatus.ACTIVE: "aktiv",
    PlanStatus.PAUSED: "unterbrochen",
    PlanStatus.CLOSED: "abgeschlossen",
    Achievement.NOT_ASSESSED: "noch nicht bewertet",
    Achievement.NONE: "nicht erreicht",
    Achievement.PARTIAL: "teilweise erreicht",
    Achievement.FULL: "voll erreicht",
    QualificationKind.VOCATIONAL_TRAINING: "Berufsausbildung",
    QualificationKind.UNIVERSITY_DEGREE: "Studium",
    QualificationKind.OTHER: "sonstige Qualifikation",
    ContactMode.OFFICE_HOURS: "Sprechstunde",
    ContactMode.PHONE: "Telefon",
    ContactMode.HOME_VISIT: "Hausbesuch",
    ContactMode.VIDEO: "Video",
    ContactMode.ACCOMPANIMENT: "Begleitung",
    AppointmentStatus.REQUESTED: "angefragt",
    AppointmentStatus.BOOKED: "vereinbart",
    AppointmentStatus.CONFIRMED: "bestätigt",
    AppointmentStatus.COMPLETED: "stattgefunden",
    AppointmentStatus.MISSED: "versäumt",
    AppointmentStatus.CANCELLED: "abgesagt",
    PlaceKind.ROOM: "im Büro",
    PlaceKind.PHONE: "telefonisch",
    PlaceKind.VIDEO: "per Video",
    PlaceKind.HOME_VISIT: "Hausbesuch",
    RevisionKind.UPDATE: "Fortschreibung",
    RevisionKind.CORRECTION: "Berichtigung",
    Access.WALK_IN: "offene Sprechstunde",
    Access.APPOINTMENT: "nur mit Termin",
}

#: The other texts: headings, labels and sentences of the printed plan and the command line.
MESSAGES: tuple[str, ...] = (
    "Integrationsplan",
    "Vereinbarung zwischen der Person und dem Integrationsmanagement",
    "Kommune",
    "Integrationsmanager/in",
    "Person",
    "Name",
    "Geschlecht",
    "Geburtsdatum",
    "Staatsangehörigkeit",
    "Sprachen",
    "Aufenthaltsstatus",
    "gültig bis",
    "Plan-Nr.",
    "erstellt am",
    "Stand",
    "Kompetenzen und Qualifikationen",
    "Sprachkenntnisse",
    "Schulbildung",
    "Berufliche Qualifikation",
    "Berufserfahrung",
    "Weitere Fähigkeiten",
    "Anerkennung",
    "Land",
    "Ziele und Maßnahmen",
    "Ziel",
    "Handlungsfeld",
    "Zieldatum",
    "Status",
    "Maßnahme",
    "Verantwortlich",
    "bis",
    "Zeitplan der Begleitung",
    "Beginn der Begleitung",
    "Ende der Begleitung",
    "heute",
    "Einwilligung und Datenschutz",
    "Die Einwilligung in die Beratung wurde am {date} erteilt.",
    (
        "Die Stadt verarbeitet Ihre Angaben nur für das Integrationsmanagement: Ihre Beratung "
        "und Begleitung nach diesem Plan. Sie werden verschlüsselt gespeichert und nur mit Ihrer "
        "Einwilligung an andere Stellen weitergegeben. Sie können Auskunft, Berichtigung und "
        "Löschung verlangen und Ihre Einwilligung jederzeit widerrufen."
    ),
    "Unterschriften",
    "Ort, Datum",
    "Unterschrift der Person",
    "Unterschrift Integrationsmanager/in",
    "keine Angaben",
    "Seite",
    "Dieser Plan wird fortgeschrieben: Änderungen werden mit Datum festgehalten.",
    "Die Übersetzung ist noch nicht von einer Muttersprachlerin oder einem Muttersprachler geprüft.",
)

#: Texts with a number: (singular, plural) msgids for ``ngettext``.
PLURALS: tuple[tuple[str, str], ...] = (
    ("{count} Ziel", "{count} Ziele"),
    ("{count} Maßnahme", "{count} Maßnahmen"),
    ("{count} Revision", "{count} Revisionen"),
    ("{count} Plan", "{count} Pläne"),
    ("{count} Jahr", "{count} Jahre"),
)


def label_de(member: enum.Enum) -> str:
    """The German label of an enum member (its value where none is defined)."""
    return ENUM_LABELS.get(member, str(member.value))
