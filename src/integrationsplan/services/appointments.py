"""Appointments as use cases: free slots, booking by phone, moving, cancelling, completing.

[`AppointmentService`][integrationsplan.AppointmentService] works on any store with the
[`AppointmentStore`][integrationsplan.storage.AppointmentStore] capability; the store
refuses a double booking itself, so two managers booking the same room from two offices
cannot both win. Every change names the version it was based on and is refused when the
appointment moved on meanwhile (the same optimistic concurrency as for plans), and each
step must follow the lifecycle (see [`integrationsplan.domain.appointments`][integrationsplan.domain.appointments]).

Completing an appointment of a plan records the counselling contact in the plan in the
same call: a ``RecordAppointmentContact`` revision naming the appointment, and the
appointment keeps that revision's number. The plan is written first; should the
appointment's own write then be refused (someone changed it meanwhile), completing it
again finds the recorded contact in the plan's history and links it instead of recording
a second one.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

import attrs

from integrationsplan.domain import (
    Appointment,
    AppointmentStatus,
    BookingChannel,
    Cancellation,
    CancelledBy,
    ContactMode,
    CounsellingContact,
    GoalArea,
    Place,
    PlaceKind,
    RecordAppointmentContact,
    transition_allowed,
)
from integrationsplan.errors import (
    AppointmentStateError,
    ConcurrentAppointmentError,
    FieldError,
    StorageError,
    UnknownPlanError,
    ValidationError,
)
from integrationsplan.exports.appointments import appointments_icalendar
from integrationsplan.rules import Slot, free_slots
from integrationsplan.serialization import dumps, loads
from integrationsplan.services.directory import Directory
from integrationsplan.services.plans import PlanService
from integrationsplan.storage.contract import AppointmentStore, StoredAppointment

__all__ = ["AppointmentService"]

_log = logging.getLogger(__name__)

_CONTACT_MODES = {
    PlaceKind.ROOM: ContactMode.OFFICE_HOURS,
    PlaceKind.PHONE: ContactMode.PHONE,
    PlaceKind.VIDEO: ContactMode.VIDEO,
    PlaceKind.HOME_VISIT: ContactMode.HOME_VISIT,
}


class AppointmentService:
    """Appointments in the plans' store, with the directory's office and working hours."""

    def __init__(self, plans: PlanService, directory: Directory) -> None:
        self.plans = plans
        self.directory = directory

    @property
    def store(self) -> AppointmentStore:
        store = self.plans.store
        if not isinstance(store, AppointmentStore):
            raise StorageError(f"the store {type(store).__name__} holds no appointments")
        return store

    # -- finding time ------------------------------------------------------------------

    def free(
        self,
        municipality_ags: str,
        manager_id: str,
        *,
        first: dt.date,
        last: dt.date,
        length: dt.timedelta = dt.timedelta(minutes=45),
        buffer: dt.timedelta = dt.timedelta(0),
        room: str | None = None,
    ) -> list[Slot]:
        """Free slots of the manager (and of ``room``, if given) from ``first`` to ``last``.

        Within the manager's working hours, minus holidays, closures, absences, the walk-in
        office hours (unless bookable) and every appointment that holds the manager or the
        room, each kept ``buffer`` apart (see [`free_slots`][integrationsplan.rules.free_slots]).
        """
        office = self.directory.office_hours(municipality_ags)
        zone = zoneinfo.ZoneInfo(office.timezone)
        begin = dt.datetime.combine(first, dt.time(0), tzinfo=zone) - dt.timedelta(days=1)
        finish = dt.datetime.combine(last, dt.time(0), tzinfo=zone) + dt.timedelta(days=2)
        taken = self.store.appointments(
            municipality_ags=municipality_ags, manager_id=manager_id, start=begin, end=finish
        )
        if room is not None:
            taken += self.store.appointments(municipality_ags=municipality_ags, room=room, start=begin, end=finish)
        return free_slots(
            self.directory.working_hours(municipality_ags, manager_id),
            office,
            [(a.start, a.end) for a in taken],
            first=first,
            last=last,
            length=length,
            buffer=buffer,
        )

    # -- booking and changing ----------------------------------------------------------

    def book(
        self,
        appointment_id: str,
        *,
        municipality_ags: str,
        manager_id: str,
        start: dt.datetime,
        end: dt.datetime,
        place: Place,
        booked_by: str,
        channel: BookingChannel = BookingChannel.PHONE,
        plan_id: str | None = None,
        interpreter_language: str | None = None,
        note: str | None = None,
        requested: bool = False,
    ) -> Appointment:
        """Book an appointment (``requested=True``: take down a request that holds the time).

        Refused with [`SlotTakenError`][integrationsplan.SlotTakenError] when the manager or
        the room is taken then, with ``UnknownPlanError`` for a plan the store does not
        hold, and with ``ValidationError`` for a bad value (nothing is written).
        """
        if plan_id is not None:
            self._check_plan(plan_id, municipality_ags)
        appointment = Appointment(
            id=appointment_id,
            municipality_ags=municipality_ags,
            manager_id=manager_id,
            start=_utc(start, "start"),
            end=_utc(end, "end"),
            place=place,
            status=AppointmentStatus.REQUESTED if requested else AppointmentStatus.BOOKED,
            booked_by=booked_by,
            booked_at=self.plans.clock.now(),
            channel=channel,
            plan_id=plan_id,
            interpreter_language=interpreter_language,
            note=note,
        )
        self.store.add_appointment(_stored(appointment))
        _log.info("booked appointment %s of manager %s", appointment.id, manager_id)
        return appointment

    def get(self, appointment_id: str) -> Appointment:
        """The appointment as last written; UnknownAppointmentError if there is none."""
        return _appointment(self.store.appointment(appointment_id))

    def move(
        self,
        appointment_id: str,
        *,
        base: int,
        start: dt.datetime,
        end: dt.datetime,
        place: Place | None = None,
    ) -> Appointment:
        """Move it to another time (and place); refused if that time is taken, or it is final."""
        current = self._based_on(appointment_id, base)
        if current.status.final:
            raise AppointmentStateError(appointment_id, current.status.value, "moved")
        changed = attrs.evolve(
            current,
            start=_utc(start, "start"),
            end=_utc(end, "end"),
            place=place if place is not None else current.place,
            version=base + 1,
        )
        return self._write(changed)

    def accept(self, appointment_id: str, *, base: int) -> Appointment:
        """A requested appointment is booked: the manager takes it on."""
        return self._step(self._based_on(appointment_id, base), AppointmentStatus.BOOKED, "accepted")

    def confirm(self, appointment_id: str, *, base: int) -> Appointment:
        """The person confirmed a booked appointment (after a reminder call)."""
        return self._step(self._based_on(appointment_id, base), AppointmentStatus.CONFIRMED, "confirmed")

    def link_plan(self, appointment_id: str, *, base: int, plan_id: str) -> Appointment:
        """Link an appointment booked before there was a plan to the plan drawn up since."""
        current = self._based_on(appointment_id, base)
        if current.status.final:
            raise AppointmentStateError(appointment_id, current.status.value, "linked to a plan")
        self._check_plan(plan_id, current.municipality_ags)
        return self._write(attrs.evolve(current, plan_id=plan_id, version=base + 1))

    def cancel(self, appointment_id: str, *, base: int, by: CancelledBy, reason: str, actor: str) -> Appointment:
        """Cancel it: who called it off, why, and who recorded it; the time is free again."""
        current = self._based_on(appointment_id, base)
        if not transition_allowed(current.status, AppointmentStatus.CANCELLED):
            raise AppointmentStateError(appointment_id, current.status.value, "cancelled")
        cancellation = Cancellation(by, reason, actor, self.plans.clock.now())
        return self._write(
            attrs.evolve(current, status=AppointmentStatus.CANCELLED, cancellation=cancellation, version=base + 1)
        )

    def missed(self, appointment_id: str, *, base: int) -> Appointment:
        """The person did not come: the appointment shows in the manager's work list."""
        return self._step(self._based_on(appointment_id, base), AppointmentStatus.MISSED, "marked missed")

    def complete(
        self,
        appointment_id: str,
        *,
        base: int,
        author: str,
        topics: tuple[GoalArea, ...] = (),
        interpreter_used: bool | None = None,
        record_contact: bool = True,
    ) -> Appointment:
        """It took place. With a plan (and ``record_contact``), the contact goes into the plan too.

        The contact starts at the appointment's start, lasts as long, takes its mode from
        the place (a room: in the office) and is about ``topics`` (at least one);
        ``interpreter_used`` defaults to whether an interpreter was booked. The plan's
        revision names the appointment; the appointment keeps the revision's number.
        """
        current = self._based_on(appointment_id, base)
        if not transition_allowed(current.status, AppointmentStatus.COMPLETED):
            raise AppointmentStateError(appointment_id, current.status.value, "completed")
        revision = None
        if record_contact and current.plan_id is not None:
            revision = self._recorded_contact(current) or self._record_contact(
                current, author=author, topics=topics, interpreter_used=interpreter_used
            )
        completed = attrs.evolve(
            current, status=AppointmentStatus.COMPLETED, contact_revision=revision, version=base + 1
        )
        return self._write(completed)

    def erase(self, appointment_id: str) -> None:
        """Remove an appointment for good (data protection)."""
        self.store.erase_appointment(appointment_id)
        _log.info("erased appointment %s", appointment_id)

    # -- lists and calendars -----------------------------------------------------------

    def find(
        self,
        *,
        first: dt.date,
        last: dt.date,
        municipality_ags: str | None = None,
        manager_id: str | None = None,
        room: str | None = None,
        plan_id: str | None = None,
        cancelled: bool = False,
        timezone: str = "Europe/Berlin",
    ) -> list[Appointment]:
        """The appointments meeting the days ``first`` to ``last`` (in ``timezone``), by start."""
        zone = zoneinfo.ZoneInfo(timezone)
        found = self.store.appointments(
            municipality_ags=municipality_ags,
            manager_id=manager_id,
            room=room,
            plan_id=plan_id,
            start=dt.datetime.combine(first, dt.time(0), tzinfo=zone),
            end=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
            cancelled=cancelled,
        )
        return [_appointment(stored) for stored in found]

    def tomorrow(self, municipality_ags: str, *, today: dt.date) -> list[Appointment]:
        """The appointments of the day after ``today`` still to take place: the reminder calls."""
        timezone = self.directory.office_hours(municipality_ags).timezone
        day = today + dt.timedelta(days=1)
        found = self.find(first=day, last=day, municipality_ags=municipality_ags, timezone=timezone)
        return [a for a in found if not a.status.final]

    def missed_to_follow_up(self, manager_id: str, *, on: dt.date, days: int = 90) -> list[Appointment]:
        """A manager's missed appointments of the last ``days`` days not yet followed by another.

        A missed appointment of a plan is followed up once a later appointment of that plan
        is booked (or took place); one without a plan stays until it is ``days`` old. These
        are what the manager's work list shows.
        """
        found = self.find(first=on - dt.timedelta(days=days), last=on, manager_id=manager_id)
        missed = [a for a in found if a.status is AppointmentStatus.MISSED]
        open_items = []
        for appointment in missed:
            if appointment.plan_id is not None:
                later = self.store.appointments(plan_id=appointment.plan_id, start=appointment.end)
                statuses = [_appointment(a) for a in later if a.start >= appointment.end]
                if any(a.status is not AppointmentStatus.MISSED for a in statuses):
                    continue
            open_items.append(appointment)
        return open_items

    def icalendar(
        self,
        municipality_ags: str,
        *,
        first: dt.date,
        last: dt.date,
        manager_id: str | None = None,
        room: str | None = None,
        with_plan_id: bool = True,
    ) -> bytes:
        """An iCalendar feed of one manager's or one room's appointments, without personal data.

        Each event is "Beratungstermin" with its time, its place (the room, or by phone ...)
        and, unless ``with_plan_id`` is false, the plan id: no names, phone numbers or notes.
        """
        if (manager_id is None) == (room is None):
            raise ValidationError("calendar", [FieldError("$", "name either a manager or a room")])
        office = self.directory.office_hours(municipality_ags)
        found = self.find(
            first=first, last=last, municipality_ags=municipality_ags, manager_id=manager_id, room=room,
            timezone=office.timezone,
        )  # fmt: skip
        name = f"Beratungstermine {manager_id or 'Raum ' + str(room)}"
        return appointments_icalendar(found, office, name=name, with_plan_id=with_plan_id)

    # -- internals ---------------------------------------------------------------------

    def _based_on(self, appointment_id: str, base: int) -> Appointment:
        current = self.get(appointment_id)
        if current.version != base:
            raise ConcurrentAppointmentError(appointment_id, base, current.version)
        return current

    def _step(self, current: Appointment, status: AppointmentStatus, step: str) -> Appointment:
        if not transition_allowed(current.status, status):
            raise AppointmentStateError(current.id, current.status.value, step)
        return self._write(attrs.evolve(current, status=status, version=current.version + 1))

    def _write(self, appointment: Appointment) -> Appointment:
        self.store.change_appointment(_stored(appointment))
        _log.info("appointment %s is %s (version %d)", appointment.id, appointment.status.value, appointment.version)
        return appointment

    def _check_plan(self, plan_id: str, municipality_ags: str) -> None:
        head = self.plans.store.head(plan_id, known_hash="")  # UnknownPlanError for a plan it does not hold
        if head.municipality_ags != municipality_ags:
            raise UnknownPlanError(plan_id, f"it belongs to another municipality than {municipality_ags}")

    def _recorded_contact(self, appointment: Appointment) -> int | None:
        """The revision that already recorded this appointment's contact, if a first attempt did."""
        assert appointment.plan_id is not None  # noqa: S101 - checked by the caller
        for revision in reversed(self.plans.history(appointment.plan_id)):
            if any(
                isinstance(change, RecordAppointmentContact) and change.appointment_id == appointment.id
                for change in revision.changes
            ):
                return revision.number
        return None

    def _record_contact(
        self, appointment: Appointment, *, author: str, topics: tuple[GoalArea, ...], interpreter_used: bool | None
    ) -> int:
        assert appointment.plan_id is not None  # noqa: S101 - checked by the caller
        minutes = max(1, round(appointment.duration / dt.timedelta(minutes=1)))
        contact = CounsellingContact(
            at=appointment.start,
            mode=_CONTACT_MODES[appointment.place.kind],
            duration_minutes=minutes,
            topics=topics,
            interpreter_used=appointment.interpreter_language is not None
            if interpreter_used is None
            else interpreter_used,
        )
        plan_id = appointment.plan_id
        base = self.plans.store.version(plan_id)
        state = self.plans.revise(
            plan_id,
            RecordAppointmentContact(appointment.id, contact),
            base=base,
            author=author,
            effective_on=appointment.start.date(),
            reason="Beratungstermin",
        )
        return state.revision


def _stored(appointment: Appointment) -> StoredAppointment:
    return StoredAppointment(
        id=appointment.id,
        version=appointment.version,
        municipality_ags=appointment.municipality_ags,
        manager_id=appointment.manager_id,
        room=appointment.room,
        plan_id=appointment.plan_id,
        start=appointment.start,
        end=appointment.end,
        holds_time=appointment.status.holds_time,
        document=dumps(appointment),
    )


def _appointment(stored: StoredAppointment) -> Appointment:
    try:
        return loads(stored.document, Appointment, trusted=True)
    except ValidationError:
        raise StorageError(f"appointment {stored.id!r} is stored in a form this release cannot read") from None


def _utc(at: dt.datetime, name: str) -> dt.datetime:
    if not isinstance(at, dt.datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError("appointment", [FieldError(f"$.{name}", "needs an aware date and time")])
    return at.astimezone(dt.UTC)
