"""The disclosure to a person (Auskunft nach Art. 15 DSGVO), as JSON and as German text.

Two forms of one [`Disclosure`][integrationsplan.Disclosure]:

* [`disclosure_document`][integrationsplan.reports.disclosure.disclosure_document]: a
  JSON document (``integrationsplan.disclosure``, schema version 1) with everything held —
  each plan's current state, every revision exactly as stored (changes, authors, reasons),
  the records beside the plan, the access log and the retention policy. It is the copy
  of the data of Art. 15 (3) in a machine-readable form, and what an authority's
  specialist procedure would take in.
* [`disclosure_text`][integrationsplan.reports.disclosure.disclosure_text]: the same in
  readable German, for the letter to the person: what is held (every field of the
  current plan, with the labels the manager sees), the history (who recorded what, when
  and why), the counselling contacts, the consents, who read the plan, how long it is
  kept, and the person's rights. Dates are written the German way (15.03.2023) and
  instants in the office's time zone (Europe/Berlin).

Both hold personal data, by purpose: they are for the person. The command line writes
them into files only their owner can read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from integrationsplan.domain import record_kind
from integrationsplan.history import LABELS
from integrationsplan.history._readable import tree
from integrationsplan.i18n import texts
from integrationsplan.serialization import unstructure
from integrationsplan.services.subjects import Disclosure, PlanDisclosure

__all__ = ["DISCLOSURE_SCHEMA_VERSION", "disclosure_document", "disclosure_json", "disclosure_text"]

#: The version of the disclosure document's layout.
DISCLOSURE_SCHEMA_VERSION = 1

_DE = texts("de")

#: German names of the operations in the access log.
_OPERATIONS = {
    "read_state": "Plan gelesen",
    "read_history": "Verlauf gelesen",
    "read_records": "Aufzeichnungen gelesen",
}

#: German names of the record kinds.
_RECORD_KINDS = {
    "contact": "Beratungskontakt",
    "goal_status": "Statusänderung eines Ziels",
    "eligibility_decision": "Anspruchsprüfung",
}

_RIGHTS = """\
Ihre Rechte
  Sie haben das Recht auf Auskunft (Art. 15 DSGVO), auf Berichtigung unrichtiger Daten
  (Art. 16), auf Löschung (Art. 17), auf Einschränkung der Verarbeitung (Art. 18) und auf
  Widerspruch (Art. 21). Eine Einwilligung können Sie jederzeit mit Wirkung für die
  Zukunft widerrufen (Art. 7 Abs. 3). Sie können sich bei der Aufsichtsbehörde
  beschweren: in Baden-Württemberg beim Landesbeauftragten für den Datenschutz und die
  Informationsfreiheit (Art. 77 DSGVO).
"""


def disclosure_document(disclosure: Disclosure) -> dict[str, Any]:
    """The disclosure as a JSON-ready document (see the module documentation)."""
    return {
        "type": "integrationsplan.disclosure",
        "schema_version": DISCLOSURE_SCHEMA_VERSION,
        "person_id": disclosure.person_id,
        "prepared_on": disclosure.prepared_on.isoformat(),
        "prepared_by": disclosure.prepared_by,
        "plans": [_plan_document(plan) for plan in disclosure.plans],
    }


def disclosure_json(disclosure: Disclosure) -> bytes:
    """The disclosure document as indented UTF-8 JSON."""
    return orjson.dumps(disclosure_document(disclosure), option=orjson.OPT_INDENT_2) + b"\n"


def _plan_document(plan: PlanDisclosure) -> dict[str, Any]:
    municipality = plan.municipality
    return {
        "plan_id": plan.plan_id,
        "municipality": None if municipality is None else {"ags": municipality.ags, "name": municipality.name},
        "state": unstructure(plan.state),
        "revisions": [unstructure(revision) for revision in plan.history],
        "records": [{"kind": record_kind(r).value, "record": unstructure(r)} for r in plan.records],
        "accesses": [
            {
                "at": _instant(entry.at),
                "actor": entry.actor,
                "purpose": entry.purpose,
                "operation": entry.operation,
                "municipality_ags": entry.municipality_ags,
            }
            for entry in plan.accesses
        ],
        "appointments": [unstructure(appointment) for appointment in plan.appointments],
        "retention": {
            "years_after_closure": plan.retention.years_after_closure,
            "basis": plan.retention.basis,
        },
    }


def disclosure_text(disclosure: Disclosure) -> str:
    """The disclosure as readable German text, for the letter to the person."""
    lines = [
        "Auskunft nach Art. 15 DSGVO",
        "",
        f"  Person (Kennung): {disclosure.person_id}",
        f"  erstellt am: {_german_day(disclosure.prepared_on)}",
        f"  erstellt von: {disclosure.prepared_by}",
        "",
    ]
    if not disclosure.plans:
        lines += [
            "Zu dieser Kennung sind in diesem Verfahren keine personenbezogenen Daten gespeichert.",
            "",
            _RIGHTS,
        ]
        return "\n".join(lines)
    count = len(disclosure.plans)
    lines += [
        f"Zu Ihnen {'ist ein Integrationsplan' if count == 1 else f'sind {count} Integrationspläne'} gespeichert.",
        "Zweck der Verarbeitung: Integrationsmanagement — Ihre Beratung und Begleitung nach dem",
        "Integrationsplan, den Sie mit Ihrer Integrationsmanagerin oder Ihrem Integrationsmanager",
        "vereinbart haben (VwV Integrationsmanagement Baden-Württemberg).",
        "",
    ]
    for plan in disclosure.plans:
        lines += _plan_lines(plan)
    lines.append(_RIGHTS)
    return "\n".join(lines)


def _plan_lines(plan: PlanDisclosure) -> list[str]:
    state = plan.state
    where = state.plan.municipality_ags
    if plan.municipality is not None:
        where = f"{plan.municipality.name} (Gemeindeschlüssel {plan.municipality.ags})"
    lines = [
        "=" * 72,
        f"Integrationsplan {plan.plan_id}",
        f"  Kommune: {where}",
        f"  Stand: Revision {state.revision}, gültig ab {_german_day(state.effective_on)}",
        "",
        "Gespeicherte Daten (aktueller Stand)",
    ]
    lines += tree(state, _DE, LABELS, indent=2)
    lines += ["", "Verlauf: wer hat wann was erfasst"]
    for revision in plan.history:
        changes = ", ".join(_DE.change(change) for change in revision.changes)
        corrects = f", berichtigt Revision {revision.corrects}" if revision.corrects is not None else ""
        lines.append(
            f"  Revision {revision.number}: erfasst am {_german_instant(revision.recorded_at)} "
            f"von {revision.author}, gültig ab {_german_day(revision.effective_on)}{corrects}"
        )
        lines.append(f"    Anlass: {revision.reason}")
        lines.append(f"    Änderungen: {changes}")
    lines += ["", "Aufzeichnungen neben dem Plan"]
    if not plan.records:
        lines.append("  keine")
    for record in plan.records:
        kind = record_kind(record).value
        lines.append(f"  {_RECORD_KINDS.get(kind, kind)}:")
        lines += tree(record, _DE, LABELS, indent=4)
    lines += ["", "Einwilligungen"]
    if not state.consents:
        lines.append("  keine erfasst")
    for consent in state.consents:
        withdrawn = f", widerrufen am {_german_day(consent.withdrawn_on)}" if consent.withdrawn_on else ""
        lines.append(
            f"  {consent.id}: {consent.purpose} — Empfänger: {', '.join(consent.recipients)}; "
            f"erteilt am {_german_day(consent.given_on)}{withdrawn}"
        )
    lines += ["", "Termine"]
    if not plan.appointments:
        lines.append("  keine")
    for appointment in plan.appointments:
        lines.append(f"  Termin {appointment.id}:")
        lines += tree(appointment, _DE, LABELS, indent=4)
    lines += ["", "Zugriffe: wer hat den Plan wann wofür gelesen"]
    if not plan.accesses:
        lines.append("  keine protokolliert")
    for entry in plan.accesses:
        operation = _OPERATIONS.get(entry.operation, entry.operation)
        lines.append(f"  {_german_instant(entry.at)}  {entry.actor}  {operation} (Zweck: {entry.purpose})")
    lines += ["", "Speicherdauer"]
    if plan.retention.years_after_closure is None:
        lines.append(f"  Keine Löschfrist festgelegt: {plan.retention.basis}")
    else:
        lines.append(
            f"  {plan.retention.years_after_closure} Jahre nach Abschluss der Begleitung "
            f"(Grundlage: {plan.retention.basis})"
        )
    lines.append("")
    return lines


def _german_day(day: dt.date) -> str:
    return _DE.date(day)


def _german_instant(at: dt.datetime) -> str:
    return _DE.instant(at)


def _instant(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
