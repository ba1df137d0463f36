"""The plugin manager of one application: loading, typed hook calls, blame in one pass.

There is no module-level plugin manager: each [`App`][integrationsplan.App] builds its
own [`PluginHost`][integrationsplan.plugins.PluginHost], which registers the built-in
plugins the same way as third-party ones, loads the entry points of the group
``integrationsplan`` (unless told not to, or one of them is disabled by name), and
refuses implementations of unknown hooks.

Hooks are called through this module, one implementation after another in pluggy's
order, rather than through ``pm.hook.<name>(...)``. That costs nothing and buys one
thing pluggy's call cannot give: when an implementation raises or returns the wrong
type, the error names *that* plugin and its distribution, found in the same pass,
without calling every implementation a second time. The price is that hook wrappers
(``hookwrapper=True`` / ``wrapper=True``) are refused at registration: no hook of this
library needs one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pluggy

from integrationsplan.errors import ConfigurationError, IntegrationsplanError, PluginError
from integrationsplan.plugins import hookspecs
from integrationsplan.plugins.builtin import DEFAULT_PLUGINS

__all__ = ["AUTOLOAD_ENV", "DISABLE_ENV", "PluginHost", "PluginInfo"]

_log = logging.getLogger(__name__)

#: Set to ``1`` to stop loading plugins through entry points.
AUTOLOAD_ENV = "INTEGRATIONSPLAN_DISABLE_PLUGIN_AUTOLOAD"
#: Comma-separated names of entry-point plugins not to load (e.g. a broken one).
DISABLE_ENV = "INTEGRATIONSPLAN_DISABLE_PLUGINS"

#: Errors a plugin raises on purpose pass through as they are: they already say what to do.
_PASS_THROUGH = (IntegrationsplanError,)


@attrs.frozen
class PluginInfo:
    """An active plugin: its name, the distribution it came from, the hooks it implements."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


class PluginHost:
    """The pluggy manager of one application and the typed calls of its hooks.

    ``plugins`` are registered in addition to the built-in ones and those found through
    entry points. ``autoload=False`` (or ``INTEGRATIONSPLAN_DISABLE_PLUGIN_AUTOLOAD=1``)
    skips the entry points; ``disable`` (or ``INTEGRATIONSPLAN_DISABLE_PLUGINS``) skips
    the named ones only.
    """

    def __init__(self, plugins: Iterable[object] = (), *, autoload: bool | None = None, disable: Iterable[str] = ()):
        if autoload is None:
            autoload = os.environ.get(AUTOLOAD_ENV, "").strip().lower() not in ("1", "true", "yes")
        disabled = {*disable, *(name.strip() for name in os.environ.get(DISABLE_ENV, "").split(",") if name.strip())}
        manager = pluggy.PluginManager(hookspecs.PROJECT)
        manager.add_hookspecs(hookspecs)
        for name in sorted(disabled):
            manager.set_blocked(name)
        for name, plugin in DEFAULT_PLUGINS.items():
            manager.register(plugin, name=name)
        self._distributions: dict[str, tuple[str, str]] = {}
        self.disabled = frozenset(disabled)
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
        self.manager = manager
        self._refuse_wrappers()

    def _load_entry_points(self, manager: pluggy.PluginManager) -> None:
        """Load the plugins of the entry-point group, naming the distribution of a failure."""
        import importlib.metadata  # noqa: PLC0415 - only when entry points are loaded

        for distribution in importlib.metadata.distributions():
            project = str(distribution.metadata["name"])
            for entry_point in distribution.entry_points:
                if entry_point.group != hookspecs.PROJECT or manager.has_plugin(entry_point.name):
                    continue
                if manager.is_blocked(entry_point.name):
                    _log.info("plugin %s of distribution %s is disabled", entry_point.name, project)
                    continue
                try:
                    plugin = entry_point.load()
                    manager.register(plugin, name=entry_point.name)
                except Exception as error:
                    raise PluginError(
                        f"plugin {entry_point.name!r} of distribution {project} {distribution.version} "
                        f"failed to load ({type(error).__name__}: {error}); start without it with "
                        f"--disable-plugin {entry_point.name} or {DISABLE_ENV}={entry_point.name}"
                    ) from error
                self._distributions[entry_point.name] = (project, str(distribution.version))
                _log.debug("loaded plugin %s from %s %s", entry_point.name, project, distribution.version)

    def _refuse_wrappers(self) -> None:
        for caller in self.manager.hook.__dict__.values():
            if not isinstance(caller, pluggy.HookCaller):
                continue
            for implementation in caller.get_hookimpls():
                if implementation.hookwrapper or implementation.wrapper:
                    raise PluginError(
                        f"plugin {self.describe(implementation.plugin_name)}: {caller.name} is a hook wrapper; "
                        "integrationsplan calls its hooks one by one and supports no wrappers"
                    )

    # -- what is active -------------------------------------------------------------------

    def infos(self) -> tuple[PluginInfo, ...]:
        """The active plugins and the hooks each implements, sorted by name."""
        infos = []
        for name, plugin in self.manager.list_name_plugin():
            if plugin is None:
                continue
            project, version = self._distributions.get(name, (None, None))
            hooks = tuple(sorted(caller.name for caller in self.manager.get_hookcallers(plugin) or ()))
            infos.append(PluginInfo(name=name, distribution=project, version=version, hooks=hooks))
        return tuple(sorted(infos, key=lambda info: info.name))

    def describe(self, plugin_name: str) -> str:
        """``'name' (distribution project version)``: how errors name a plugin."""
        project = self._distributions.get(plugin_name)
        return f"{plugin_name!r}" + (f" (distribution {project[0]} {project[1]})" if project else "")

    # -- calling hooks ----------------------------------------------------------------------

    def first(self, hook: str, expected: type, **kwargs: Any) -> Any:
        """The first non-``None`` answer of a ``firstresult`` hook, checked to be ``expected``."""
        for name, answer in self._answers(hook, kwargs, first=True):
            if not isinstance(answer, expected):
                raise PluginError(
                    f"plugin {self.describe(name)}: {hook} returned a {type(answer).__name__}, "
                    f"not a {expected.__name__}"
                )
            return answer
        return None

    def collect(self, hook: str, item: type, what: str, **kwargs: Any) -> list[Any]:
        """The items of every plugin's list answer, each checked to be an ``item``."""
        items: list[Any] = []
        for name, answer in self._answers(hook, kwargs, first=False):
            if not isinstance(answer, (list, tuple)) or not all(isinstance(element, item) for element in answer):
                raise PluginError(
                    f"plugin {self.describe(name)}: {hook} returned something other than a list of {what} values"
                )
            items.extend(answer)
        return items

    def notify(self, hook: str, **kwargs: Any) -> None:
        """Call every implementation of an event hook; the first failure is a PluginError naming it."""
        for _ in self._answers(hook, kwargs, first=False):
            pass

    def _answers(self, hook: str, kwargs: Mapping[str, Any], *, first: bool) -> Iterable[tuple[str, Any]]:
        """Each implementation's non-``None`` answer, in pluggy's order (last registered first)."""
        caller: pluggy.HookCaller = getattr(self.manager.hook, hook)
        for implementation in reversed(caller.get_hookimpls()):
            arguments = {name: kwargs[name] for name in implementation.argnames}
            try:
                answer = implementation.function(**arguments)
            except _PASS_THROUGH:
                raise
            except Exception as error:
                raise PluginError(
                    f"plugin {self.describe(implementation.plugin_name)}: {hook} failed "
                    f"({type(error).__name__}); start without it with --disable-plugin "
                    f"{implementation.plugin_name} or {DISABLE_ENV}={implementation.plugin_name}"
                ) from error
            if answer is not None:
                yield implementation.plugin_name, answer
                if first:
                    return


def _plugin_name(plugin: object) -> str:
    return getattr(plugin, "__name__", type(plugin).__name__)


def _describe(manager: pluggy.PluginManager, plugin: object) -> str:
    name = manager.get_name(plugin) or _plugin_name(plugin)
    for candidate, dist in manager.list_plugin_distinfo():
        if candidate is plugin:
            return f"{name!r} (distribution {dist.project_name} {dist.version})"
    return repr(name)


def unknown_scheme(url: object, schemes: Iterable[str]) -> ConfigurationError:
    """The error for a store URL no plugin opens, listing the known schemes."""
    scheme = url.split("://", 1)[0] if isinstance(url, str) and "://" in url else None
    shown = repr(scheme) if scheme is not None and len(scheme) <= 40 else "this URL (no scheme://)"
    return ConfigurationError(f"no store for {shown}; known schemes: {', '.join(s + '://' for s in schemes)}")
