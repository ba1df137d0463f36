"""The plugin system: one test per hook (test_hook_<name>), and what a bad plugin gets."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from pathlib import Path
from typing import Any, ClassVar

import pluggy
import pytest

import integrationsplan as ip
import integrationsplan.rules as ip_rules
import integrationsplan.services as ip_services
from integrationsplan.plugins import hookspecs
from integrationsplan.storage.encrypted import EncryptedStore
from integrationsplan.storage.keys import KeyFileProvider
from integrationsplan.testing.examples import EISLINGEN, EISLINGEN_MANAGER, example_plan

HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("integrationsplan_"))


class Eislingen:
    """A town plugin as a test double."""

    def __init__(self) -> None:
        self.appended: list[tuple[str, int]] = []

    @ip.hookimpl
    def integrationsplan_municipalities(self) -> list[ip.Municipality]:
        return [EISLINGEN]

    @ip.hookimpl
    def integrationsplan_staff(self, municipality_ags: str) -> list[ip.IntegrationManager]:
        return [EISLINGEN_MANAGER] if municipality_ags == EISLINGEN.ags else []

    @ip.hookimpl
    def integrationsplan_eligibility_rules(self, municipality_ags: str, default: ip.RuleSet) -> ip.RuleSet | None:
        return default.drop("support_period") if municipality_ags == EISLINGEN.ags else None

    @ip.hookimpl
    def integrationsplan_support_policy(self, municipality_ags: str) -> ip.SupportPolicy | None:
        return ip.VWV_2023 if municipality_ags == EISLINGEN.ags else None

    @ip.hookimpl
    def integrationsplan_revision_appended(self, revision: ip.Revision) -> None:  # fewer arguments: allowed
        self.appended.append((revision.plan_id, revision.number))


class ArchiveStores:
    @ip.hookimpl
    def integrationsplan_store_schemes(self) -> list[str]:
        return ["archive"]

    @ip.hookimpl
    def integrationsplan_open_store(self, url: str) -> ip.PlanStore | None:
        return ip.MemoryStore() if url.startswith("archive://") else None


def _app(*plugins: object) -> ip.App:
    return ip.App(plugins, autoload=False)


def test_every_hook_has_a_test_and_a_documented_section() -> None:
    tests = {name for name in globals() if name.startswith("test_hook_")}
    assert {f"test_hook_{hook}" for hook in HOOKS} <= tests
    page = (Path(__file__).resolve().parent.parent / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert all(f"## `{hook}`" in page for hook in HOOKS)


def test_hook_integrationsplan_store_schemes() -> None:
    assert _app().store_schemes() == ("memory", "postgres", "postgresql", "sqlite")
    assert _app(ArchiveStores()).store_schemes() == ("archive", "memory", "postgres", "postgresql", "sqlite")


def test_hook_integrationsplan_open_key_provider(tmp_path: Path) -> None:
    opened: list[str] = []

    class Vault:
        @ip.hookimpl
        def integrationsplan_open_key_provider(self, url: str) -> KeyFileProvider | None:
            if not url.startswith("vault://"):
                return None
            opened.append(url)
            return KeyFileProvider(tmp_path)

    app = _app(Vault())
    with app.open_store(f"sqlite:///{tmp_path}/plans.db?keys=vault://eislingen") as store:
        assert isinstance(store, EncryptedStore)
    assert opened == ["vault://eislingen"]
    with pytest.raises(ip.ConfigurationError, match="no key provider for 'kms'"):
        app.open_store("memory://?keys=kms://x")


def test_hook_integrationsplan_plan_accessed() -> None:
    seen: list[tuple[str, str, str]] = []

    class Siem:
        @ip.hookimpl
        def integrationsplan_plan_accessed(self, entry: ip.storage.AccessEntry) -> None:
            seen.append((entry.actor, entry.plan_id, entry.operation))

    plan, day = example_plan(), dt.date(2023, 3, 15)
    app = ip.App([Siem()], autoload=False, actor="eis-im-01", purpose="audit")
    create = ip.CreatePlan(plan.person, plan.municipality_ags, day, day, "eis-im-01")
    app.plans.create_plan("ip-1", create, author="eis-im-01", effective_on=day, reason="r")
    app.plans.state("ip-1")
    assert seen == [("eis-im-01", "ip-1", "read_state")]


def test_hook_integrationsplan_retention_policy() -> None:
    policy = ip.RetentionPolicy(5, "Aktenplan der Stadt, Nr. 4.2")

    class Town:
        @ip.hookimpl
        def integrationsplan_retention_policy(self, municipality_ags: str) -> ip.RetentionPolicy | None:
            return policy if municipality_ags == "08117019" else None

    app = _app(Town())
    assert app.retention_policy("08117019") == policy
    assert app.retention_policy("08111000").years_after_closure is None  # the built-in default keeps plans


def test_hook_integrationsplan_working_hours() -> None:
    mornings = ip.WorkingHours(
        timetables=(
            ip.Timetable(dt.date(2024, 1, 1), tuple(ip.WeeklySlot(day, dt.time(8), dt.time(12)) for day in ip.Weekday)),
        ),
        absences=(ip.Absence(dt.date(2026, 12, 24), dt.date(2027, 1, 6)),),
    )

    class Roster:
        @ip.hookimpl
        def integrationsplan_working_hours(self, municipality_ags: str, manager_id: str) -> ip.WorkingHours | None:
            return mornings if manager_id == "eis-im-02" else None

    app = ip.App([Roster()], autoload=False)
    assert app.working_hours("08117019", "eis-im-02") == mornings
    assert app.working_hours("08117019", "eis-im-01") == ip.domain.DEFAULT_WORKING_HOURS


def test_hook_integrationsplan_letterhead() -> None:
    letterhead = ip.Letterhead(("Stadt Eislingen/Fils", "Integrationsmanagement"), b"\x89PNG\r\n\x1a\n" + b"0" * 20)

    class Town:
        @ip.hookimpl
        def integrationsplan_letterhead(self, municipality_ags: str) -> ip.Letterhead | None:
            return letterhead if municipality_ags == "08117019" else None

    app = _app(Town())
    assert app.letterhead("08117019") == letterhead
    assert app.letterhead("08117019").logo_type == "image/png"  # type: ignore[union-attr]
    assert app.letterhead("08111000") is None
    with pytest.raises(ip.ValidationError, match="PNG or an SVG"):
        ip.Letterhead(("x",), b"GIF89a")


def test_hook_integrationsplan_message_catalog(tmp_path: Path) -> None:
    catalog = tmp_path / "uk.po"
    catalog.write_text('msgid ""\nmsgstr ""\n\nmsgid "Kommune"\nmsgstr "Місто"\n', encoding="utf-8")

    class Town:
        @ip.hookimpl
        def integrationsplan_message_catalog(self, language: str) -> str | None:
            return str(catalog) if language == "uk" else None

    app = _app(Town())
    assert app.texts("uk")("Kommune") == "Місто"
    assert app.texts("uk")("Ziel") == "Ціль"  # the built-in catalog for the rest
    assert app.texts("ar")("Kommune") == "البلدية"  # other languages untouched


def test_hook_integrationsplan_open_store(tmp_path: Path) -> None:
    app = _app(ArchiveStores())
    assert isinstance(app.open_store("archive://plans"), ip.MemoryStore)
    with app.open_store(f"sqlite:///{tmp_path}/p.db") as store:
        assert store.plans() == []
    with pytest.raises(
        ip.ConfigurationError,
        match=r"no store for 'ftp'; known schemes: archive://, memory://, postgres://, postgresql://, sqlite://",
    ):
        app.open_store("ftp://x")


def test_hook_integrationsplan_municipalities() -> None:
    assert _app().municipalities() == ()
    app = _app(Eislingen())
    assert app.municipalities() == (EISLINGEN,)
    assert app.municipality("08117019").name == "Eislingen/Fils"
    with pytest.raises(ip.ConfigurationError, match="no plugin provides municipality 08111000"):
        app.municipality("08111000")


def test_hook_integrationsplan_staff() -> None:
    app = _app(Eislingen())
    assert app.staff("08117019") == (EISLINGEN_MANAGER,)
    assert app.staff("08111000") == ()


def test_hook_integrationsplan_office_hours() -> None:
    from integrationsplan.testing.examples import EISLINGEN_OFFICE_HOURS  # noqa: PLC0415

    class Hours:
        @ip.hookimpl
        def integrationsplan_office_hours(self, municipality_ags: str) -> ip.OfficeHours | None:
            return EISLINGEN_OFFICE_HOURS if municipality_ags == EISLINGEN.ags else None

    app = _app(Hours())
    assert app.office_hours("08117019") is EISLINGEN_OFFICE_HOURS
    with pytest.raises(ip.ConfigurationError, match="no plugin provides office hours for municipality 08111000"):
        app.office_hours("08111000")


def test_hook_integrationsplan_eligibility_rules() -> None:
    app = _app(Eislingen())
    assert [rule.code for rule in app.eligibility_rules("08117019").rules] == ["follow_up_housing", "prospects"]
    assert app.eligibility_rules("08111000") == ip_rules.DEFAULT_RULE_SET
    assert _app().eligibility_rules("08117019") == ip_rules.DEFAULT_RULE_SET


def test_hook_integrationsplan_support_policy() -> None:
    assert _app(Eislingen()).support_policy("08117019") is ip.VWV_2023
    assert _app(Eislingen()).support_policy("08111000") is ip.TWO_YEAR


def test_hook_integrationsplan_revision_appended() -> None:
    town = Eislingen()
    app = _app(town)
    service = app.service(ip.MemoryStore(), clock=ip_services.ManualClock(dt.datetime(2023, 3, 15, tzinfo=dt.UTC)))
    plan = example_plan()
    day = dt.date(2023, 3, 15)
    service.create_plan(
        plan.id, ip.CreatePlan(plan.person, plan.municipality_ags, day, day), author="m", effective_on=day, reason="r"
    )
    service.revise(plan.id, ip.AssignManager("eis-im-02"), base=1, author="m", effective_on=day, reason="r")
    assert town.appended == [(plan.id, 1), (plan.id, 2)]


def test_a_failing_notification_says_the_revision_was_written() -> None:
    class Broken:
        @ip.hookimpl
        def integrationsplan_revision_appended(self) -> None:
            raise RuntimeError("audit log down")

    service = _app(Broken()).service(ip.MemoryStore())
    plan = example_plan()
    day = dt.date(2023, 3, 15)
    with pytest.raises(ip.PluginError, match=r"revision 1 of plan .* was written"):
        service.create_plan(
            plan.id,
            ip.CreatePlan(plan.person, plan.municipality_ags, day, day),
            author="m",
            effective_on=day,
            reason="r",
        )
    assert service.state(plan.id).revision == 1


def test_an_unknown_hook_is_refused() -> None:
    class Typo:
        @ip.hookimpl
        def integrationsplan_municipality(self) -> list[ip.Municipality]:
            return []

    with pytest.raises(ip.PluginError, match="unknown hook"):
        _app(Typo())


def test_a_wrong_return_type_names_the_hook() -> None:
    class Wrong:
        @ip.hookimpl
        def integrationsplan_municipalities(self) -> Any:
            return ["08117019"]

        @ip.hookimpl
        def integrationsplan_support_policy(self) -> Any:
            return "vwv-2023"

    app = _app(Wrong())
    with pytest.raises(ip.PluginError, match=r"plugin '\d+': .*list of municipality values"):
        app.municipalities()
    with pytest.raises(ip.PluginError, match="integrationsplan_support_policy returned a str"):
        app.support_policy("08117019")
    named = ip.App([], autoload=False)
    named.plugin_manager.register(Wrong(), name="wrong-town")
    with pytest.raises(ip.PluginError, match="plugin 'wrong-town': integrationsplan_support_policy returned a str"):
        named.support_policy("08117019")


def test_a_plugin_that_raises_is_a_plugin_error() -> None:
    class Raises:
        @ip.hookimpl
        def integrationsplan_staff(self) -> list[ip.IntegrationManager]:
            raise KeyError("x")

    with pytest.raises(ip.PluginError, match=r"integrationsplan_staff failed \(KeyError\); start without it"):
        _app(Raises()).staff("08117019")


def test_plugins_lists_builtins_and_their_hooks() -> None:
    infos = {info.name: info for info in _app(ArchiveStores()).plugins()}
    assert infos["integrationsplan.stores"].hooks == (
        "integrationsplan_open_key_provider",
        "integrationsplan_open_store",
        "integrationsplan_store_schemes",
    )
    assert infos["integrationsplan.rules"].distribution is None
    assert any(
        info.hooks == ("integrationsplan_open_store", "integrationsplan_store_schemes") for info in infos.values()
    )


class _FakeEntryPoint:
    group = "integrationsplan"
    name = "broken"
    value = "broken_town_plugin"

    def load(self) -> object:
        raise ImportError("No module named 'broken_town_plugin'")


class _GoodEntryPoint:
    group = "integrationsplan"
    name = "archive"
    value = "tests.archive"

    def load(self) -> object:
        return ArchiveStores()


class _GoodDistribution:
    entry_points = (_GoodEntryPoint(),)
    metadata: ClassVar[dict[str, str]] = {"name": "integrationsplan-archive"}
    version = "2.1"


def test_entry_point_plugins_are_loaded_with_their_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: [_GoodDistribution()])
    app = ip.App()
    assert "archive" in app.store_schemes()
    info = next(info for info in app.plugins() if info.name == "archive")
    assert (info.distribution, info.version) == ("integrationsplan-archive", "2.1")


class _FakeDistribution:
    entry_points = (_FakeEntryPoint(),)
    metadata: ClassVar[dict[str, str]] = {"name": "integrationsplan-broken"}
    version = "1.0"


def test_a_plugin_that_fails_to_import_stops_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: [_FakeDistribution()])
    with pytest.raises(
        ip.PluginError,
        match=r"plugin 'broken' of distribution integrationsplan-broken 1.0 failed to load.*broken_town_plugin",
    ):
        ip.App()
    monkeypatch.setenv("INTEGRATIONSPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert ip.App().store_schemes() == ("memory", "postgres", "postgresql", "sqlite")


def test_each_app_has_its_own_plugin_manager() -> None:
    first, second = _app(Eislingen()), _app()
    assert first.plugin_manager is not second.plugin_manager
    assert isinstance(first.plugin_manager, pluggy.PluginManager)
    assert second.municipalities() == ()
