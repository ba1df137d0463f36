"""The built-in plugins, registered like any third-party plugin (last, so others win)."""

from __future__ import annotations

from integrationsplan.plugins.hookspecs import hookimpl
from integrationsplan.rules import NO_RETENTION_PERIOD, TWO_YEAR, RetentionPolicy, RuleSet, SupportPolicy
from integrationsplan.storage import PlanStore
from integrationsplan.storage.keys import KeyProvider, open_builtin_key_provider
from integrationsplan.storage.urls import BUILTIN_SCHEMES, open_builtin_store

__all__ = ["DEFAULT_PLUGINS", "DefaultRules", "DefaultStores"]


class DefaultStores:
    """``memory://``, ``sqlite:///path``, ``postgresql://`` and the ``keyfile://`` key provider."""

    @hookimpl
    def integrationsplan_store_schemes(self) -> list[str]:
        return list(BUILTIN_SCHEMES)

    @hookimpl(trylast=True)
    def integrationsplan_open_store(self, url: str, read_only: bool) -> PlanStore | None:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        return open_builtin_store(url, read_only=read_only) if scheme in BUILTIN_SCHEMES else None

    @hookimpl(trylast=True)
    def integrationsplan_open_key_provider(self, url: str) -> KeyProvider | None:
        return open_builtin_key_provider(url)


class DefaultRules:
    """Baden-Württemberg's default eligibility rules, the two-year support policy, no retention period."""

    @hookimpl(trylast=True)
    def integrationsplan_eligibility_rules(self, default: RuleSet) -> RuleSet | None:
        return default

    @hookimpl(trylast=True)
    def integrationsplan_support_policy(self) -> SupportPolicy | None:
        return TWO_YEAR

    @hookimpl(trylast=True)
    def integrationsplan_retention_policy(self) -> RetentionPolicy | None:
        return NO_RETENTION_PERIOD


#: The built-in plugins with the names they are registered under.
DEFAULT_PLUGINS = {"integrationsplan.stores": DefaultStores(), "integrationsplan.rules": DefaultRules()}
