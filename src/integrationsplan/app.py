"""The composition root: plugins + store + clock -> the use cases.

An [`App`][integrationsplan.App] is what a municipal application holds: it builds its own
plugin manager, opens its store through the plugins (so a town's own scheme works like
``sqlite://``), and wires the services of
[`integrationsplan.services`][integrationsplan.services] to them. It is also the
services' [`Directory`][integrationsplan.services.Directory]: municipalities, staff, rules,
support policies and office hours come from the plugins.

```python
with ip.App(store="sqlite:///plans.db") as app:
    view = app.plans.show("ip-1", on=dt.date(2025, 3, 3))
```
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, Self

import attrs

from integrationsplan.domain import (
    DEFAULT_WORKING_HOURS,
    Appointment,
    IntegrationManager,
    Letterhead,
    Municipality,
    OfficeHours,
    PlanState,
    Revision,
    WorkingHours,
)
from integrationsplan.errors import ConfigurationError, PluginError
from integrationsplan.i18n import Language, Texts, load_catalog
from integrationsplan.i18n import language as i18n_language
from integrationsplan.i18n.catalogs import review_state_of
from integrationsplan.plugins.manager import PluginHost, PluginInfo, unknown_scheme
from integrationsplan.rules import (
    DEFAULT_CASES_PER_FTE,
    DEFAULT_RULE_SET,
    NO_RETENTION_PERIOD,
    RetentionPolicy,
    RuleSet,
    SupportPolicy,
)
from integrationsplan.services.appointments import AppointmentService
from integrationsplan.services.caseloads import CaseloadService
from integrationsplan.services.clock import Clock, SystemClock
from integrationsplan.services.directory import shown_ags
from integrationsplan.services.eligibility import EligibilityService
from integrationsplan.services.office_hours import OfficeHoursService
from integrationsplan.services.plans import PlanService
from integrationsplan.services.retention import RetentionService
from integrationsplan.services.subjects import DataSubjectService
from integrationsplan.services.transfer import ImportSummary, TransferService
from integrationsplan.storage import PlanStore
from integrationsplan.storage.contract import AccessEntry, AppointmentStore

if TYPE_CHECKING:
    from integrationsplan.reports import KeyFigures
from integrationsplan.storage.encrypted import encrypted, split_keys
from integrationsplan.storage.keys import KeyProvider

__all__ = ["App"]

#: The time zone in which "today" is read: every municipality here is in Germany.
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


class App:
    """An application of integrationsplan: its plugins, its store, its clock and its use cases.

    ``plugins`` are registered in addition to the built-in ones and those found through
    entry points; ``autoload=False`` (or ``INTEGRATIONSPLAN_DISABLE_PLUGIN_AUTOLOAD=1``)
    skips the entry points, and ``disable`` (or ``INTEGRATIONSPLAN_DISABLE_PLUGINS``)
    skips the named ones only.

    ``store`` is a store URL (opened through the plugins on first use; default
    ``memory://``) or an open [`PlanStore`][integrationsplan.PlanStore], which the app
    then does not close. ``read_only=True`` opens a URL without creating anything that is
    missing. ``clock`` (default: the system clock) stamps every revision. ``actor`` (a
    staff id) and ``purpose`` (a code) are logged with every read of a plan's content in
    the store's access log, and passed to the hook ``integrationsplan_plan_accessed``.
    """

    def __init__(
        self,
        plugins: Iterable[object] = (),
        *,
        autoload: bool | None = None,
        disable: Iterable[str] = (),
        store: str | PlanStore | None = None,
        read_only: bool = False,
        clock: Clock | None = None,
        actor: str | None = None,
        purpose: str = "counselling",
    ) -> None:
        self._host = PluginHost(plugins, autoload=autoload, disable=disable)
        self.actor = actor
        self.purpose = purpose
        self.plugin_manager = self._host.manager
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._store_url = store if isinstance(store, str) or store is None else None
        self._store: PlanStore | None = None if isinstance(store, str) or store is None else store
        self._owns_store = self._store is None
        self._read_only = read_only

    # -- the store and the use cases --------------------------------------------------------

    @property
    def store(self) -> PlanStore:
        """The app's store, opened on first use."""
        if self._store is None:
            self._store = self.open_store(self._store_url or "memory://", read_only=self._read_only)
        return self._store

    @functools.cached_property
    def plans(self) -> PlanService:
        """Create, revise, show and read plans; every append notifies the plugins."""
        return self.service(self.store)

    @functools.cached_property
    def eligibility(self) -> EligibilityService:
        """Eligibility decisions with each municipality's rules, on the plan's record."""
        return EligibilityService(lambda: self.plans, self)

    @functools.cached_property
    def transfer(self) -> TransferService:
        """Streaming, verified export and import of whole histories."""
        return TransferService(self.plans)

    @functools.cached_property
    def office_hours_service(self) -> OfficeHoursService:
        """The next office hours and their exports."""
        return OfficeHoursService(self)

    def caseloads(self, *, cases_per_fte: float = DEFAULT_CASES_PER_FTE) -> CaseloadService:
        """Caseloads, hand-overs and work lists over the staff of every municipality the plugins know."""
        return CaseloadService(
            self.plans,
            self.staff(),
            cases_per_fte=cases_per_fte,
            policy=lambda state: self.support_policy(state.plan.municipality_ags),
            missed=self._missed if isinstance(self.store, AppointmentStore) else None,
        )

    def _missed(self, manager_id: str, on: dt.date) -> list[Appointment]:
        return self.appointments.missed_to_follow_up(manager_id, on=on)

    def kennzahlen(
        self,
        year: int,
        municipalities: Sequence[str] | None = None,
        *,
        threshold: int = 3,
        progress: Callable[[int, int], None] | None = None,
    ) -> KeyFigures:
        """The annual key figures of the named municipalities (all the plugins know by default)."""
        chosen = list(municipalities) if municipalities else [m.ags for m in self.municipalities()]
        if not chosen:
            raise ConfigurationError("name the municipalities to report on (no plugin provides any)")
        staff = [manager for ags in chosen for manager in self.staff(ags)]
        from integrationsplan.reports import kennzahlen  # noqa: PLC0415 - reports load when one is asked for

        return kennzahlen(self.plans, year, chosen, staff=staff, threshold=threshold, progress=progress)

    def today(self) -> dt.date:
        """Today in Germany, by the app's clock."""
        return self.clock.now().astimezone(BERLIN).date()

    def close(self) -> None:
        """Close the store if the app opened it."""
        if self._store is not None and self._owns_store:
            self._store.close()
            self._store = None
        for name in ("plans", "eligibility", "transfer"):  # services over the closed store go with it
            self.__dict__.pop(name, None)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    # -- what the plugins provide (the Directory of the services) --------------------------

    def plugins(self) -> tuple[PluginInfo, ...]:
        """The active plugins and the hooks each implements."""
        return self._host.infos()

    def store_schemes(self) -> tuple[str, ...]:
        """Every URL scheme a plugin (or the library) opens stores for."""
        return tuple(sorted(set(self._host.collect("integrationsplan_store_schemes", str, "scheme"))))

    def open_store(self, url: str, *, read_only: bool = False) -> PlanStore:
        """Open a store by URL through the plugins (built in: ``memory://``, ``sqlite:///``, ``postgresql://``).

        The caller closes it. ``read_only=True``: create nothing that is missing. A
        ``keys=URL`` parameter (``sqlite:///plans.db?keys=keyfile:///srv/keys``) encrypts
        every document with per-plan keys from that key provider
        ([`EncryptedStore`][integrationsplan.storage.encrypted.EncryptedStore]).
        """
        if not isinstance(url, str):
            raise ConfigurationError(f"a store URL is a string, not a {type(url).__name__}")
        url, keys_url = split_keys(url)
        store = self._host.first("integrationsplan_open_store", PlanStore, url=url, read_only=read_only)
        if store is None:
            raise unknown_scheme(url, self.store_schemes())
        if keys_url is None:
            return store  # type: ignore[no-any-return]
        try:
            keys = self.open_key_provider(keys_url)
        except BaseException:
            store.close()
            raise
        return encrypted(store, keys, today=self.today)

    def open_key_provider(self, url: str) -> KeyProvider:
        """Open a key provider by URL through the plugins (built in: ``keyfile:///folder``)."""
        keys = self._host.first("integrationsplan_open_key_provider", KeyProvider, url=url)
        if keys is None:
            scheme = url.split("://", 1)[0] if "://" in url else url
            raise ConfigurationError(f"no key provider for {scheme!r}; built in: keyfile:///folder")
        return keys  # type: ignore[no-any-return]

    def municipalities(self) -> tuple[Municipality, ...]:
        """Every municipality the plugins provide, by AGS; two plugins may not describe one differently."""
        seen: dict[str, Municipality] = {}
        for municipality in self._host.collect("integrationsplan_municipalities", Municipality, "municipality"):
            if seen.get(municipality.ags, municipality) != municipality:
                raise ConfigurationError(f"two plugins describe municipality {municipality.ags} differently")
            seen[municipality.ags] = municipality
        return tuple(seen[ags] for ags in sorted(seen))

    def find_municipality(self, ags: str) -> Municipality | None:
        """The municipality with this AGS, or ``None`` if no plugin provides it."""
        return next((m for m in self.municipalities() if m.ags == ags), None)

    def municipality(self, ags: str) -> Municipality:
        """The municipality with this AGS; ConfigurationError if no plugin provides it."""
        found = self.find_municipality(ags)
        if found is None:
            raise ConfigurationError(f"no plugin provides municipality {shown_ags(ags)}")
        return found

    def staff(self, municipality_ags: str | None = None) -> tuple[IntegrationManager, ...]:
        """The integration managers of a municipality, or of every municipality the plugins know."""
        places = [municipality_ags] if municipality_ags is not None else [m.ags for m in self.municipalities()]
        managers = [
            manager
            for ags in places
            for manager in self._host.collect(
                "integrationsplan_staff", IntegrationManager, "integration manager", municipality_ags=ags
            )
        ]
        return tuple(sorted(managers, key=lambda manager: manager.staff_id))

    def office_hours(self, municipality_ags: str) -> OfficeHours:
        """The office hours of a municipality; ConfigurationError if no plugin provides them."""
        hours = self._host.first("integrationsplan_office_hours", OfficeHours, municipality_ags=municipality_ags)
        if hours is None:
            raise ConfigurationError(f"no plugin provides office hours for municipality {shown_ags(municipality_ags)}")
        return hours  # type: ignore[no-any-return]

    def working_hours(self, municipality_ags: str, manager_id: str) -> WorkingHours:
        """When a manager takes appointments (the default unless a plugin says otherwise)."""
        hours = self._host.first(
            "integrationsplan_working_hours", WorkingHours, municipality_ags=municipality_ags, manager_id=manager_id
        )
        return DEFAULT_WORKING_HOURS if hours is None else hours

    def eligibility_rules(self, municipality_ags: str) -> RuleSet:
        """The eligibility rule set of a municipality (the default unless a plugin says otherwise)."""
        rules = self._host.first(
            "integrationsplan_eligibility_rules", RuleSet, municipality_ags=municipality_ags, default=DEFAULT_RULE_SET
        )
        return DEFAULT_RULE_SET if rules is None else rules

    def support_policy(self, municipality_ags: str) -> SupportPolicy:
        """The support policy of a municipality (two-year unless a plugin says otherwise)."""
        policy = self._host.first("integrationsplan_support_policy", SupportPolicy, municipality_ags=municipality_ags)
        if policy is None:  # only when the built-in plugin was taken away
            raise ConfigurationError(f"no plugin provides a support policy for {shown_ags(municipality_ags)}")
        return policy  # type: ignore[no-any-return]

    def export_pseudonymised(
        self, out: BinaryIO, *, municipality_ags: str | None = None, key: bytes | None = None, threshold: int = 3
    ) -> int:
        """One pseudonymised row per plan for statistics and research, as JSON Lines.

        See [`integrationsplan.reports.pseudonymised`][integrationsplan.reports.pseudonymised]:
        keyed pseudonyms stable within this export only, no names or contact data, dates
        coarsened, rare nationalities folded.
        """
        from integrationsplan.reports.pseudonymised import export_pseudonymised  # noqa: PLC0415

        return export_pseudonymised(self.plans, out, municipality_ags=municipality_ags, key=key, threshold=threshold)

    def letterhead(self, municipality_ags: str) -> Letterhead | None:
        """The municipality's letterhead for printed plans, if a plugin provides one."""
        found: Letterhead | None = self._host.first(
            "integrationsplan_letterhead", Letterhead, municipality_ags=municipality_ags
        )
        return found

    def texts(self, language: str = "de") -> Texts:
        """The texts of a language (catalog or ISO 639-3 code), with a town's own catalog over the built-in one.

        A plugin's ``integrationsplan_message_catalog`` may also add a language the library
        does not ship; its formats then follow German.
        """
        path = self._host.first("integrationsplan_message_catalog", str, language=language)
        extra = None if path is None else load_catalog(path, language)
        try:
            known = i18n_language(language)
        except ConfigurationError:
            if extra is None:
                raise
            known = Language(language, (language,), "de_DE", language, language, right_to_left=False)
            known = attrs.evolve(known, review_state=review_state_of(path))
        return Texts(known, extra)

    def print_plan(
        self, plan_id: str, *, language: str = "de", on: dt.date | None = None, output: str = "pdf"
    ) -> bytes:
        """The current plan as a document for signature: PDF (``output="pdf"``) or HTML.

        German first, every label also in ``language`` (see
        [`integrationsplan.reports.printable`][integrationsplan.reports.printable]); the
        municipality's letterhead from its plugin. A PDF needs the extra ``print``.
        """
        if output not in ("pdf", "html"):
            raise ConfigurationError(f"a plan is printed as pdf or html, not {output[:10]!r}")
        day = on if on is not None else self.today()
        view = self.plans.show(plan_id, on=day)
        from integrationsplan.reports.printable import plan_html, plan_pdf  # noqa: PLC0415

        document = plan_html(
            view,
            language=language,
            today=day,
            letterhead=self.letterhead(view.state.plan.municipality_ags),
            person_texts=self.texts(language),
        )
        return document.encode() if output == "html" else plan_pdf(document)

    def retention_policy(self, municipality_ags: str) -> RetentionPolicy:
        """How long a municipality keeps closed plans (none configured unless a plugin says so)."""
        policy = self._host.first(
            "integrationsplan_retention_policy", RetentionPolicy, municipality_ags=municipality_ags
        )
        return NO_RETENTION_PERIOD if policy is None else policy

    @functools.cached_property
    def retention(self) -> RetentionService:
        """Plans due for erasure under each municipality's retention policy, and erasing them."""
        return RetentionService(self.plans, self.retention_policy)

    @functools.cached_property
    def appointments(self) -> AppointmentService:
        """Counselling appointments: free slots, booking, moving, cancelling, completing, calendars."""
        return AppointmentService(self.plans, self)

    @functools.cached_property
    def subjects(self) -> DataSubjectService:
        """Data-subject requests: every plan of a person, disclosed (Art. 15) or erased (Art. 17)."""
        return DataSubjectService(self.plans, self.retention_policy)

    def service(self, store: PlanStore, *, clock: Clock | None = None) -> PlanService:
        """A plan service over another store, wired to this app's plugins (e.g. for a copy)."""
        return PlanService(
            store,
            clock=clock or self.clock,
            on_appended=self._appended,
            directory=self,
            actor=self.actor,
            purpose=self.purpose,
            on_accessed=self._accessed,
        )

    def _accessed(self, entry: AccessEntry) -> None:
        self._host.notify("integrationsplan_plan_accessed", entry=entry)

    def copy_store(
        self,
        source_url: str,
        target_url: str,
        *,
        batch_size: int = 500,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportSummary:
        """Copy every plan of one store into another (say SQLite into PostgreSQL).

        The source is opened read-only. Each plan's history is verified before it is
        written, in atomic batches of ``batch_size`` plans; running the copy again is
        safe (plans copied before count as unchanged). See
        [`TransferService.copy_from`][integrationsplan.TransferService.copy_from].
        """
        with self.open_store(source_url, read_only=True) as source, self.open_store(target_url) as target:
            return TransferService(self.service(target)).copy_from(
                TransferService(self.service(source)), batch_size=batch_size, progress=progress
            )

    def _appended(self, revision: Revision, state: PlanState) -> None:
        try:
            self._host.notify("integrationsplan_revision_appended", revision=revision, state=state)
        except PluginError as error:
            raise PluginError(
                f"revision {revision.number} of plan {revision.plan_id!r} was written, but {error}"
            ) from error
