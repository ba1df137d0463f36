"""The built-in plugins, registered like any third-party plugin (last, so others win)."""

from __future__ import annotations

from integrationsplan.hookspecs import hookimpl
from integrationsplan.rules import TWO_YEAR, RuleSet, SupportPolicy
from integrationsplan.storage import PlanStore
from integrationsplan.storage.urls import open_store

__all__ = ["DefaultRules", "DefaultStores"]


class DefaultStores:
    """``memory://`` and ``sqlite:///path``."""

    @hookimpl
    def integrationsplan_store_schemes(self) -> list[str]:
        return ["memory", "sqlite"]

    @hookimpl(trylast=True)
    def integrationsplan_open_store(self, url: str) -> PlanStore | None:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        return open_store(url) if scheme in ("memory", "sqlite") else None


class DefaultRules:
    """Baden-Württemberg's default eligibility rules and the two-year support policy."""

    @hookimpl(trylast=True)
    def integrationsplan_eligibility_rules(self, default: RuleSet) -> RuleSet | None:
        return default

    @hookimpl(trylast=True)
    def integrationsplan_support_policy(self) -> SupportPolicy | None:
        return TWO_YEAR


#: The built-in plugins with the names they are registered under.
DEFAULT_PLUGINS = {"integrationsplan.stores": DefaultStores(), "integrationsplan.rules": DefaultRules()}
