"""Texts for people and the plan on paper: catalogs, formats, and the printed plan read as a reader would."""

# ruff: noqa: S607 - pdftotext, pdftoppm, pdfinfo and pdffonts are found on the PATH, as a reader's machine has them

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import integrationsplan as ip
from integrationsplan.i18n import LANGUAGES, PLURALS, Message, language, texts
from integrationsplan.i18n._sources import extracted_messages, template_entries
from integrationsplan.services import ManualClock
from integrationsplan.testing.examples import DemoCase, demo_case

LOCALE = Path(ip.__file__).parent / "i18n" / "locale"
ON = dt.date(2024, 2, 1)
IN_CI = bool(os.environ.get("CI"))


# -- catalogs and formats ------------------------------------------------------------------------


@pytest.mark.parametrize("code", [code for code in LANGUAGES if code != "de"])
def test_every_built_in_catalog_translates_every_text(code: str) -> None:
    with (LOCALE / f"{code}.po").open(encoding="utf-8") as handle:
        catalog = read_po(handle)
    wanted = _wanted()
    held = {message.id if isinstance(message.id, str) else message.id[0]: message for message in catalog if message.id}
    assert set(held) == wanted  # no text missing, none left over
    for message in held.values():
        strings = [
            str(string)
            for string in (message.string if isinstance(message.string, tuple | list) else (message.string,))
        ]
        assert all(strings), message.id
        assert not message.fuzzy, message.id
        # A translation keeps every placeholder of the German text, and adds none (a plural
        # form may leave out the number: Arabic writes "one goal" and "two goals" as words).
        if isinstance(message.id, str):
            assert all(_placeholders(string) == _placeholders(message.id) for string in strings), message.id
        else:
            assert all(_placeholders(string) <= _placeholders(message.id[0]) for string in strings), message.id
    t = texts(code)
    for german in wanted - {s for s, _ in PLURALS}:
        assert t(german) != german or german in {"Status", "Person", "Name", "Video", "online"}, german


def _wanted() -> set[str]:
    return {entry if isinstance(entry, str) else entry[0] for entry in template_entries()}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_template_lists_every_text() -> None:
    with (LOCALE / "integrationsplan.pot").open(encoding="utf-8") as handle:
        template = read_po(handle)
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in template if message.id}
    assert ids == _wanted()


def test_messages_made_in_the_source_are_extracted() -> None:
    extracted = set(extracted_messages())
    # The eligibility reasons, the manual override and the work list are all there.
    assert "Seit {day} der Gemeinde zur Anschlussunterbringung zugewiesen." in extracted
    assert "Manuell entschieden von {who} am {day}" in extracted
    assert "Fortschreibung fällig seit {day}" in extracted
    assert len(extracted) >= 25


def test_a_message_is_written_in_each_language_with_its_values() -> None:
    message = Message("Der Aufenthaltsstatus war nur bis {day} gültig.", {"day": dt.date(2023, 3, 15)})
    assert texts("de").render(message) == "Der Aufenthaltsstatus war nur bis 15.03.2023 gültig."
    assert texts("en").render(message) == "The residence status was valid only until 15 Mar 2023."
    assert "2023" in texts("ar").render(message) or "٢٠٢٣" in texts("ar").render(message)
    status = Message("Schutzstatus: {status}.", {"status": ip.ResidenceStatusKind.REFUGEE})
    assert texts("de").render(status) == "Schutzstatus: Flüchtlingseigenschaft."
    assert texts("uk").render(status) == "Статус захисту: статус біженця."
    # A text no catalog knows (a town's own rule) stays German; its values follow the reader.
    own = Message("Dolmetschbudget prüfen bis {day}.", {"day": dt.date(2024, 1, 31)})
    assert texts("en").render(own) == "Dolmetschbudget prüfen bis 31 Jan 2024."
    assert "'day'" in repr(own)
    assert "2024" not in repr(own)


def test_a_message_must_fill_exactly_its_placeholders() -> None:
    with pytest.raises(ip.ValidationError, match="values"):
        Message("Begleitung endet am {day}")
    with pytest.raises(ip.ValidationError, match="values"):
        Message("Begleitung endet", {"day": dt.date(2024, 1, 1)})
    with pytest.raises(ip.ValidationError, match=r"\$\.msgid"):
        Message(42)  # type: ignore[arg-type]
    with pytest.raises(ip.ValidationError, match=r"\$\.msgid"):
        Message("Begleitung endet am {day")
    with pytest.raises(ip.ValidationError, match=r"\$\.values"):
        Message("Begleitung endet am {day}", 5)  # type: ignore[arg-type]


def test_each_catalog_shows_its_review_state() -> None:
    assert LANGUAGES["de"].review_state == "source"
    for code, lang in LANGUAGES.items():
        if code != "de":
            assert lang.review_state == "needs-review"
            assert not lang.reviewed


def test_german_formats_and_plurals() -> None:
    german = texts("de")
    assert german.date(dt.date(2023, 3, 15)) == "15.03.2023"
    assert german.number(1234.5) == "1.234,5"
    assert german.instant(dt.datetime(2026, 11, 25, 20, 43, 55, 601808, tzinfo=dt.UTC)) == "25.11.2026, 21:43"
    assert german.instant(dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)) == "01.07.2026, 10:00"  # summer time
    assert german.plural("{count} Revision", "{count} Revisionen", 1) == "1 Revision"
    assert german.plural("{count} Revision", "{count} Revisionen", 2) == "2 Revisionen"
    assert german.label(ip.GoalArea.LABOUR_MARKET) == "Arbeit und Ausbildung"
    assert german.label(ip.MeasureStatus.PLANNED) == "geplant"


def test_plurals_follow_each_language() -> None:
    ukrainian = texts("uk")
    forms = [ukrainian.plural("{count} Ziel", "{count} Ziele", n) for n in (1, 3, 5, 21)]
    assert forms == ["1 ціль", "3 цілі", "5 цілей", "21 ціль"]
    arabic = texts("ara")
    assert arabic.plural("{count} Ziel", "{count} Ziele", 2) == "هدفان"


def test_languages_are_found_by_catalog_or_iso_639_3_code() -> None:
    assert language("ara").code == "ar"
    assert language("prs").code == "fa"  # Dari is written with the Persian catalog
    assert language("kmr").code == "kmr"
    assert language("ar").right_to_left
    with pytest.raises(ip.ConfigurationError, match="no catalog"):
        language("xx")


def test_a_town_adds_its_own_wording_and_a_language(tmp_path: Path) -> None:
    own = tmp_path / "ar.po"
    own.write_text('msgid ""\nmsgstr ""\n"Language: ar\\n"\n\nmsgid "Kommune"\nmsgstr "المدينة"\n', encoding="utf-8")
    tigrinya = tmp_path / "ti.po"
    tigrinya.write_text(
        '# Review-State: reviewed\n# Reviewed-By: Übersetzungsdienst Göppingen\nmsgid ""\nmsgstr ""\n'
        '"Language: ti\\n"\n\nmsgid "Integrationsplan"\nmsgstr "ትልሚ ምውህሃድ"\n',
        encoding="utf-8",
    )

    class Town:
        @ip.hookimpl
        def integrationsplan_message_catalog(self, language: str) -> str | None:
            return {"ar": str(own), "ti": str(tigrinya)}.get(language)

    app = ip.App([Town()], autoload=False)
    arabic = app.texts("ar")
    assert arabic("Kommune") == "المدينة"  # the town's wording
    assert arabic("Ziel") == "الهدف"  # the rest from the built-in catalog
    ti = app.texts("ti")
    assert ti("Integrationsplan") == "ትልሚ ምውህሃድ"
    assert ti("Ziel") == "Ziel"  # what it lacks falls back to German
    assert ti.language.review_state == "reviewed"


# -- the printed plan ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[ip.App, DemoCase]:
    clock = ManualClock(dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC))
    app = ip.App([_Letterhead()], autoload=False, clock=clock)
    return app, demo_case(app, clock)


class _Letterhead:
    @ip.hookimpl
    def integrationsplan_letterhead(self, municipality_ags: str) -> ip.Letterhead | None:
        logo = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18"/></svg>'
        return ip.Letterhead(("Stadt Eislingen/Fils", "Integrationsmanagement", "Bahnhofstraße 15"), logo)


def test_the_html_holds_german_and_the_persons_language(demo: tuple[ip.App, DemoCase]) -> None:
    app, case = demo
    page = app.print_plan(case.plan_id, language="ar", on=ON, output="html").decode()
    assert '<html lang="de">' in page
    for german, arabic in (("Ziele und Maßnahmen", "الأهداف والإجراءات"), ("Unterschriften", "التواقيع")):
        assert german in page
        assert arabic in page
    assert 'lang="ar" dir="rtl"' in page
    assert "Stadt Eislingen/Fils" in page
    assert "data:image/svg+xml;base64," in page
    state = app.plans.state(case.plan_id)
    for goal in state.plan.goals:
        assert goal.statement.replace("'", "&#x27;") in page
    assert "Die Übersetzung ist noch nicht" in page  # the catalog is not reviewed yet
    assert "labour_market" not in page  # labels, never codes
    german_only = app.print_plan(case.plan_id, language="de", on=ON, output="html").decode()
    assert 'dir="rtl"' not in german_only
    assert "Die Übersetzung" not in german_only


def _tools() -> None:
    missing = [tool for tool in ("pdftotext", "pdftoppm", "pdffonts") if shutil.which(tool) is None]
    try:
        import weasyprint  # noqa: F401, PLC0415
    except (ImportError, OSError):
        missing.append("weasyprint")
    if missing:
        if IN_CI:
            pytest.fail(f"printing needs {', '.join(missing)} (scripts/check installs them)")
        pytest.skip(f"printing needs {', '.join(missing)}: pip install 'integrationsplan[print]', poppler-utils")


def _text(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize(
    ("code", "labels"), [("ar", ("خطة الاندماج", "التواقيع")), ("uk", ("План інтеграції", "Підписи"))]
)
def test_the_pdf_reads_as_the_person_reads_it(
    demo: tuple[ip.App, DemoCase], tmp_path: Path, code: str, labels: tuple[str, ...]
) -> None:
    _tools()
    app, case = demo
    pdf = tmp_path / f"plan-{code}.pdf"
    pdf.write_bytes(app.print_plan(case.plan_id, language=code, on=ON))
    text = _text(pdf)
    for label in ("Integrationsplan", "Ziele und Maßnahmen", "Unterschrift der Person", "Ort, Datum", *labels):
        assert label in text, label
    assert "Find a family doctor." in text  # a goal as agreed
    assert "15.03.2023" in text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout).group(1))  # type: ignore[union-attr]  # fmt: skip
    assert 2 <= pages <= 8
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded


def test_arabic_comes_out_in_logical_order(demo: tuple[ip.App, DemoCase], tmp_path: Path) -> None:
    _tools()
    app, case = demo
    pdf = tmp_path / "plan-ar.pdf"
    pdf.write_bytes(app.print_plan(case.plan_id, language="ar", on=ON))
    text = _text(pdf)
    assert "الأهداف والإجراءات" in text  # as written, first letter first
    assert "الأهداف والإجراءات"[::-1] not in text  # not reversed into visual order


def test_a_page_renders_to_a_picture(demo: tuple[ip.App, DemoCase], tmp_path: Path) -> None:
    _tools()
    app, case = demo
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(app.print_plan(case.plan_id, language="uk", on=ON))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    [picture] = tmp_path.glob("page*.png")
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_plan_print_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from integrationsplan.cli import main  # noqa: PLC0415

    store = tmp_path / "demo.db"
    assert main(["demo", "--keep", str(store)]) == 0
    capsys.readouterr()
    output = tmp_path / "plan.html"
    argv = ["--store", f"sqlite:///{store}", "--today", "2024-02-01", "plan", "print", "ip-08117019-2023-0042"]
    assert main([*argv, "--language", "uk", "--output", str(output)]) == 0
    assert "План інтеграції" in output.read_text(encoding="utf-8")
    assert output.stat().st_mode & 0o077 == 0  # only its owner can read it
    assert main([*argv, "--language", "xx", "--output", str(tmp_path / "x.html")]) == 2
    assert "no catalog" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
