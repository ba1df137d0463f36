"""The plan on paper: the current integration plan as a document for signature.

The municipal page says the integration plan fixes personal data and goals "in writing".
[`plan_html`][integrationsplan.reports.printable.plan_html] writes that document as HTML:
German first, and — for a person who reads another language better — every heading,
label and status also in that language, beside or below the German, set right to left
for Arabic and Persian. What the manager and the person wrote themselves (goal
statements, measures, names) is shown as written: the library translates its own texts,
not theirs. [`plan_pdf`][integrationsplan.reports.printable.plan_pdf] renders it with
WeasyPrint (the extra ``print``), embedding the fonts, with Pango shaping Arabic script.

The document holds the municipality (with its letterhead), the manager and the person;
competencies, schooling and qualifications with their recognition state; every goal with
its measures, who is responsible and by when; a timeline of the support period with the
goals' target dates and today; the consent and data-protection notice; and signature
lines with place and date. An unreviewed translation says so on the page.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import html
from collections.abc import Callable, Iterable

from integrationsplan.domain import (
    Competency,
    Goal,
    GoalArea,
    LanguageSkill,
    Letterhead,
    OtherSkill,
    Schooling,
    VocationalQualification,
    WorkExperience,
)
from integrationsplan.errors import ConfigurationError
from integrationsplan.i18n import Texts, texts
from integrationsplan.rules import SupportPeriod
from integrationsplan.services.plans import PlanView

__all__ = ["plan_html", "plan_pdf"]

_NONE = "\u2013"  # an en dash: no date

_STYLE = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
body { font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 9.5pt; color: #111; line-height: 1.35; }
[dir=rtl], .rtl { font-family: 'Noto Naskh Arabic', 'Noto Sans Arabic', 'DejaVu Sans', serif; }
h1 { font-size: 17pt; margin: 0 0 2mm 0; }
h2 { font-size: 12pt; margin: 6mm 0 2mm 0; border-bottom: 0.6pt solid #999; padding-bottom: 1mm; }
.tr { display: block; color: #333; font-size: 0.92em; }
h1 .tr, h2 .tr { font-weight: normal; }
header { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 6mm; }
header img { max-height: 18mm; max-width: 50mm; }
.letterhead { font-size: 8.5pt; color: #333; text-align: right; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0; }
th, td { text-align: start; vertical-align: top; padding: 1.2mm 1.5mm; border-bottom: 0.4pt solid #ccc; }
th { width: 34%; font-weight: 600; }
.goal { page-break-inside: avoid; margin: 3mm 0 4mm 0; padding: 2mm 3mm; border: 0.6pt solid #aaa; }
.goal h3 { margin: 0 0 1mm 0; font-size: 10.5pt; }
.statement { font-size: 10pt; margin: 1mm 0 2mm 0; }
.measures th { width: auto; font-size: 8.5pt; }
.review { border: 0.6pt solid #b60; color: #7a3d00; padding: 1.5mm 2mm; margin: 3mm 0; font-size: 8.5pt; }
.signatures { display: flex; gap: 10mm; margin-top: 14mm; page-break-inside: avoid; }
.signatures div { flex: 1; }
.line { border-top: 0.6pt solid #000; margin-top: 16mm; padding-top: 1mm; font-size: 8.5pt; }
.timeline { margin: 2mm 0 1mm 0; }
.muted { color: #666; }
"""


def plan_html(
    view: PlanView,
    *,
    language: str = "de",
    today: dt.date | None = None,
    letterhead: Letterhead | None = None,
    person_texts: Texts | None = None,
) -> str:
    """The plan of ``view`` as an HTML document in German and ``language`` (see the module documentation).

    ``person_texts`` overrides the catalog of ``language`` (a town's own texts, see
    [`App.texts`][integrationsplan.App.texts]); ``today`` defaults to the view's day.
    """
    german = texts("de")
    other = person_texts if person_texts is not None else texts(language)
    bilingual = other.code != "de"
    page = _Page(german, other if bilingual else None)
    state, plan = view.state, view.state.plan
    shown_today = today or view.on
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="de"><head><meta charset="utf-8"><title>{page.plain("Integrationsplan")} {_e(plan.id)}</title>',
        f"<style>{_STYLE}</style></head><body>",
        _letterhead(letterhead, view),
        f"<h1>{page.both('Integrationsplan')}</h1>",
        f"<p>{page.both('Vereinbarung zwischen der Person und dem Integrationsmanagement')}</p>",
    ]
    if bilingual and not other.language.reviewed:
        note = "Die Übersetzung ist noch nicht von einer Muttersprachlerin oder einem Muttersprachler geprüft."
        out.append(f'<p class="review">{page.both(note)}</p>')
    out.append("<table>")
    out.append(page.row("Plan-Nr.", _e(plan.id)))
    out.append(page.row("erstellt am", page.date(plan.drawn_up_on)))
    out.append(page.row("Stand", f"{page.date(state.effective_on)} (Revision {state.revision})"))
    municipality = view.municipality.name if view.municipality is not None else plan.municipality_ags
    out.append(page.row("Kommune", _e(municipality)))
    manager = view.manager.name if view.manager is not None else (plan.manager_id or "")
    out.append(page.row("Integrationsmanager/in", _e(manager) or page.both("keine Angaben")))
    out.append("</table>")
    out += _person(page, view)
    out += _competencies(page, plan.competencies)
    out += _goals(page, plan.goals)
    out += _timeline(page, view.support_period, plan.goals, shown_today)
    out += [
        f"<h2>{page.both('Einwilligung und Datenschutz')}</h2>",
        f"<p>{page.both('Die Einwilligung in die Beratung wurde am {date} erteilt.', date=state.consent_given_on)}</p>",
        f"<p>{page.both(_NOTICE)}</p>",
        f"<p>{page.both('Dieser Plan wird fortgeschrieben: Änderungen werden mit Datum festgehalten.')}</p>",
        f"<h2>{page.both('Unterschriften')}</h2>",
        '<div class="signatures">',
        _signature(page, "Unterschrift der Person"),
        _signature(page, "Unterschrift Integrationsmanager/in"),
        "</div>",
        "</body></html>",
    ]
    return "\n".join(out)


_NOTICE = (
    "Die Stadt verarbeitet Ihre Angaben nur für das Integrationsmanagement: Ihre Beratung "
    "und Begleitung nach diesem Plan. Sie werden verschlüsselt gespeichert und nur mit Ihrer "
    "Einwilligung an andere Stellen weitergegeben. Sie können Auskunft, Berichtigung und "
    "Löschung verlangen und Ihre Einwilligung jederzeit widerrufen."
)


def plan_pdf(document: str) -> bytes:
    """The HTML of [`plan_html`][integrationsplan.reports.printable.plan_html] as a PDF, fonts embedded.

    Needs WeasyPrint (``pip install "integrationsplan[print]"``) and the machine's Pango
    and fonts (Noto Sans and Noto Naskh Arabic for every built-in language).
    """
    try:
        import weasyprint  # noqa: PLC0415 - an optional dependency, only for printing
    except (ImportError, OSError) as missing:
        raise ConfigurationError(
            'printing a plan needs WeasyPrint and Pango: pip install "integrationsplan[print]" '
            f"({type(missing).__name__})"
        ) from None
    data: bytes = weasyprint.HTML(string=document).write_pdf()
    return data


class _Page:
    """Renders a message in German and, below it, in the person's language."""

    def __init__(self, german: Texts, other: Texts | None) -> None:
        self.german = german
        self.other = other

    def plain(self, message: str) -> str:
        return _e(self.german(message))

    def both(self, message: str, **values: object) -> str:
        shown = {key: self.german.date(v) if isinstance(v, dt.date) else v for key, v in values.items()}
        text = _e(self.german(message, **shown))
        if self.other is None:
            return text
        shown = {key: self.other.date(v) if isinstance(v, dt.date) else v for key, v in values.items()}
        return text + self._translated(self.other(message, **shown))

    def each(self, render: Callable[[Texts], str]) -> str:
        """A text composed per language: German, and below it the same built in the other language."""
        text = _e(render(self.german))
        if self.other is None:
            return text
        return text + self._translated(render(self.other))

    def label(self, member: enum.Enum) -> str:
        text = _e(self.german.label(member))
        if self.other is None:
            return text
        return text + self._translated(self.other.label(member))

    def date(self, day: dt.date | None) -> str:
        if day is None:
            return _NONE
        text = _e(self.german.date(day))
        if self.other is None or self.other.date(day) == self.german.date(day):
            return text
        return text + self._translated(self.other.date(day))

    def row(self, label: str, value: str) -> str:
        return f"<tr><th>{self.both(label)}</th><td>{value}</td></tr>"

    def _translated(self, text: str) -> str:
        assert self.other is not None  # noqa: S101
        return f'<span class="tr" lang="{self.other.code}" dir="{self.other.direction}">{_e(text)}</span>'


def _signature(page: _Page, who: str) -> str:
    return f'<div><div class="line">{page.both("Ort, Datum")}</div><div class="line">{page.both(who)}</div></div>'


def _letterhead(letterhead: Letterhead | None, view: PlanView) -> str:
    if letterhead is None:
        name = view.municipality.name if view.municipality is not None else view.state.plan.municipality_ags
        return f'<header><div></div><div class="letterhead">{_e(name)}</div></header>'
    logo = ""
    if letterhead.logo is not None:
        data = base64.b64encode(letterhead.logo).decode()
        logo = f'<img alt="" src="data:{letterhead.logo_type};base64,{data}">'
    lines = "<br>".join(_e(line) for line in letterhead.lines)
    return f'<header><div>{logo}</div><div class="letterhead">{lines}</div></header>'


def _person(page: _Page, view: PlanView) -> list[str]:
    person = view.state.plan.person
    name = person.name
    written = " ".join(part for part in (name.given_names, name.family_name) if part)
    latin = " ".join(part for part in (name.latin_given_names, name.latin_family_name) if part)
    shown = _e(written) + (f"<br>{_e(latin)}" if latin and latin != written else "")
    rows = [
        f"<h2>{page.both('Person')}</h2>",
        "<table>",
        page.row("Name", f'<span dir="auto">{shown}</span>'),
        page.row("Geschlecht", page.label(person.sex)),
    ]
    if person.date_of_birth is not None:
        rows.append(page.row("Geburtsdatum", _e(_partial(person.date_of_birth))))
    rows.append(page.row("Staatsangehörigkeit", _e(", ".join(person.nationalities))))
    if person.languages:
        rows.append(page.row("Sprachen", _e(", ".join(person.languages))))
    status = person.residence_status
    if status is not None:
        rows.append(page.row("Aufenthaltsstatus", page.label(status.kind)))
        if status.valid_until is not None:
            rows.append(page.row("gültig bis", page.date(status.valid_until)))
    rows.append("</table>")
    return rows


def _partial(value: object) -> str:
    year, month, day = (getattr(value, part) for part in ("year", "month", "day"))
    if day is not None and month is not None:
        return f"{day:02d}.{month:02d}.{year}"
    if month is not None:
        return f"{month:02d}.{year}"
    return str(year)


def _competencies(page: _Page, competencies: Iterable[Competency]) -> list[str]:
    items = list(competencies)
    out = [f"<h2>{page.both('Kompetenzen und Qualifikationen')}</h2>"]
    if not items:
        return [*out, f"<p class='muted'>{page.both('keine Angaben')}</p>"]
    return [*out, "<table>", *(_competency(page, item) for item in items), "</table>"]


def _competency(page: _Page, item: Competency) -> str:
    if isinstance(item, LanguageSkill):
        level = item.overall.value if item.overall is not None else _NONE
        return page.row("Sprachkenntnisse", f"{_e(item.language)}: {_e(level)}")
    if isinstance(item, Schooling):
        certificate = f", {_e(item.highest_certificate)}" if item.highest_certificate else ""
        return page.row("Schulbildung", f"{_e(item.country)}, {item.years} J.{certificate}")
    if isinstance(item, VocationalQualification):
        value = f"{_e(item.title)} ({_e(item.country)})<br>{page.label(item.kind)}"
        if item.recognition is not None:
            state = item.recognition.state
            value += "<br>" + page.each(lambda t: f"{t('Anerkennung')}: {t.label(state)}")
        return page.row("Berufliche Qualifikation", value)
    if isinstance(item, WorkExperience):
        return page.row("Berufserfahrung", f"{_e(item.occupation)} ({_e(item.country or '')}, {item.years} J.)")
    assert isinstance(item, OtherSkill)  # noqa: S101 - the last kind of competency
    return page.row("Weitere Fähigkeiten", _e(item.detail))


def _goals(page: _Page, goals: Iterable[Goal]) -> list[str]:
    out = [f"<h2>{page.both('Ziele und Maßnahmen')}</h2>"]
    shown = list(goals)
    if not shown:
        return [*out, f"<p class='muted'>{page.both('keine Angaben')}</p>"]
    for number, goal in enumerate(shown, start=1):
        out += [
            '<div class="goal">',
            f"<h3>{page.each(_goal_heading(number, goal.area))}</h3>",
            f'<p class="statement" dir="auto">{_e(goal.statement)}</p>',
            "<table>",
            page.row("Zieldatum", page.date(goal.target_date)),
            page.row("Status", page.label(goal.status)),
            "</table>",
        ]
        if goal.measures:
            out.append('<table class="measures"><tr>')
            out += [f"<th>{page.both(head)}</th>" for head in ("Maßnahme", "Verantwortlich", "bis", "Status")]
            out.append("</tr>")
            for measure in goal.measures:
                who = page.label(measure.responsible.party)
                if measure.responsible.service:
                    who += f"<br>{_e(measure.responsible.service)}"
                out.append(
                    f'<tr><td dir="auto">{_e(measure.description)}</td><td>{who}</td>'
                    f"<td>{page.date(measure.due_on)}</td><td>{page.label(measure.status)}</td></tr>"
                )
            out.append("</table>")
        out.append("</div>")
    return out


def _timeline(page: _Page, period: SupportPeriod | None, goals: Iterable[Goal], today: dt.date) -> list[str]:
    """An SVG timeline: the support period as a bar, the goals' target dates, and today."""
    out = [f"<h2>{page.both('Zeitplan der Begleitung')}</h2>"]
    if period is None:
        return [*out, f"<p class='muted'>{page.both('keine Angaben')}</p>"]
    start, end = period.start, period.last_day
    dated = [(number, goal.target_date) for number, goal in enumerate(goals, start=1) if goal.target_date]
    first = min([start, today, *(day for _, day in dated)])
    last = max([end, today, *(day for _, day in dated)])
    span = max((last - first).days, 1)
    width, left, right = 680.0, 20.0, 20.0

    def x(day: dt.date) -> float:
        return left + (width - left - right) * (day - first).days / span

    bar = f'x="{x(start):.1f}" y="38" width="{x(end) - x(start):.1f}" height="14"'
    svg = (
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="96" '
        f'viewBox="0 0 {width:.0f} 96" font-family="Noto Sans, DejaVu Sans" font-size="9">'
    )
    parts = [
        svg,
        f'<rect {bar} fill="#cfe3f5" stroke="#3a6f9f"/>',
        f'<text x="{x(start):.1f}" y="66">{_e(page.german.date(start))}</text>',
        f'<text x="{x(end):.1f}" y="66" text-anchor="end">{_e(page.german.date(end))}</text>',
    ]
    for number, day in dated:
        mark = f'x1="{x(day):.1f}" y1="30" x2="{x(day):.1f}" y2="56"'
        parts.append(f'<line {mark} stroke="#b35900" stroke-width="1.5"/>')
        parts.append(f'<text x="{x(day):.1f}" y="26" text-anchor="middle" fill="#b35900">{number}</text>')
    now = f'x1="{x(today):.1f}" y1="10" x2="{x(today):.1f}" y2="80"'
    parts.append(f'<line {now} stroke="#c00" stroke-width="1.2" stroke-dasharray="3,2"/>')
    parts.append(f'<text x="{x(today):.1f}" y="92" text-anchor="middle" fill="#c00">{_e(page.german("heute"))}</text>')
    parts.append("</svg>")
    out.append("".join(parts))
    rows = [
        page.row("Beginn der Begleitung", page.date(start)),
        page.row("Ende der Begleitung", page.date(end)),
        page.row("heute", page.date(today)),
    ]
    rows += [f"<tr><th>{page.each(_target_of(number))}</th><td>{page.date(day)}</td></tr>" for number, day in dated]
    out.append("<table>" + "".join(rows) + "</table>")
    return out


def _goal_heading(number: int, area: GoalArea) -> Callable[[Texts], str]:
    def heading(t: Texts) -> str:
        return f"{t('Ziel')} {number}: {t.label(area)}"

    return heading


def _target_of(number: int) -> Callable[[Texts], str]:
    def target(t: Texts) -> str:
        return f"{t('Ziel')} {number}: {t('Zieldatum')}"

    return target


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
