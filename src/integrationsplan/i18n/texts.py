"""Texts in one language: translated messages and labels, dates, instants and numbers.

A [`Texts`][integrationsplan.i18n.Texts] is bound to one language and renders everything a
person reads the way that language writes it: ``15.03.2023`` and ``1.234,5`` in German
(the CLDR data of Babel), instants in the office's time zone (Europe/Berlin) without
seconds, plurals by the language's own rules (``1 Revision``, ``2 Revisionen``; Arabic has
six forms). Unknown texts fall back to the German source, never to a code.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from typing import TYPE_CHECKING

from integrationsplan.i18n.catalogs import LANGUAGES, Language, language, translations
from integrationsplan.i18n.messages import CHANGE_LABELS, Message, MessageValue, label_de

if TYPE_CHECKING:
    from babel.support import Translations

__all__ = ["BERLIN", "Texts", "Worded", "in_language", "texts"]

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


class Texts:
    """Messages, labels and formats of one language (see the module documentation)."""

    def __init__(self, lang: Language, extra: Translations | None = None, *, timezone: str = "Europe/Berlin") -> None:
        self.language = lang
        built_in = translations(lang.code) if lang.code in LANGUAGES else None
        catalog = built_in
        if extra is not None:
            if built_in is None:
                catalog = extra
            else:
                from babel.support import Translations  # noqa: PLC0415 - see below

                catalog = Translations(domain="integrationsplan")
                catalog.merge(built_in)
                catalog.merge(extra)
        self._catalog = catalog
        self.zone = zoneinfo.ZoneInfo(timezone)

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``: the HTML ``dir`` of the language's script."""
        return "rtl" if self.language.right_to_left else "ltr"

    def __call__(self, message: str, **values: object) -> str:
        """The translated message, with ``{name}`` placeholders filled in."""
        text = message if self._catalog is None else self._catalog.ugettext(message)
        return text.format(**values) if values else text

    def render(self, message: Message) -> str:
        """A [`Message`][integrationsplan.i18n.Message] in this language, its values as the language writes them."""
        values = {name: self.value(value) for name, value in message.values}
        return self(message.msgid, **values)

    def value(self, value: MessageValue) -> str:
        """One value for a reader: a day or an instant in this language, an enum by its label."""
        if isinstance(value, enum.Enum):
            return self.label(value)
        if isinstance(value, dt.datetime):
            return self.instant(value)
        if isinstance(value, dt.date):
            return self.date(value)
        if isinstance(value, bool):
            return self("ja") if value else self("nein")
        if isinstance(value, int):
            return self.number(value)
        if isinstance(value, tuple):
            return ", ".join(self.value(item) for item in value)
        return str(value)

    def plural(self, singular: str, plural: str, count: int) -> str:
        """The form for ``count`` by the language's plural rules, ``{count}`` filled in."""
        if self._catalog is None:
            text = singular if count == 1 else plural
        else:
            text = self._catalog.ungettext(singular, plural, count)
        return text.format(count=self.number(count))

    def label(self, member: enum.Enum) -> str:
        """The label of an enum member (``GoalArea.HOUSING`` -> ``Wohnen``, ``السكن``)."""
        return self(label_de(member))

    def change(self, change: object) -> str:
        """The name of a change a revision makes (``AddGoal`` -> ``Ziel vereinbart``)."""
        german = CHANGE_LABELS.get(type(change))
        return type(change).__name__ if german is None else self(german)

    def date(self, day: dt.date) -> str:
        """A day: ``15.03.2023`` in German, the language's medium form otherwise."""
        if self.code == "de":
            return day.strftime("%d.%m.%Y")
        from babel.dates import format_date  # noqa: PLC0415 - Babel's CLDR data loads on first use

        return format_date(day, "medium", locale=self.language.babel_locale)

    def instant(self, at: dt.datetime) -> str:
        """An instant in the office's time zone, to the minute: ``25.11.2026, 21:43``."""
        local = at.astimezone(self.zone)
        if self.code == "de":
            return local.strftime("%d.%m.%Y, %H:%M")
        from babel.dates import format_datetime  # noqa: PLC0415

        return format_datetime(local, "short", tzinfo=self.zone, locale=self.language.babel_locale)

    def number(self, value: float, pattern: str | None = None) -> str:
        """A number with the language's separators: ``1.234,5`` in German (``pattern``: CLDR, e.g. ``0.0``)."""
        from babel.numbers import format_decimal  # noqa: PLC0415

        return format_decimal(value, format=pattern, locale=self.language.babel_locale)

    def percent(self, share: float) -> str:
        """A share as a percentage: ``75 %`` in German."""
        from babel.numbers import format_percent  # noqa: PLC0415

        return format_percent(share, locale=self.language.babel_locale)


def texts(code: str = "de", extra: Translations | None = None) -> Texts:
    """The texts of a language by catalog or ISO 639-3 code (German by default)."""
    return Texts(language(code), extra)


def in_language(language: str | Texts) -> Texts:
    """The texts of ``language``: a catalog or ISO 639-3 code, or a ``Texts`` as it is."""
    return language if isinstance(language, Texts) else texts(language)


class Worded:
    """For values that carry a ``message`` (a reason, a work item): their text in any language."""

    __slots__ = ()
    message: Message

    def text(self, language: str | Texts = "de") -> str:
        """The message in a language (a catalog code such as ``ar``, or a ``Texts``)."""
        return in_language(language).render(self.message)

    @property
    def text_de(self) -> str:
        return self.text("de")

    @property
    def text_en(self) -> str:
        return self.text("en")
