"""Data-subject requests: everything held about a person (Art. 15 DSGVO), and its erasure (Art. 17).

A person can have more than one plan: a second counselling relationship after a break,
or a plan in the municipality they moved to. The stores' person index (the head's
``person_id`` column, see [`integrationsplan.storage.contract`][integrationsplan.storage.contract])
finds them all without decoding a document, so a request is answered in time even in a
database of a hundred towns.

[`disclose`][integrationsplan.DataSubjectService.disclose] collects, per plan, the current
state, the whole history (every revision with its author and reason), the records beside
the plan, the consents, who read the plan when and for what (the access log: the
recipients of Art. 15 (1) c), and the municipality's retention policy (the storage
period of Art. 15 (1) d). The reads it makes are logged like every other read, under the
actor and purpose of the service. [`erase`][integrationsplan.DataSubjectService.erase]
erases every plan of the person through
[`PlanService.erase`][integrationsplan.PlanService.erase]: on an encrypted store by
destroying each plan's key, with an erasure record naming the legal basis and who erased.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import attrs

from integrationsplan.domain import Appointment, Municipality, PlanRecord, PlanState, Revision
from integrationsplan.domain._validators import IDENTIFIER_PATTERN
from integrationsplan.errors import FieldError, UnknownPlanError, ValidationError, value_shape
from integrationsplan.rules.retention import RetentionPolicy
from integrationsplan.serialization import loads
from integrationsplan.services.plans import PlanService
from integrationsplan.storage.contract import AccessEntry, AccessLog, AppointmentStore

__all__ = ["DataSubjectService", "Disclosure", "PersonErasure", "PlanDisclosure"]

_log = logging.getLogger(__name__)


@attrs.frozen
class PlanDisclosure:
    """Everything held in one plan of the person, as of the disclosure.

    ``municipality`` is the municipality the plan belongs to (``None`` if no plugin
    knows it); ``retention`` its policy for closed plans.
    """

    state: PlanState
    history: tuple[Revision, ...]
    records: tuple[PlanRecord, ...]
    accesses: tuple[AccessEntry, ...]
    retention: RetentionPolicy
    municipality: Municipality | None
    appointments: tuple[Appointment, ...] = ()

    @property
    def plan_id(self) -> str:
        return self.state.plan_id


@attrs.frozen
class Disclosure:
    """The answer to a request for access (Auskunft nach Art. 15 DSGVO) about one person.

    An empty ``plans`` is an answer too: nothing is held about the person in this store.
    """

    person_id: str
    prepared_on: dt.date
    prepared_by: str
    plans: tuple[PlanDisclosure, ...]


@attrs.frozen
class PersonErasure:
    """What erasing a person removed: each plan id with the number of its revisions erased."""

    person_id: str
    erased: tuple[tuple[str, int], ...]

    @property
    def revisions(self) -> int:
        return sum(count for _, count in self.erased)


class DataSubjectService:
    """Find, disclose and erase everything held about one person."""

    def __init__(self, plans: PlanService, retention_policy_of: Callable[[str], RetentionPolicy]) -> None:
        self.plans = plans
        self.retention_policy_of = retention_policy_of

    def plans_of(self, person_id: str) -> list[str]:
        """The ids of every plan of the person, sorted (through the person index)."""
        _check_person_id(person_id)
        return self.plans.plans(person_id=person_id)

    def disclose(self, person_id: str, *, on: dt.date, actor: str) -> Disclosure:
        """Everything held about the person on ``on``, prepared by ``actor`` (a staff id).

        The access log of each plan is read first, so the disclosure lists the reads
        before this request; the request's own reads are logged after it.
        """
        _check_person_id(person_id)
        _check_person_id(actor, "actor")
        disclosed = []
        for plan_id in self.plans.plans(person_id=person_id):
            try:
                accesses = self._accesses(plan_id)
                state = self.plans.state(plan_id)
                history = self.plans.history(plan_id)
                records = tuple(record for _, record in self.plans.records(plan_id))
            except UnknownPlanError:  # erased meanwhile: nothing is held any more
                continue
            ags = state.plan.municipality_ags
            disclosed.append(
                PlanDisclosure(
                    state,
                    history,
                    records,
                    accesses,
                    self.retention_policy_of(ags),
                    self.plans.directory.find_municipality(ags),
                    self._appointments(plan_id),
                )
            )
        _log.info("disclosed %d plans of person %s", len(disclosed), person_id)
        return Disclosure(person_id, on, actor, tuple(disclosed))

    def erase(self, person_id: str, *, actor: str, legal_basis: str = "Art. 17 DSGVO") -> PersonErasure:
        """Erase every plan of the person; each erasure names ``legal_basis`` and ``actor``.

        A plan erased meanwhile by someone else is skipped. Afterwards the person index
        finds nothing for the person. The access log keeps its entries (ids and codes
        only, no content), as for any erased plan: it proves who read what before.
        """
        _check_person_id(person_id)
        _check_person_id(actor, "actor")
        erased = []
        for plan_id in self.plans.plans(person_id=person_id):
            try:
                count = self.plans.erase(plan_id, legal_basis=legal_basis, actor=actor)
            except UnknownPlanError:
                continue
            _log.info("erased plan %s of person %s (%d revisions)", plan_id, person_id, count)
            erased.append((plan_id, count))
        return PersonErasure(person_id, tuple(erased))

    def _appointments(self, plan_id: str) -> tuple[Appointment, ...]:
        store = self.plans.store
        if not isinstance(store, AppointmentStore):
            return ()
        return tuple(loads(a.document, Appointment) for a in store.appointments(plan_id=plan_id, cancelled=True))

    def _accesses(self, plan_id: str) -> tuple[AccessEntry, ...]:
        store = self.plans.store
        return tuple(store.accesses(plan_id)) if isinstance(store, AccessLog) else ()


def _check_person_id(value: object, field: str = "person_id") -> None:
    if not isinstance(value, str) or not IDENTIFIER_PATTERN.fullmatch(value):
        message = f"expected an id (letters, digits, '.', '_', ':', '-'), got {value_shape(value)}"
        raise ValidationError("data-subject request", [FieldError(f"$.{field}", message)])
