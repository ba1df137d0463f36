"""The plugin manager and the application object that owns it.

There is no module-level plugin manager: each :class:`App` builds its own, registers the
built-in plugins the same way as third-party ones, loads the entry points of the group
``integrationsplan`` (unless told not to), and refuses implementations of unknown hooks.
Every hook call goes through a small typed method that checks what the plugin returned,
so a faulty plugin is a :class:`~integrationsplan.errors.PluginError` naming the plugin
and its distribution — never a half-initialised application.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import pluggy

from integrationsplan import hookspecs
from integrationsplan.builtin_plugins import DEFAULT_PLUGINS
from integrationsplan.clock import Clock
from integrationsplan.domain import IntegrationManager, Municipality, PlanState, Revision, is_ags
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
        if autoload:
            try:
                manager.load_setuptools_entrypoints(hookspecs.PROJECT)
            except Exception as error:
                raise PluginError(
                    f"a plugin of the entry-point group 'integrationsplan' failed to load: {error!r}"
                ) from error
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

    # -- what the plugins provide ------------------------------------------------------

    def plugins(self) -> tuple[PluginInfo, ...]:
        """The active plugins and the hooks each implements."""
        distributions = {id(plugin): dist for plugin, dist in self.plugin_manager.list_plugin_distinfo()}
        infos = []
        for name, plugin in self.plugin_manager.list_name_plugin():
            if plugin is None:
                continue
            dist = distributions.get(id(plugin))
            hooks = tuple(sorted(caller.name for caller in self.plugin_manager.get_hookcallers(plugin) or ()))
            infos.append(
                PluginInfo(
                    name=name,
                    distribution=None if dist is None else dist.project_name,
                    version=None if dist is None else dist.version,
                    hooks=hooks,
                )
            )
        return tuple(sorted(infos, key=lambda info: info.name))

    def store_schemes(self) -> tuple[str, ...]:
        """Every URL scheme a plugin (or the library) opens stores for."""
        schemes = self._call("integrationsplan_store_schemes")
        return tuple(sorted({scheme for answer in schemes for scheme in _list_of(answer, str, "scheme")}))

    def open_store(self, url: str) -> PlanStore:
        """Open a store by URL through the plugins (built-in: ``memory://``, ``sqlite:///``)."""
        store = self._call("integrationsplan_open_store", url=url)
        if store is None:
            scheme = url.split("://", 1)[0] if isinstance(url, str) and "://" in url else url
            raise ConfigurationError(
                f"no store for {scheme!r}; known schemes: {', '.join(s + '://' for s in self.store_schemes())}"
            )
        if not isinstance(store, PlanStore):
            raise PluginError(f"integrationsplan_open_store returned a {type(store).__name__}, not a PlanStore")
        return store

    def municipalities(self) -> tuple[Municipality, ...]:
        """Every municipality the plugins provide, by AGS; two plugins may not both claim one."""
        seen: dict[str, Municipality] = {}
        for answer in self._call("integrationsplan_municipalities"):
            for municipality in _list_of(answer, Municipality, "municipality"):
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
        answers = self._call("integrationsplan_staff", municipality_ags=municipality_ags)
        managers = [m for answer in answers for m in _list_of(answer, IntegrationManager, "integration manager")]
        return tuple(sorted(managers, key=lambda manager: manager.staff_id))

    def eligibility_rules(self, municipality_ags: str) -> RuleSet:
        """The eligibility rule set of a municipality (the default unless a plugin says otherwise)."""
        rules = self._call(
            "integrationsplan_eligibility_rules", municipality_ags=municipality_ags, default=DEFAULT_RULE_SET
        )
        if not isinstance(rules, RuleSet):
            raise PluginError(f"integrationsplan_eligibility_rules returned a {type(rules).__name__}, not a RuleSet")
        return rules

    def support_policy(self, municipality_ags: str) -> SupportPolicy:
        """The support policy of a municipality (two-year unless a plugin says otherwise)."""
        policy = self._call("integrationsplan_support_policy", municipality_ags=municipality_ags)
        if not isinstance(policy, SupportPolicy):
            raise PluginError(
                f"integrationsplan_support_policy returned a {type(policy).__name__}, not a SupportPolicy"
            )
        return policy

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

    def _call(self, name: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._hook, name)(**kwargs)
        except PluginError:
            raise
        except Exception as error:
            raise PluginError(f"a plugin's {name} failed: {type(error).__name__}: {error}") from error


def _list_of(answer: Any, kind: type, what: str) -> Sequence[Any]:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(item, kind) for item in answer):
        raise PluginError(f"a plugin returned {type(answer).__name__} where a list of {what} values was expected")
    return answer


def _plugin_name(plugin: object) -> str:
    return getattr(plugin, "__name__", type(plugin).__name__)


def _describe(manager: pluggy.PluginManager, plugin: object) -> str:
    name = manager.get_name(plugin) or _plugin_name(plugin)
    for candidate, dist in manager.list_plugin_distinfo():
        if candidate is plugin:
            return f"{name!r} (distribution {dist.project_name} {dist.version})"
    return repr(name)
