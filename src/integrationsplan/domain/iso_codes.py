"""Country and language codes (ISO 3166-1 alpha-3, ICAO 9303 extras, ISO 639-3).

The code lists come from ``pycountry`` (which packages Debian's ``iso-codes``), so they
are maintained data rather than a hand-copied table. Withdrawn country codes
(ISO 3166-3) stay valid, because stored documents from before a withdrawal must still
load.
"""

from __future__ import annotations

import functools

__all__ = [
    "KOSOVO",
    "STATELESS",
    "UNKNOWN_NATIONALITY",
    "is_country_code",
    "is_language_code",
    "is_nationality_code",
]

#: ICAO Doc 9303 code for a stateless person, as in German travel documents.
STATELESS = "XXA"
#: ICAO Doc 9303 code for an unspecified nationality.
UNKNOWN_NATIONALITY = "XXX"
#: Code for Kosovo used by Germany and the EU (user-assigned, not in ISO 3166-1).
KOSOVO = "XKX"


@functools.cache
def _countries() -> frozenset[str]:
    import pycountry  # noqa: PLC0415 - its databases load on first use, not at import

    current = {country.alpha_3 for country in pycountry.countries}
    withdrawn = {country.alpha_3 for country in pycountry.historic_countries}
    return frozenset(current | withdrawn | {KOSOVO})


@functools.cache
def _languages() -> frozenset[str]:
    import pycountry  # noqa: PLC0415 - see _countries

    return frozenset(language.alpha_3 for language in pycountry.languages)


def is_country_code(code: object) -> bool:
    """True for an ISO 3166-1 alpha-3 code (current or withdrawn) or ``XKX``."""
    return isinstance(code, str) and code in _countries()


def is_nationality_code(code: object) -> bool:
    """A country code, or ``XXA`` (stateless) or ``XXX`` (unknown)."""
    return code in (STATELESS, UNKNOWN_NATIONALITY) or is_country_code(code)


def is_language_code(code: object) -> bool:
    """True for an ISO 639-3 code such as ``deu``, ``ara``, ``prs`` (Dari), ``kmr``."""
    return isinstance(code, str) and code in _languages()
