"""Texts for people: message catalogs, labels and German formats (Babel and gettext).

Everything the library writes for a person to read — the printed plan, the disclosure,
the command line's text output — goes through a [`Texts`][integrationsplan.i18n.Texts] of
one language: translated messages and enum labels from the catalogs, plurals by the
language's rules, dates and numbers as the language writes them, instants in the
office's time zone. German is the source language.
"""

from integrationsplan.i18n.catalogs import LANGUAGES, Language, language, load_catalog
from integrationsplan.i18n.messages import (
    CHANGE_LABELS,
    ENUM_LABELS,
    MESSAGES,
    PLURALS,
    Message,
    MessageValue,
    label_de,
)
from integrationsplan.i18n.texts import BERLIN, Texts, Worded, in_language, texts

__all__ = [
    "BERLIN",
    "CHANGE_LABELS",
    "ENUM_LABELS",
    "LANGUAGES",
    "MESSAGES",
    "PLURALS",
    "Language",
    "Message",
    "MessageValue",
    "Texts",
    "Worded",
    "in_language",
    "label_de",
    "language",
    "load_catalog",
    "texts",
]
