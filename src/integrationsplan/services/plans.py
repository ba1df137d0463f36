"""The plan use cases: create and revise plans, read their state, history and view.

An application uses [`PlanService`][integrationsplan.PlanService] without knowing the
fold: it says which revision an edit was based on, and the service refuses a stale base
([`ConcurrentRevisionError`][integrationsplan.ConcurrentRevisionError]), a change that
breaks a rule ([`PlanRuleViolation`][integrationsplan.PlanRuleViolation]) or a bad value
([`ValidationError`][integrationsplan.ValidationError]) — and in each case writes
nothing. [`PlanService.show`][integrationsplan.PlanService.show] gives the plan as a
manager reads it: with its support period and the names the town's plugins know.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from integrationsplan.domain import (
    CHANGE_TYPES,
    Change,
    Consent,
    CreatePlan,
    IntegrationManager,
    Municipality,
    PlanRecord,
    PlanState,
    RecordKind,
    Revision,
    RevisionKind,
    apply_revision,
    consents_valid_on,
    replay,
    state_as_of,
    state_as_recorded,
)
from integrationsplan.domain._validators import IDENTIFIER_PATTERN
from integrationsplan.errors import (
    ConcurrentRevisionError,
    ConfigurationError,
    ConsentRequiredError,
    FieldError,
    IntegrityError,
    KeyUnavailableError,
    PlanRuleViolation,
    StorageError,
    UnknownPlanError,
    ValidationError,
    value_shape,
)
from integrationsplan.history import (
    PlanDiff,
    VerifiedHistory,
    diff_revisions,
    seal_with_document,
    verified_revisions,
    verify,
)
from integrationsplan.rules import SupportPeriod, support_period_of
from integrationsplan.serialization import loads
from integrationsplan.services.clock import Clock, SystemClock
from integrationsplan.services.directory import DefaultDirectory, Directory
from integrationsplan.storage.contract import (
    AccessEntry,
    AccessLog,
    AppointmentStore,
    BatchAppend,
    PlanStore,
    StoredHead,
    StoredRecord,
    StoredRevision,
)
from integrationsplan.storage.encrypted import EncryptedStore
from integrationsplan.storage.mapper import PlanMapper
from integrationsplan.storage.memory import MemoryStore

__all__ = ["Finding", "PlanEdit", "PlanService", "PlanView", "Verification"]

_log = logging.getLogger(__name__)


@attrs.frozen
class PlanEdit:
    """One plan's part of a batch revision: which plan, what changes, on which base, from when."""

    plan_id: str
    changes: tuple[Change, ...]
    base: int
    effective_on: dt.date


@attrs.frozen
class Finding:
    """One thing wrong in a store: which plan, where (``revision 3``, ``head``, ``revisions``), what."""

    plan_id: str
    where: str
    problem: str

    def __str__(self) -> str:
        return f"plan {self.plan_id!r}, {self.where}: {self.problem}"


@attrs.frozen
class Verification:
    """The outcome of verifying plans: revisions verified per plan, and every finding.

    A plan is verified when its chain holds, its head names the last revision's number
    and hash, its head document is byte for byte the canonical document of the replayed
    state, and it has both a head and revisions.
    """

    verified: dict[str, int]
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def failed(self) -> dict[str, str]:
        """Each failed plan with its findings, joined."""
        failed: dict[str, list[str]] = {}
        for finding in self.findings:
            failed.setdefault(finding.plan_id, []).append(f"{finding.where}: {finding.problem}")
        return {plan_id: "; ".join(problems) for plan_id, problems in failed.items()}


@attrs.frozen
class PlanView:
    """A plan as a manager reads it on a day: the state and what the town adds to it.

    ``support_period`` follows the municipality's policy; ``municipality`` and
    ``manager`` come from the plugins (``None`` when none describes them). The repr
    shows no personal data: the state and the manager redact theirs.
    """

    state: PlanState
    on: dt.date
    support_period: SupportPeriod | None
    municipality: Municipality | None
    manager: IntegrationManager | None

    @property
    def residence_expired(self) -> bool:
        """Whether the person's residence status was valid only until before ``on``."""
        status = self.state.plan.person.residence_status
        return status is not None and status.valid_until is not None and status.valid_until < self.on


_PLACEHOLDER_HASH = "0" * 64


class PlanService:
    """Create, revise and read plans kept in a store.

    ``store`` is any [`PlanStore`][integrationsplan.PlanStore] (default: a new in-memory
    store); ``clock`` (default: the system clock) sets each revision's ``recorded_at``.
    Every write is one revision: numbered, hash-chained, appended atomically together
    with the new head state. ``on_appended`` is called after each append (an
    [`App`][integrationsplan.App] passes its plugins' hook); ``directory`` names the
    municipalities and managers and chooses the support policy for
    [`show`][integrationsplan.PlanService.show] (an App passes itself).
    """

    def __init__(
        self,
        store: PlanStore | None = None,
        *,
        clock: Clock | None = None,
        on_appended: Callable[[Revision, PlanState], None] | None = None,
        directory: Directory | None = None,
        actor: str | None = None,
        purpose: str = "counselling",
        on_accessed: Callable[[AccessEntry], None] | None = None,
    ) -> None:
        """A plan service over ``store``.

        With ``actor`` (a staff id) every read of a plan's content — its state or its
        history, and everything built on them — is logged with ``purpose`` (a code such
        as ``counselling``, ``data_subject_request``, ``audit``) in the store's access log
        and passed to ``on_accessed``. Without an actor nothing is logged: a deployment
        names the actor of each request or session.
        """
        for name, value in (("actor", actor), ("purpose", purpose)):
            if value is not None and IDENTIFIER_PATTERN.fullmatch(value) is None:
                raise ConfigurationError(
                    f"{name} must be a staff id or code (letters, digits, '._:-'), not {value_shape(value)}"
                )
        self.store: PlanStore = store if store is not None else MemoryStore()
        self.clock = clock if clock is not None else SystemClock()
        self.directory: Directory = directory if directory is not None else DefaultDirectory()
        self.mapper = PlanMapper()
        self._on_appended = on_appended
        self.actor = actor
        self.purpose = purpose
        self._on_accessed = on_accessed

    # -- writing ---------------------------------------------------------------------

    def create_plan(
        self, plan_id: str, create: CreatePlan, *, author: str, effective_on: dt.date, reason: str
    ) -> PlanState:
        """Draw up a new plan (revision 1) on ``effective_on``.

        A plan id that already exists raises ConcurrentRevisionError.
        """
        revision, document = self._revision(
            plan_id, None, create, author=author, effective_on=effective_on, reason=reason
        )
        return self._append(revision, apply_revision(None, revision), document)

    def revise(
        self,
        plan_id: str,
        changes: Change | Sequence[Change],
        *,
        base: int,
        author: str,
        effective_on: dt.date,
        reason: str,
    ) -> PlanState:
        """Update the plan (a Fortschreibung) with one or more changes, all or none.

        ``base`` is the revision the edit was based on; ``effective_on`` may not lie
        before what the plan already holds (use ``correct`` for an earlier day).
        """
        revision, state, document = self._update(
            PlanEdit(plan_id, tuple(_as_list(changes)), base, effective_on), author=author, reason=reason
        )
        return self._append(revision, state, document)

    def revise_many(self, edits: Sequence[PlanEdit], *, author: str, reason: str) -> list[PlanState]:
        """Update several plans at once, in one atomic write: all of them, or none.

        Each [`PlanEdit`][integrationsplan.services.PlanEdit] names its plan, changes,
        base and effective day; a plan may appear once. Every edit is checked and folded
        before anything is written, so a rule violation or a stale base refuses the whole
        batch and writes nothing. On a store without the ``BatchAppend`` capability the
        edits are written one after another (checked first, but not atomic). Returns the
        new states, in the order of ``edits``.
        """
        plan_ids = [edit.plan_id for edit in edits]
        if len(set(plan_ids)) != len(plan_ids):
            raise ValidationError("edits", [FieldError("$", "a plan may appear only once in a batch")])
        prepared = [self._update(edit, author=author, reason=reason) for edit in edits]
        if not isinstance(self.store, BatchAppend):
            return [self._append(revision, state, document) for revision, state, document in prepared]
        pending = [
            _Prepared(
                [self.mapper.revision(revision, document)],
                self.mapper.head(revision, state),
                list(self.mapper.records(revision, state)),
                [(revision, state)],
            )
            for revision, state, document in prepared
        ]
        self._write_batch(pending)
        return [state for _, state, _ in prepared]

    def _update(self, edit: PlanEdit, *, author: str, reason: str) -> tuple[Revision, PlanState, bytes]:
        """The next revision of an update, the state after it and its document (nothing written)."""
        head, state = self._head(edit.plan_id, edit.base)
        if edit.effective_on < state.effective_on:
            raise PlanRuleViolation(
                edit.base + 1,
                0,
                "Revision",
                f"an update cannot be effective before {state.effective_on.isoformat()}, "
                "the latest effective date of the plan; record a correction instead",
            )
        revision, document = self._revision(
            edit.plan_id, head, edit.changes, author=author, effective_on=edit.effective_on, reason=reason
        )
        return revision, apply_revision(state, revision), document

    def correct(
        self,
        plan_id: str,
        changes: Change | Sequence[Change],
        *,
        base: int,
        corrects: int,
        author: str,
        reason: str,
        effective_on: dt.date | None = None,
    ) -> PlanState:
        """Correct a mistake of revision ``corrects``; nothing earlier is rewritten.

        The correction is a new revision. By default it is effective on the corrected
        revision's effective date, so the plan "as of" any later day shows the
        corrected facts, while "as recorded" before now still shows what was known.
        Allowed after the plan was closed.
        """
        head, current = self._head(plan_id, base)
        if not 1 <= corrects <= base:
            raise ValidationError("correction", [FieldError("$.corrects", f"{corrects} is not a revision 1-{base}")])
        history = self.history(plan_id)
        effective = effective_on if effective_on is not None else history[corrects - 1].effective_on
        revision, document = self._revision(
            plan_id, head, changes, author=author, effective_on=effective, reason=reason, corrects=corrects
        )
        state = apply_revision(current, revision)
        _check_views(history, revision)
        return self._append(revision, state, document)

    # -- reading ---------------------------------------------------------------------

    def state(self, plan_id: str) -> PlanState:
        """The current state (from the store's head, never by replaying); a logged read."""
        state = self.mapper.read_head(self.store, plan_id)[1]
        self._accessed(plan_id, state.plan.municipality_ags, "read_state")
        return state

    def accesses(self, plan_id: str | None = None) -> list[AccessEntry]:
        """Who read the plan (or any plan) when, for what: the store's access log, oldest first."""
        if not isinstance(self.store, AccessLog):
            raise StorageError("this store keeps no access log")
        return self.store.accesses(plan_id)

    def _logged_read(self, plan_id: str, operation: str) -> None:
        """Log a read that did not decode the head; the plan's municipality comes from the head."""
        if self.actor is not None:
            head, _ = self.mapper.read_head(self.store, plan_id)
            self._accessed(plan_id, head.municipality_ags, operation)

    def _accessed(self, plan_id: str, municipality_ags: str, operation: str) -> None:
        if self.actor is None:
            return
        entry = AccessEntry(self.clock.now(), self.actor, self.purpose, plan_id, municipality_ags, operation)
        if not isinstance(self.store, AccessLog):
            raise StorageError(f"reads by {self.actor} are to be logged, but this store keeps no access log")
        self.store.log_access([entry])
        if self._on_accessed is not None:
            self._on_accessed(entry)

    def show(self, plan_id: str, *, on: dt.date, as_of: dt.date | None = None) -> PlanView:
        """The plan as shown on ``on``: current (or as of ``as_of``), with support period and names.

        Raises [`UnknownPlanError`][integrationsplan.UnknownPlanError] for an unknown
        plan, and for ``as_of`` before the plan was drawn up.
        """
        if as_of is None:
            state = self.state(plan_id)
        else:
            found = self.state_as_of(plan_id, as_of)
            if found is None:
                raise UnknownPlanError(plan_id, f"it was not yet drawn up on {as_of.isoformat()}")
            state = found
        ags = state.plan.municipality_ags
        period = support_period_of(state, self.directory.support_policy(ags), on)
        manager_id = state.plan.manager_id
        manager = None
        if manager_id is not None:
            manager = next((m for m in self.directory.staff(ags) if m.staff_id == manager_id), None)
        return PlanView(state, on, period, self.directory.find_municipality(ags), manager)

    def states(self, *, municipality_ags: str | None = None) -> Iterator[PlanState]:
        """The current state of every plan (of one municipality), in plan id order, streamed.

        One pass over the store's heads, decoded one by one and not cached: a report over
        100,000 plans holds one state at a time.
        """
        for head in self.store.heads(municipality_ags=municipality_ags):
            yield self.mapper.decode(head)

    def records(
        self,
        plan_id: str | None = None,
        *,
        municipality_ags: str | None = None,
        kind: RecordKind | None = None,
        first: dt.date | None = None,
        last: dt.date | None = None,
    ) -> list[tuple[str, PlanRecord]]:
        """The records beside the plans — contacts, goal statuses, decisions — as ``(plan_id, record)``.

        Filtered by plan, by the municipality the plan belonged to when the record was
        made, by kind and by a range of index days (``first`` to ``last``, inclusive; a
        contact's index day is its UTC day). Each plan's records come in the order of its
        history. Reading them never touches the plan's head, except to log the read of
        one plan's records when an actor is named.
        """
        found = self.store.records(
            plan_id,
            municipality_ags=municipality_ags,
            kind=None if kind is None else kind.value,
            first=first,
            last=last,
        )
        records = [(stored.plan_id, self.mapper.record(stored)) for stored in found]
        if plan_id is not None:
            self._logged_read(plan_id, "read_records")
        return records

    def history(self, plan_id: str, start: int = 1, stop: int | None = None) -> tuple[Revision, ...]:
        """The revisions ``start`` to ``stop`` (inclusive), oldest first; a logged read."""
        revisions = tuple(
            loads(stored.document, Revision, trusted=True) for stored in self.store.read(plan_id, start, stop)
        )
        self._logged_read(plan_id, "read_history")
        return revisions

    def plans(
        self,
        *,
        municipality_ags: str | None = None,
        status: str | None = None,
        manager_id: str | None = None,
        person_id: str | None = None,
    ) -> list[str]:
        """Ids of the plans in the store, filtered by municipality, status, manager and person.

        ``person_id`` uses the stores' person index: every plan of one person (after a
        move or a new start) without decoding any document.
        """
        return self.store.plans(
            municipality_ags=municipality_ags, status=status, manager_id=manager_id, person_id=person_id
        )

    def consents(self, plan_id: str, *, on: dt.date) -> tuple[Consent, ...]:
        """The plan's consents valid on ``on`` (given by then, not withdrawn by then)."""
        return consents_valid_on(self.state(plan_id).consents, on)

    def require_consent(self, plan_id: str, *, recipient: str, on: dt.date) -> Consent:
        """The consent valid on ``on`` that names ``recipient``; ConsentRequiredError otherwise.

        For operations that pass the plan's data on: they check first, and refuse with
        the reason (none given, or withdrawn on which day) when the person has not
        agreed, or no longer does.
        """
        held = self.state(plan_id).consents
        for consent in consents_valid_on(held, on):
            if recipient in consent.recipients:
                return consent
        withdrawn = [
            c for c in held if recipient in c.recipients and c.withdrawn_on is not None and c.withdrawn_on <= on
        ]
        reason = (
            f"consent {withdrawn[-1].id!r} was withdrawn on {withdrawn[-1].withdrawn_on}"
            if withdrawn
            else "no consent names this recipient"
        )
        raise ConsentRequiredError(plan_id, f"recipient {recipient!r}", on.isoformat(), reason)

    def erase(self, plan_id: str, *, legal_basis: str = "Art. 17 DSGVO", actor: str = "unknown") -> int:
        """Erase a plan and its whole history from the store (data protection).

        The one sanctioned deletion: the plan is gone, not hidden, and so are its
        appointments. Returns the number of revisions erased. On an encrypted store the plan's key is destroyed first,
        and an erasure record keeps ``legal_basis`` and ``actor`` (a staff id) with a
        keyed digest of the plan id — nothing personal.
        """
        if isinstance(self.store, AppointmentStore) and self.store.version(plan_id):
            for appointment in self.store.appointments(plan_id=plan_id, cancelled=True):
                self.store.erase_appointment(appointment.id)
        if isinstance(self.store, EncryptedStore):
            erased = self.store.erase(plan_id, legal_basis=legal_basis, actor=actor)
        else:
            erased = self.store.erase(plan_id)
        self.mapper.forget(plan_id)
        _log.info("erased plan %s (%d revisions)", plan_id, erased)
        return erased

    def import_history(self, revisions: Sequence[Revision]) -> PlanState:
        """Store a whole, verified history of a plan that the store does not hold yet.

        The chain is verified and replayed before anything is written.
        """
        if not revisions:
            raise ValidationError("history", [FieldError("$", "an imported history needs at least one revision")])
        verify(revisions)
        states = []
        state: PlanState | None = None
        for revision in revisions:
            state = apply_revision(state, revision)
            states.append(state)
        for revision, after in zip(revisions, states, strict=True):
            self._append(revision, after)
        return states[-1]

    def import_histories(
        self,
        histories: Iterable[Sequence[Revision] | VerifiedHistory],
        *,
        batch_size: int = 500,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Store many whole, verified histories of plans the store does not hold yet.

        Each history is verified and replayed before anything is written (a
        ``VerifiedHistory`` was verified when it was made, and its documents are stored as
        given). On a store with
        the ``BatchAppend`` capability the plans
        are written ``batch_size`` at a time, each batch atomically; on any other store
        one plan at a time. Returns the number of plans; ``progress(n)`` is called with
        the number written so far after each write.
        """
        if not isinstance(self.store, BatchAppend):
            count = 0
            for history in histories:
                self.import_history(history.revisions if isinstance(history, VerifiedHistory) else history)
                count += 1
                if progress is not None:
                    progress(count)
            return count
        count = 0
        pending: list[_Prepared] = []
        for history in histories:
            pending.append(self._prepared(history))
            if len(pending) >= batch_size:
                count += self._write_batch(pending)
                if progress is not None:
                    progress(count)
        if pending:
            count += self._write_batch(pending)
            if progress is not None:
                progress(count)
        return count

    def _prepared(self, history: Sequence[Revision] | VerifiedHistory) -> _Prepared:
        if isinstance(history, VerifiedHistory):
            revisions: Sequence[Revision] = history.revisions
            documents: Sequence[bytes | None] = history.documents
        else:
            revisions, documents = history, [None] * len(history)
            if revisions:
                verify(revisions)
        if not revisions:
            raise ValidationError("history", [FieldError("$", "an imported history needs at least one revision")])
        folded: list[tuple[Revision, PlanState]] = []
        records: list[StoredRecord] = []
        state: PlanState | None = None
        for revision in revisions:
            state = apply_revision(state, revision)
            folded.append((revision, state))
            records.extend(self.mapper.records(revision, state))
        stored = [self.mapper.revision(r, document) for r, document in zip(revisions, documents, strict=True)]
        return _Prepared(stored, self.mapper.head(revisions[-1], folded[-1][1]), records, folded)

    def _write_batch(self, pending: list[_Prepared]) -> int:
        assert isinstance(self.store, BatchAppend)  # noqa: S101 - checked by the caller
        self.store.append_batch([(entry.revisions, entry.head, entry.records) for entry in pending])
        for entry in pending:
            self.mapper.remember(entry.head, entry.folded[-1][1])
        if self._on_appended is not None:
            for entry in pending:
                for revision, state in entry.folded:
                    self._on_appended(revision, state)
        written = len(pending)
        pending.clear()
        return written

    def state_as_of(self, plan_id: str, on: dt.date) -> PlanState | None:
        """The plan as true on ``on``, as known now (corrections included)."""
        return state_as_of(self.history(plan_id), on)

    def state_as_recorded(self, plan_id: str, at: dt.datetime) -> PlanState | None:
        """The plan as it was recorded at ``at``: what the service knew then."""
        return state_as_recorded(self.history(plan_id), at)

    def diff(self, plan_id: str, from_revision: int, to_revision: int) -> PlanDiff:
        """What changed between the states after two revisions (0: before the plan)."""
        history = self.history(plan_id, 1, max(from_revision, to_revision))
        for name, number in (("from_revision", from_revision), ("to_revision", to_revision)):
            if not 0 <= number <= len(history):
                raise ValidationError("diff", [FieldError(f"$.{name}", f"{number} is not a revision 0-{len(history)}")])
        return diff_revisions(history, from_revision, to_revision)

    def verify(self, plan_id: str) -> int:
        """Verify a plan completely; return the number of revisions.

        The chain byte for byte, and the head against the replayed history (see
        [`Verification`][integrationsplan.services.Verification]). Raises
        [`IntegrityError`][integrationsplan.IntegrityError] naming the first finding.
        """
        count, findings = self._check(plan_id, has_head=None)
        if findings:
            first = findings[0]
            number = int(first.where.split()[-1]) if first.where.startswith("revision ") else count
            raise IntegrityError(plan_id, number, first.problem if first.where.startswith("revision ") else str(first))
        return count

    def _check(self, plan_id: str, *, has_head: bool | None) -> tuple[int, list[Finding]]:
        """Everything that can be wrong with one plan; ``has_head`` ``None``: ask the store."""
        try:
            stored = self.store.read(plan_id)
        except UnknownPlanError:
            stored = []
        except IntegrityError as error:  # an encrypted document that does not authenticate
            return 0, [Finding(plan_id, f"revision {error.revision}", error.reason)]
        except KeyUnavailableError as error:
            return 0, [Finding(plan_id, "key", error.reason)]
        if has_head is None:
            try:
                self.store.head(plan_id)
            except UnknownPlanError:
                has_head = False
            except (IntegrityError, KeyUnavailableError):
                has_head = True  # there is a head; comparing it below names what is wrong
            else:
                has_head = True
        if not stored:
            return 0, [Finding(plan_id, "revisions", "a head without revisions")] if has_head else []
        if not has_head:
            return 0, [Finding(plan_id, "head", f"{len(stored)} revision(s) without a head")]
        expected_records: list[StoredRecord] = []
        state: PlanState | None = None
        try:
            revisions = verified_revisions(plan_id, (revision.document for revision in stored))
            for revision in revisions:
                state = apply_revision(state, revision)
                expected_records.extend(self.mapper.records(revision, state))
        except IntegrityError as error:
            return 0, [Finding(plan_id, f"revision {error.revision}", error.reason)]
        except PlanRuleViolation as error:
            return 0, [Finding(plan_id, f"revision {error.revision}", f"does not apply: {error.reason}")]
        assert state is not None  # noqa: S101 - at least one revision
        last = revisions[-1]
        try:
            head = self.store.head(plan_id)
        except IntegrityError as error:
            return len(revisions), [Finding(plan_id, "head", error.reason)]
        expected = self.mapper.head(last, state)
        findings = [
            Finding(plan_id, "head", f"{label} is {shown}, the history says {wanted}")
            for label, shown, wanted in (
                ("the number", head.number, expected.number),
                ("the hash", head.hash[:12], expected.hash[:12]),
                ("the municipality", head.municipality_ags, expected.municipality_ags),
                ("the status", head.status, expected.status),
                ("the manager", head.manager_id, expected.manager_id),
            )
            if shown != wanted
        ]
        if head.document != expected.document:
            findings.append(Finding(plan_id, "head", "the state differs from the replayed history"))
        held = self.store.records(plan_id)
        if held != expected_records:
            missing = len(set(expected_records) - set(held))
            extra = len(set(held) - set(expected_records))
            problem = f"{missing} missing, {extra} not from the history" if missing or extra else "out of order"
            findings.append(Finding(plan_id, "records", problem))
        return len(revisions), findings

    def verify_plans(
        self, plan_ids: Sequence[str] | None = None, *, progress: Callable[[int, int], None] | None = None
    ) -> Verification:
        """Verify plans completely (the whole store by default); every finding is reported.

        Over the whole store this also finds revisions without a head and heads without
        revisions. ``progress(done, total)`` is called after each plan.
        """
        heads = set(self.store.plans())
        ids = list(plan_ids) if plan_ids else sorted(heads | set(self.store.streams()))
        verified: dict[str, int] = {}
        findings: list[Finding] = []
        for done, plan_id in enumerate(ids, start=1):
            try:
                count, found = self._check(plan_id, has_head=plan_id in heads)
            except StorageError as error:
                count, found = 0, [Finding(plan_id, "store", str(error))]
            if found:
                findings.extend(found)
                for finding in found:  # ids, places and what is wrong: no content
                    _log.warning("verification of plan %s: %s: %s", finding.plan_id, finding.where, finding.problem)
            elif count:
                verified[plan_id] = count
            else:
                findings.append(Finding(plan_id, "plan", "no such plan"))
            if progress is not None:
                progress(done, len(ids))
        _log.info("verified %d plans, %d findings", len(verified), len(findings))
        return Verification(verified, tuple(findings))

    # -- internals ---------------------------------------------------------------------

    def _head(self, plan_id: str, base: int) -> tuple[StoredHead, PlanState]:
        head, state = self.mapper.read_head(self.store, plan_id)
        if head.number != base:
            raise ConcurrentRevisionError(plan_id, base, head.number)
        return head, state

    def _revision(
        self,
        plan_id: str,
        head: StoredHead | None,
        changes: Change | Sequence[Change],
        *,
        author: str,
        effective_on: dt.date,
        reason: str,
        corrects: int | None = None,
    ) -> tuple[Revision, bytes]:
        """The next revision after ``head`` (the first if ``None``), sealed, and its document.

        A revision that names what it ``corrects`` is a correction, any other an update.
        """
        now = self.clock.now()
        if now.tzinfo is None or now.utcoffset() is None:
            message = "returned a naive datetime; a clock returns aware UTC instants"
            raise ValidationError("clock", [FieldError("$.now()", message)])
        recorded_at = now.astimezone(dt.UTC)
        if head is not None:  # recorded-at never goes backwards, even if the clock does
            recorded_at = max(recorded_at, head.recorded_at)
        unsealed = Revision(
            plan_id=plan_id,
            number=1 if head is None else head.number + 1,
            recorded_at=recorded_at,
            effective_on=effective_on,
            author=author,
            kind=RevisionKind.UPDATE if corrects is None else RevisionKind.CORRECTION,
            reason=reason,
            changes=tuple(_as_list(changes)),
            corrects=corrects,
            previous_hash=None if head is None else head.hash,
            hash=_PLACEHOLDER_HASH,
        )
        return seal_with_document(unsealed)

    def _append(self, revision: Revision, state: PlanState, document: bytes | None = None) -> PlanState:
        head = self.mapper.head(revision, state)
        self.store.append(self.mapper.revision(revision, document), head, self.mapper.records(revision, state))
        self.mapper.remember(head, state)
        _log.debug("appended revision %d of plan %s", revision.number, revision.plan_id)
        if self._on_appended is not None:
            self._on_appended(revision, state)
        return state


@attrs.frozen
class _Prepared:
    """One verified, folded history, encoded for a batch write."""

    revisions: list[StoredRevision]
    head: StoredHead
    records: list[StoredRecord]
    folded: list[tuple[Revision, PlanState]]


def _as_list(changes: Change | Sequence[Change]) -> list[Any]:
    if isinstance(changes, CHANGE_TYPES):
        return [changes]
    if not isinstance(changes, Sequence):
        raise ValidationError("revision", [FieldError("$.changes", f"expected changes, got {type(changes).__name__}")])
    return list(changes)


def _check_views(history: Sequence[Revision], correction: Revision) -> None:
    """A backdated correction must fit every day it reaches back to.

    The state as of a day folds the revisions effective by then; a correction effective
    on an earlier day joins every such fold from its day on, so each of them must still
    apply. Updates never need this: they are effective on or after everything before.
    """
    days = sorted({r.effective_on for r in history if r.effective_on >= correction.effective_on})
    for day in [correction.effective_on, *days]:
        replay([*(r for r in history if r.effective_on <= day), correction])
