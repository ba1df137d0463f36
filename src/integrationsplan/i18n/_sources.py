"""Every msgid of the catalogs, gathered from where it is written.

The fixed texts are listed in [`messages`][integrationsplan.i18n.messages] (labels,
headings, plurals); the texts made where their values are known are written in the
source as ``Message("...")`` and extracted with Babel's Python extractor, ``Message``
being the keyword as ``_`` is for xgettext. ``scripts/update-catalogs`` writes the
template from this, and a test holds the template and every catalog to it.
"""

from __future__ import annotations

from pathlib import Path

from integrationsplan.i18n.messages import CHANGE_LABELS, ENUM_LABELS, MESSAGES, PLURALS

__all__ = ["PACKAGE", "extracted_messages", "template_entries"]

PACKAGE = Path(__file__).resolve().parent.parent


def extracted_messages() -> tuple[str, ...]:
    """The msgids of ``Message("...")`` calls in the package's sources, in file order."""
    from babel.messages.extract import extract_from_file  # noqa: PLC0415 - development only

    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for _line, message, _comments, _context in extract_from_file("python", path, keywords={"Message": (1,)}):
            if isinstance(message, str):
                found.append(message)
    return tuple(found)


def template_entries() -> tuple[str | tuple[str, str], ...]:
    """Every entry of the template: single texts once each, then the plurals."""
    singles = dict.fromkeys([*ENUM_LABELS.values(), *CHANGE_LABELS.values(), *MESSAGES, *extracted_messages()])
    return (*singles, *PLURALS)
