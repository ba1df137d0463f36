"""The texts people read, in German: the source language of every message catalog.

Each string here is a ``msgid`` of the catalogs in ``integrationsplan/i18n/locale``; the
catalogs translate it. Labels of enum members are German too, keyed by member, so a
document never shows a code such as ``labour_market`` to a person.

A text that is made where its values are known — an eligibility reason, an item of the
work list — is a [`Message`][integrationsplan.i18n.Message]: its German ``msgid`` with
named placeholders and the values for them, still in no language. The values stay typed
(a day is a ``datetime.date``, a status an enum member), so each language writes them its
own way when the message is rendered (``Texts.render``): ``15.03.2023`` and
``Flüchtlingseigenschaft`` in German, ``15 Mar 2023`` and ``refugee status`` in English.
The catalog template collects these msgids from the source (``Message("...")`` is the
extraction keyword, as ``_`` is for xgettext).
"""

from __future__ import annotations

import datetime as dt
import enum
import string
from collections.abc import Iterable, Mapping
from typing import TypeAlias

import attrs

from integrationsplan.domain import (
    Access,
    Achievement,
    AddGoal,
    AddMeasure,
    AppointmentStatus,
    AssignManager,
    BookingChannel,
    CancelledBy,
    CancelMeasure,
    ChangeGoalStatus,
    ClosePlan,
    ClosureReason,
    CompensationMeasure,
    CompleteMeasure,
    ContactMode,
    CreatePlan,
    DataCategory,
    EvidenceKind,
    ExtendSupport,
    GiveConsent,
    GoalArea,
    GoalStatus,
    MeasureStatus,
    Outcome,
    PauseSupport,
    PlaceKind,
    PlanStatus,
    QualificationKind,
    RecognitionLaw,
    RecognitionOutcome,
    RecognitionState,
    RecordAppointmentContact,
    RecordCompetency,
    RecordCounsellingContact,
    RecordDevelopment,
    RecordEligibilityDecision,
    ReplaceCompetency,
    ResidenceStatusKind,
    ResponsibleParty,
    ResumeSupport,
    ReviseGoal,
    RevisionKind,
    Sex,
    SkillKind,
    Stage,
    UpdatePersonalData,
    WithdrawCompetency,
    WithdrawConsent,
)
from integrationsplan.errors import FieldError, ValidationError

__all__ = ["CHANGE_LABELS", "ENUM_LABELS", "MESSAGES", "PLURALS", "Message", "MessageValue", "label_de"]

#: What a placeholder of a message may hold: text (ids, codes), a number, a day, an
#: instant, an enum member (shown by its label) or a sequence of these (joined by commas).
MessageValue: TypeAlias = "str | int | dt.date | dt.datetime | enum.Enum | tuple[MessageValue, ...]"


def _values(
    values: Mapping[str, MessageValue] | Iterable[tuple[str, MessageValue]],
) -> tuple[tuple[str, MessageValue], ...]:
    try:
        items = values.items() if isinstance(values, Mapping) else values
        return tuple(sorted((str(name), tuple(v) if isinstance(v, list) else v) for name, v in items))
    except (TypeError, ValueError):
        shown = type(values).__name__
        raise ValidationError(
            "Message", [FieldError("$.values", f"a mapping of names to values, not {shown}")]
        ) from None


def _placeholders_of(instance: object, attribute: attrs.Attribute[str], msgid: str) -> None:
    if not isinstance(msgid, str):
        raise ValidationError("Message", [FieldError("$.msgid", f"German text, not {type(msgid).__name__}")])
    try:
        list(string.Formatter().parse(msgid))
    except ValueError:
        raise ValidationError("Message", [FieldError("$.msgid", "unbalanced braces in the text")]) from None


def _keys_only(values: tuple[tuple[str, MessageValue], ...]) -> str:
    # A message may carry a staff id or a day; a repr (a log line, a traceback) names the
    # placeholders only, as every repr of this library shows shapes rather than content.
    return repr(tuple(name for name, _ in values))


@attrs.frozen
class Message:
    """A text for people in no language yet: a German ``msgid`` and its placeholders' values.

    ``Message("Seit {day} der Gemeinde zugewiesen.", {"day": dt.date(2023, 3, 1)})`` is
    rendered by [`Texts.render`][integrationsplan.i18n.Texts.render] in any language with a
    catalog; a msgid no catalog knows (a town's own rule) is shown in German, its values in
    the reader's language. Its ``repr`` names the placeholders, not their values.
    """

    msgid: str = attrs.field(validator=_placeholders_of)
    values: tuple[tuple[str, MessageValue], ...] = attrs.field(default=(), converter=_values, repr=_keys_only)

    def __attrs_post_init__(self) -> None:
        wanted = {name for _, name, _, _ in string.Formatter().parse(self.msgid) if name}
        given = {name for name, _ in self.values}
        if wanted != given:
            missing, extra = sorted(wanted - given), sorted(given - wanted)
            raise ValidationError(
                "Message", [FieldError("$.values", f"placeholders missing {missing}, not in the text {extra}")]
            )


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
    Outcome.ELIGIBLE: "Anspruch auf Integrationsmanagement",
    Outcome.NOT_ELIGIBLE: "Kein Anspruch auf Integrationsmanagement",
    Outcome.NEEDS_REVIEW: "Einzelfallprüfung nötig",
    BookingChannel.PHONE: "Telefon",
    BookingChannel.IN_PERSON: "persönlich",
    BookingChannel.EMAIL: "E-Mail",
    BookingChannel.REFERRAL: "Vermittlung",
    BookingChannel.ONLINE: "online",
    CancelledBy.PERSON: "die Person selbst",
    CancelledBy.MANAGER: "Integrationsmanagement",
    CancelledBy.OFFICE: "Verwaltung",
    ClosureReason.GOALS_REACHED: "Ziele erreicht",
    ClosureReason.MOVED_AWAY: "weggezogen",
    ClosureReason.SUPPORT_PERIOD_ENDED: "Begleitungszeitraum beendet",
    ClosureReason.WITHDREW: "auf Wunsch der Person beendet",
    ClosureReason.OTHER: "Sonstiges",
    CompensationMeasure.ADAPTATION_COURSE: "Anpassungslehrgang",
    CompensationMeasure.APTITUDE_TEST: "Eignungsprüfung",
    CompensationMeasure.KNOWLEDGE_TEST: "Kenntnisprüfung",
    DataCategory.IDENTITY: "Identitätsdaten",
    DataCategory.CONTACT_DATA: "Kontaktdaten",
    DataCategory.RESIDENCE_STATUS: "Aufenthaltsstatus",
    DataCategory.QUALIFICATIONS: "Qualifikationen",
    DataCategory.GOALS_AND_MEASURES: "Ziele und Maßnahmen",
    DataCategory.COUNSELLING_CONTACTS: "Beratungskontakte",
    DataCategory.HEALTH: "Gesundheitsdaten",
    EvidenceKind.SELF_ASSESSED: "Selbsteinschätzung",
    EvidenceKind.COURSE: "Kurs",
    EvidenceKind.CERTIFICATE: "Zertifikat",
    RecognitionLaw.BQFG: "Berufsqualifikationsfeststellungsgesetz (Bund)",
    RecognitionLaw.BQFG_BW: "Berufsqualifikationsfeststellungsgesetz Baden-Württemberg",
    RecognitionLaw.PROFESSION_LAW: "Fachgesetz des Berufs",
    RecognitionOutcome.FULL_EQUIVALENCE: "volle Gleichwertigkeit",
    RecognitionOutcome.PARTIAL_EQUIVALENCE: "teilweise Gleichwertigkeit",
    RecognitionOutcome.COMPENSATION_REQUIRED: "Ausgleichsmaßnahme erforderlich",
    RecognitionOutcome.REJECTED: "abgelehnt",
    RecognitionOutcome.COMPARABILITY_STATEMENT: "Zeugnisbewertung (ZAB)",
    SkillKind.DRIVING_LICENCE: "Führerschein",
    SkillKind.DIGITAL: "digitale Kenntnisse",
    SkillKind.CRAFT: "handwerkliche Fähigkeiten",
    SkillKind.OTHER: "Sonstiges",
    Stage.ENTRY: "bei Beginn",
    Stage.ONGOING: "bei Fortschreibung",
    # The German terms of the residence statuses are domain knowledge (with the statutes).
    **{kind: kind.german_name for kind in ResidenceStatusKind},
}

#: German names of the changes a revision makes, by change class (a history, a disclosure).
CHANGE_LABELS: Mapping[type, str] = {
    CreatePlan: "Plan angelegt",
    UpdatePersonalData: "persönliche Daten geändert",
    RecordCompetency: "Kompetenz erfasst",
    ReplaceCompetency: "Kompetenz ersetzt",
    WithdrawCompetency: "Kompetenz gestrichen",
    AddGoal: "Ziel vereinbart",
    ReviseGoal: "Ziel überarbeitet",
    ChangeGoalStatus: "Status eines Ziels geändert",
    AddMeasure: "Maßnahme vereinbart",
    CompleteMeasure: "Maßnahme erledigt",
    CancelMeasure: "Maßnahme entfallen",
    RecordDevelopment: "Entwicklung festgehalten",
    RecordCounsellingContact: "Beratungskontakt erfasst",
    AssignManager: "Zuständigkeit geändert",
    RecordEligibilityDecision: "Anspruch geprüft",
    ExtendSupport: "Begleitung verlängert",
    PauseSupport: "Begleitung unterbrochen",
    ResumeSupport: "Begleitung fortgesetzt",
    ClosePlan: "Plan abgeschlossen",
    GiveConsent: "Einwilligung erteilt",
    WithdrawConsent: "Einwilligung widerrufen",
    RecordAppointmentContact: "Termin wahrgenommen",
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
    "ja",
    "nein",
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
