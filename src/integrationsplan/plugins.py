"""The plugin manager and the application object that owns it.

There is no module-level plugin manager: each :class:`App` builds its own, registers the
built-in plugins the same way as third-party ones, loads the entry points of the group
``integrationsplan`` (unless told not to), and refuses implementations of unknown hooks.
Every hook call goes through a small typed method that checks what the plugin returned,
so a faulty plugin is a :class:`~integrationsplan.errors.PluginError` naming the plugin
and its distribution — never a half-initialised application.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterable
from typing import Any

import attrs
import pluggy

from integrationsplan import hookspecs
from integrationsplan.builtin_plugins import DEFAULT_PLUGINS
from integrationsplan.clock import Clock
from integrationsplan.domain import IntegrationManager, Municipality, PlanState, Revision, is_ags
from integrationsplan.domain.office_hours import OfficeHours
from integrationsplan.errors import ConfigurationError, PluginError
from integrationsplan.rules import DEFAULT_RULE_SET, RuleSet, SupportPolicy
from integrationsplan.service import PlanService
from integrationsplan.storage import PlanStore

__all__ = ["AUTOLOAD_ENV", "App", "PluginInfo"]

#: Set to ``1`` to stop the App from loading plugins through entry points.
AUTOLOAD_ENV = "INTEGRATIONSPLAN_DISABLE_PLUGIN_AUTOLOAD"


@attrs.frozen
class PluginInfo:
    """An active plugin: its name, the distribution it came from, the hooks it implements."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


class App:
    """An application of integrationsplan with its own plugin manager.

    ``plugins`` are registered in addition to the built-in ones and those found through
    entry points; ``autoload=False`` (or the environment variable
    ``INTEGRATIONSPLAN_DISABLE_PLUGIN_AUTOLOAD=1``) skips the entry points.
    """

    def __init__(self, plugins: Iterable[object] = (), *, autoload: bool | None = None) -> None:
        if autoload is None:
            autoload = os.environ.get(AUTOLOAD_ENV, "") not in ("1", "true", "yes")
        manager = pluggy.PluginManager(hookspecs.PROJECT)
        manager.add_hookspecs(hookspecs)
        for name, plugin in DEFAULT_PLUGINS.items():
            manager.register(plugin, name=name)
        self._distributions: dict[str, tuple[str, str]] = {}
        if autoload:
            self._load_entry_points(manager)
        for plugin in plugins:
            try:
                manager.register(plugin)
            except ValueError as error:
                raise PluginError(f"plugin {_plugin_name(plugin)!r} could not be registered: {error}") from None
        try:
            manager.check_pending()
        except pluggy.PluginValidationError as error:
            raise PluginError(
                f"plugin {_describe(manager, error.plugin)} implements an unknown hook: {error}"
            ) from None
        self.plugin_manager = manager
        self._hook = manager.hook

    def _load_entry_points(self, manager: pluggy.PluginManager) -> None:
        """Load the plugins of the entry-point group, naming the distribution of a failure."""
        for distribution in importlib.metadata.distributions():
            project = str(distribution.metadata["name"])
            for entry_point in distribution.entry_points:
                if entry_point.group != hookspecs.PROJECT or manager.has_plugin(entry_point.name):
                    continue
                try:
                    plugin = entry_point.load()
                    manager.register(plugin, name=entry_point.name)
                except Exception as error:
                    raise PluginError(
                        f"plugin {entry_point.name!r} of distribution {project} {distribution.version} "
                        f"failed to load: {type(error).__name__}: {error}"
                    ) from error
                self._distributions[entry_point.name] = (project, str(distribution.version))

    # -- what the plugins provide ------------------------------------------------------

    def plugins(self) -> tuple[PluginInfo, ...]:
        """The active plugins and the hooks each implements."""
        infos = []
        for name, plugin in self.plugin_manager.list_name_plugin():
            if plugin is None:
                continue
            project, version = self._distributions.get(name, (None, None))
            hooks = tuple(sorted(caller.name for caller in self.plugin_manager.get_hookcallers(plugin) or ()))
            infos.append(PluginInfo(name=name, distribution=project, version=version, hooks=hooks))
        return tuple(sorted(infos, key=lambda info: info.name))

    def store_schemes(self) -> tuple[str, ...]:
        """Every URL scheme a plugin (or the library) opens stores for."""
        return tuple(sorted(set(self._lists("integrationsplan_store_schemes", "scheme"))))

    def open_store(self, url: str) -> PlanStore:
        """Open a store by URL through the plugins (built-in: ``memory://``, ``sqlite:///``)."""
        store = self._call("integrationsplan_open_store", url=url)
        if store is None:
            scheme = url.split("://", 1)[0] if isinstance(url, str) and "://" in url else url
            raise ConfigurationError(
                f"no store for {scheme!r}; known schemes: {', '.join(s + '://' for s in self.store_schemes())}"
            )
        self._check("integrationsplan_open_store", store, url=url)
        return store  # type: ignore[no-any-return]

    def municipalities(self) -> tuple[Municipality, ...]:
        """Every municipality the plugins provide, by AGS; two plugins may not both claim one."""
        seen: dict[str, Municipality] = {}
        for municipality in self._lists("integrationsplan_municipalities", "municipality"):
            if municipality.ags in seen and seen[municipality.ags] != municipality:
                raise PluginError(f"two plugins describe municipality {municipality.ags} differently")
            seen[municipality.ags] = municipality
        return tuple(seen[ags] for ags in sorted(seen))

    def municipality(self, ags: str) -> Municipality:
        """The municipality with this AGS; ConfigurationError if no plugin provides it."""
        for municipality in self.municipalities():
            if municipality.ags == ags:
                return municipality
        shown = ags if is_ags(ags) else "an invalid AGS"
        raise ConfigurationError(f"no plugin provides municipality {shown}")

    def staff(self, municipality_ags: str) -> tuple[IntegrationManager, ...]:
        """The integration managers of a municipality, from all plugins."""
        managers = self._lists("integrationsplan_staff", "integration manager", municipality_ags=municipality_ags)
        return tuple(sorted(managers, key=lambda manager: manager.staff_id))

    def office_hours(self, municipality_ags: str) -> OfficeHours:
        """The office hours of a municipality; ConfigurationError if no plugin provides them."""
        hours = self._call("integrationsplan_office_hours", municipality_ags=municipality_ags)
        if hours is None:
            shown = municipality_ags if is_ags(municipality_ags) else "an invalid AGS"
            raise ConfigurationError(f"no plugin provides office hours for municipality {shown}")
        self._check("integrationsplan_office_hours", hours, municipality_ags=municipality_ags)
        return hours  # type: ignore[no-any-return]

    def eligibility_rules(self, municipality_ags: str) -> RuleSet:
        """The eligibility rule set of a municipality (the default unless a plugin says otherwise)."""
        rules = self._call(
            "integrationsplan_eligibility_rules", municipality_ags=municipality_ags, default=DEFAULT_RULE_SET
        )
        self._check(
            "integrationsplan_eligibility_rules", rules, municipality_ags=municipality_ags, default=DEFAULT_RULE_SET
        )
        return rules  # type: ignore[no-any-return]

    def support_policy(self, municipality_ags: str) -> SupportPolicy:
        """The support policy of a municipality (two-year unless a plugin says otherwise)."""
        policy = self._call("integrationsplan_support_policy", municipality_ags=municipality_ags)
        self._check("integrationsplan_support_policy", policy, municipality_ags=municipality_ags)
        return policy  # type: ignore[no-any-return]

    def service(self, store: PlanStore, *, clock: Clock | None = None) -> PlanService:
        """A plan service whose appends notify the ``integrationsplan_revision_appended`` hook."""
        return PlanService(store, clock=clock, on_appended=self._appended)

    # -- internals ---------------------------------------------------------------------

    def _appended(self, revision: Revision, state: PlanState) -> None:
        try:
            self._hook.integrationsplan_revision_appended(revision=revision, state=state)
        except Exception as error:
            raise PluginError(
                f"revision {revision.number} of plan {revision.plan_id!r} was written, "
                f"but a plugin's integrationsplan_revision_appended failed: {type(error).__name__}"
            ) from error

    def _check(self, hook: str, answer: Any, **kwargs: Any) -> None:
        """Refuse a firstresult answer of the wrong type, naming the plugin that gave it."""
        if not _fits(hook, answer):
            raise PluginError(
                f"plugin {self._culprit(hook, **kwargs)}: {hook} returned a {type(answer).__name__}, "
                f"not a {_SINGLE[hook].__name__}"
            )

    def _lists(self, hook: str, what: str, **kwargs: Any) -> list[Any]:
        answers = self._call(hook, **kwargs)
        if not all(_fits(hook, answer) for answer in answers):
            raise PluginError(
                f"plugin {self._culprit(hook, **kwargs)}: {hook} returned something other than a list of {what} values"
            )
        return [item for answer in answers for item in answer]

    def _culprit(self, hook: str, **kwargs: Any) -> str:
        """Which plugin gives a wrong answer: asked one by one, in the order pluggy asks."""
        for implementation in reversed(getattr(self._hook, hook).get_hookimpls()):
            arguments = {name: kwargs[name] for name in implementation.argnames}
            answer = implementation.function(**arguments)
            if answer is not None and not _fits(hook, answer):
                return self._name(implementation.plugin_name)
        return "(unknown)"

    def _name(self, plugin_name: str) -> str:
        project = self._distributions.get(plugin_name)
        return f"{plugin_name!r}" + (f" (distribution {project[0]} {project[1]})" if project else "")

    def _call(self, name: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._hook, name)(**kwargs)
        except PluginError:
            raise
        except Exception as error:
            raise PluginError(f"a plugin's {name} failed: {type(error).__name__}: {error}") from error


_SINGLE: dict[str, type] = {
    "integrationsplan_office_hours": OfficeHours,
    "integrationsplan_open_store": PlanStore,
    "integrationsplan_eligibility_rules": RuleSet,
    "integrationsplan_support_policy": SupportPolicy,
}
_LISTS: dict[str, type] = {
    "integrationsplan_store_schemes": str,
    "integrationsplan_municipalities": Municipality,
    "integrationsplan_staff": IntegrationManager,
}


def _fits(hook: str, answer: Any) -> bool:
    if hook in _SINGLE:
        return isinstance(answer, _SINGLE[hook])
    kind = _LISTS[hook]
    return isinstance(answer, (list, tuple)) and all(isinstance(item, kind) for item in answer)


def _plugin_name(plugin: object) -> str:
    return getattr(plugin, "__name__", type(plugin).__name__)


def _describe(manager: pluggy.PluginManager, plugin: object) -> str:
    name = manager.get_name(plugin) or _plugin_name(plugin)
    for candidate, dist in manager.list_plugin_distinfo():
        if candidate is plugin:
            return f"{name!r} (distribution {dist.project_name} {dist.version})"
    return repr(name)
