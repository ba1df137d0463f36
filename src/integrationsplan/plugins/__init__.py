"""Plugins: the hook specifications (the contract), the manager, the built-in plugins.

Towns extend the library through [pluggy](https://pluggy.readthedocs.io) hooks, named
``integrationsplan_<what>`` and documented on the plugins page. Mark an implementation
with [`hookimpl`][integrationsplan.hookimpl]; publish it through the entry-point group
``integrationsplan``.
"""

from integrationsplan.plugins.hookspecs import PROJECT, hookimpl, hookspec
from integrationsplan.plugins.manager import AUTOLOAD_ENV, DISABLE_ENV, PluginHost, PluginInfo

__all__ = ["AUTOLOAD_ENV", "DISABLE_ENV", "PROJECT", "PluginHost", "PluginInfo", "hookimpl", "hookspec"]
