"""Message catalogs: gettext ``.po`` files, read with Babel, one per language.

German is the source language: every ``msgid`` is the German text of
[`integrationsplan.i18n.messages`][integrationsplan.i18n.messages], so German needs no
catalog, and a text a catalog lacks falls back to German (never to a code). The built-in
catalogs live in ``integrationsplan/i18n/locale/<code>.po`` with the template
``integrationsplan.pot`` beside them; a town adds a language, or its own wording of one,
through the hook ``integrationsplan_message_catalog`` (a path to a ``.po`` file).

Every catalog states whether a native speaker has reviewed it, in its header comment
(``# Review-State: needs-review`` or ``reviewed``, with ``Reviewed-By`` and
``Reviewed-On``): [`Language.review_state`][integrationsplan.i18n.Language] shows it, and
the printed plan marks an unreviewed translation as such.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from integrationsplan.errors import ConfigurationError

if TYPE_CHECKING:
    from babel.support import Translations

__all__ = ["LANGUAGES", "Language", "language", "load_catalog", "review_state_of"]

_REVIEW = re.compile(r"^#?\s*(Review-State|Review-Note|Reviewed-By|Reviewed-On):\s*(.*?)\s*$", re.MULTILINE)


@attrs.frozen
class Language:
    """A language the library can write in: its catalog code, names, script direction, review."""

    code: str
    iso639_3: tuple[str, ...]
    babel_locale: str
    native_name: str
    german_name: str
    right_to_left: bool
    review_state: str = "source"
    reviewed_by: str | None = None
    reviewed_on: str | None = None

    @property
    def reviewed(self) -> bool:
        return self.review_state in ("source", "reviewed")


_BUILT_IN: tuple[tuple[str, tuple[str, ...], str, str, str, bool], ...] = (
    ("de", ("deu",), "de_DE", "Deutsch", "Deutsch", False),
    ("en", ("eng",), "en_GB", "English", "Englisch", False),
    ("ar", ("ara", "arb", "apc", "acm"), "ar", "العربية", "Arabisch", True),
    ("fa", ("fas", "pes", "prs"), "fa", "فارسی / دری", "Persisch (Farsi, Dari)", True),
    ("uk", ("ukr",), "uk", "Українська", "Ukrainisch", False),
    ("ru", ("rus",), "ru", "Русский", "Russisch", False),
    ("tr", ("tur",), "tr", "Türkçe", "Türkisch", False),
    ("kmr", ("kmr", "kur"), "ku", "Kurmancî", "Kurdisch (Kurmandschi)", False),
)


def _built_in() -> dict[str, Language]:
    found = {}
    for code, iso, babel_locale, native, german, rtl in _BUILT_IN:
        state, by, on = ("source", None, None) if code == "de" else _review(_catalog_text(code))
        found[code] = Language(code, iso, babel_locale, native, german, rtl, state, by, on)
    return found


_LOCALE = Path(__file__).resolve().parent / "locale"


def _catalog_text(code: str) -> str:
    return (_LOCALE / f"{code}.po").read_text(encoding="utf-8")


def review_state_of(path: str | Path) -> str:
    """The review state a ``.po`` file declares in its header comment (``needs-review`` if none)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return "needs-review"
    return _review(text)[0]


def _review(text: str) -> tuple[str, str | None, str | None]:
    fields = dict(_REVIEW.findall(text.split("\nmsgid", 1)[0]))
    return fields.get("Review-State", "needs-review"), fields.get("Reviewed-By"), fields.get("Reviewed-On")


#: The built-in languages by catalog code; German is the source.
LANGUAGES: dict[str, Language] = _built_in()


def language(code: str) -> Language:
    """The language for a catalog code (``ar``) or an ISO 639-3 code (``ara``, ``prs``)."""
    wanted = code.strip().lower().replace("-", "_")
    for lang in LANGUAGES.values():
        if wanted == lang.code or wanted in lang.iso639_3:
            return lang
    known = ", ".join(LANGUAGES)
    raise ConfigurationError(f"no catalog for language {code[:12]!r}; the built-in ones are {known}")


@functools.cache
def _built_in_translations(code: str) -> Translations | None:
    if code == "de":
        return None
    return load_catalog(io.StringIO(_catalog_text(code)), code)


def load_catalog(source: io.StringIO | str | Path, code: str) -> Translations:
    """Translations from a ``.po`` file (a path, or its text): compiled in memory, fuzzy entries left out."""
    # Babel's catalog machinery loads when a translation is first needed, not with the library.
    from babel.messages.mofile import write_mo  # noqa: PLC0415
    from babel.messages.pofile import read_po  # noqa: PLC0415
    from babel.support import Translations  # noqa: PLC0415

    try:
        if isinstance(source, io.StringIO):
            catalog = read_po(source, locale=None, domain="integrationsplan")
        else:
            with Path(source).open(encoding="utf-8") as handle:
                catalog = read_po(handle, locale=None, domain="integrationsplan")
    except (OSError, ValueError, SyntaxError) as error:
        raise ConfigurationError(f"the message catalog for {code!r} cannot be read ({type(error).__name__})") from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain="integrationsplan")


def translations(code: str) -> Translations | None:
    """The built-in translations of a language (``None`` for German, the source)."""
    return _built_in_translations(language(code).code)
