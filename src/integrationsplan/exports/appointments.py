"""Appointments as an iCalendar feed (RFC 5545) for a manager's or a room's calendar.

A calendar leaves the library for a groupware server or a phone, so the feed holds no
personal data: each event is "Beratungstermin" with its time, its place (the room, or
"telefonisch", "Video", "Hausbesuch"), whether an interpreter is booked and for which
language (a code), its status, and — unless left out — the plan id. No names, no phone
numbers, no notes. Cancelled appointments are sent as ``STATUS:CANCELLED`` so a
subscribed calendar removes them.
"""

from __future__ import annotations

from collections.abc import Sequence

from integrationsplan.domain.appointments import Appointment, AppointmentStatus, PlaceKind
from integrationsplan.domain.office_hours import OfficeHours

__all__ = ["appointments_icalendar"]

_PRODID = "-//integrationsplan//appointments//DE"

_PLACES = {
    PlaceKind.PHONE: "telefonisch",
    PlaceKind.VIDEO: "Videoberatung",
    PlaceKind.HOME_VISIT: "Hausbesuch",
}

_STATUS = {
    AppointmentStatus.REQUESTED: "TENTATIVE",
    AppointmentStatus.CANCELLED: "CANCELLED",
}


def appointments_icalendar(
    appointments: Sequence[Appointment],
    office: OfficeHours,
    *,
    name: str = "Beratungstermine",
    with_plan_id: bool = True,
    summary: str = "Beratungstermin",
) -> bytes:
    """The appointments as one iCalendar file (see the module documentation)."""
    import icalendar  # noqa: PLC0415 - loaded when a calendar is written, not with the library

    calendar = icalendar.Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", office.timezone)
    address = f"{office.location.street}, {office.location.postcode} {office.location.city}"
    for appointment in appointments:
        event = icalendar.Event()
        event.add("uid", f"{appointment.id}@{appointment.municipality_ags}.integrationsplan")
        event.add("sequence", appointment.version - 1)
        event.add("dtstamp", appointment.booked_at)
        event.add("dtstart", appointment.start)
        event.add("dtend", appointment.end)
        event.add("summary", summary)
        if appointment.place.kind is PlaceKind.ROOM:
            event.add("location", f"{address}, Raum {appointment.place.room}")
        else:
            event.add("location", _PLACES[appointment.place.kind])
        event.add("status", _STATUS.get(appointment.status, "CONFIRMED"))
        lines = [f"Status: {appointment.status.value}"]
        if appointment.interpreter_language is not None:
            lines.append(f"Dolmetschung: {appointment.interpreter_language}")
        if with_plan_id and appointment.plan_id is not None:
            lines.append(f"Plan: {appointment.plan_id}")
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
