"""Hook specifications: what a plugin can provide to integrationsplan.

Every hook is named ``integrationsplan_<what>``. Implement one with the ``hookimpl``
marker exported from the package root; an implementation may take fewer arguments than
the specification (so a specification can gain arguments without breaking plugins), and
an implementation of a hook not listed here is refused when the plugin loads. Hooks that
say "Stops at first non-None result" are ``firstresult`` hooks: the first plugin that
answers wins, later ones (the built-in defaults come last) are not asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from integrationsplan.domain import (
        IntegrationManager,
        Letterhead,
        Municipality,
        OfficeHours,
        PlanState,
        Revision,
        WorkingHours,
    )
    from integrationsplan.rules import RetentionPolicy, RuleSet, SupportPolicy
    from integrationsplan.storage import AccessEntry, PlanStore
    from integrationsplan.storage.keys import KeyProvider

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "integrationsplan"

hookspec = pluggy.HookspecMarker(PROJECT)
#: Marks a function or method as the implementation of a hook.
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- storage -------------------------------------------------------------------------------


@hookspec
def integrationsplan_store_schemes() -> list[str]:
    """The URL schemes this plugin opens stores for, e.g. ``["mytown"]``.

    Used to list the known schemes in messages and in ``integrationsplan plugins``.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def integrationsplan_open_store(url: str, read_only: bool) -> PlanStore | None:
    """Open the store ``url`` names, or return ``None`` if its scheme is not yours.

    Stops at first non-None result. Raise
    [`ConfigurationError`][integrationsplan.ConfigurationError] for a URL of your scheme
    that is wrong (it reaches the user as it is), and translate your driver's errors
    into [`StorageError`][integrationsplan.StorageError].

    :param url: the store URL, e.g. ``mytown://archive/plans``.
    :param read_only: the caller only reads: do not create anything that is missing
        (raise ``StorageError`` instead).
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def integrationsplan_open_key_provider(url: str) -> KeyProvider | None:
    """Open the key provider ``url`` names, or return ``None`` if its scheme is not yours.

    A store URL with ``keys=URL`` is encrypted with per-plan data keys from this provider
    (see [`KeyProvider`][integrationsplan.storage.keys.KeyProvider]); the built-in scheme
    is ``keyfile:///folder``. A town's provider wraps data keys with its KMS or HSM and
    must really destroy a key on ``destroy`` — its own backups included.

    :param url: the key provider URL, e.g. ``krz-vault://integrationsplan/eislingen``.
    """
    raise NotImplementedError


# -- municipalities and staff ----------------------------------------------------------------


@hookspec
def integrationsplan_municipalities() -> list[Municipality]:
    """The municipalities this plugin provides (AGS, name, district, state)."""
    raise NotImplementedError


@hookspec
def integrationsplan_staff(municipality_ags: str) -> list[IntegrationManager]:
    """The integration managers of a municipality.

    :param municipality_ags: the municipality's 8-digit AGS.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def integrationsplan_office_hours(municipality_ags: str) -> OfficeHours | None:
    """The office hours of a municipality's integration management, or ``None``.

    Stops at first non-None result.

    :param municipality_ags: the municipality's 8-digit AGS.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def integrationsplan_working_hours(municipality_ags: str, manager_id: str) -> WorkingHours | None:
    """When a manager takes appointments: weekly working time, absences, and whether the
    walk-in office hours may be booked. Stops at first non-None result.

    Without an answer the default applies
    ([`DEFAULT_WORKING_HOURS`][integrationsplan.domain.appointments.DEFAULT_WORKING_HOURS]:
    Monday to Thursday 8-16, Friday 8-12, no absences, walk-in hours kept free). A town
    answers from its time-recording or duty-roster system; absences are days only, with no
    reason (a reason can be personal).

    :param municipality_ags: the municipality's 8-digit AGS.
    :param manager_id: the manager's staff id.
    """
    raise NotImplementedError


# -- printed documents ----------------------------------------------------------------------


@hookspec(firstresult=True)
def integrationsplan_letterhead(municipality_ags: str) -> Letterhead | None:
    """The municipality's letterhead on printed plans: its logo and the office's lines.

    Stops at first non-None result. Without an answer the plan's head shows the
    municipality's name (from ``integrationsplan_municipalities``) and its AGS.

    :param municipality_ags: the municipality's 8-digit AGS.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def integrationsplan_message_catalog(language: str) -> str | None:
    """The path of a gettext ``.po`` file with a town's own texts for a language, or ``None``.

    Stops at first non-None result. Its messages override the built-in catalog's (a town's
    own wording), and for a language without a built-in catalog it is the whole
    translation. Start from ``integrationsplan/i18n/locale/integrationsplan.pot``.

    :param language: the catalog code (``ar``, ``uk``, ``ti`` …).
    """
    raise NotImplementedError


# -- rules ------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def integrationsplan_eligibility_rules(municipality_ags: str, default: RuleSet) -> RuleSet | None:
    """The eligibility rule set of a municipality; start from ``default`` and add, replace
    or drop rules. Stops at first non-None result.

    :param municipality_ags: the municipality's 8-digit AGS.
    :param default: the rule set that applies when no plugin answers.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def integrationsplan_support_policy(municipality_ags: str) -> SupportPolicy | None:
    """The support-period policy a municipality applies. Stops at first non-None result.

    :param municipality_ags: the municipality's 8-digit AGS.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def integrationsplan_retention_policy(municipality_ags: str) -> RetentionPolicy | None:
    """How long a municipality keeps closed plans, and on what basis. Stops at first non-None result.

    The built-in answer keeps them until told otherwise
    ([`NO_RETENTION_PERIOD`][integrationsplan.rules.retention.NO_RETENTION_PERIOD]): no
    statute fixes a period, so a town states its own and the rule it rests on.

    :param municipality_ags: the municipality's 8-digit AGS.
    """
    raise NotImplementedError


# -- events -----------------------------------------------------------------------------------


@hookspec
def integrationsplan_plan_accessed(entry: AccessEntry) -> None:
    """A plan's content was read by a named actor (after it was logged in the store).

    For a town's own audit trail or SIEM. The entry holds ids and codes only: when, the
    actor's staff id, the purpose, the plan id, its municipality and the operation
    (``read_state``, ``read_history``, ``read_records``).

    :param entry: the [`AccessEntry`][integrationsplan.storage.AccessEntry].
    """


@hookspec
def integrationsplan_revision_appended(revision: Revision, state: PlanState) -> None:
    """A revision was appended (after it was stored): for audit trails and integrations.

    Called for every successful create, revise, correct and import. The revision is
    already written when this runs; an exception here is reported as a PluginError that
    says so.

    :param revision: the revision as stored.
    :param state: the plan's state after it.
    """
    raise NotImplementedError
