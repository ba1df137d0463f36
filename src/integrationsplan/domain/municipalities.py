"""Municipalities (Gemeinden), identified by their official municipality key (AGS)."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from integrationsplan.domain._validators import ags, fail, is_ags, member_of, text, tuple_of

__all__ = ["FederalState", "Letterhead", "Municipality", "is_ags"]


class FederalState(enum.Enum):
    """The 16 German states (Länder); values are the ISO 3166-2:DE suffixes."""

    SCHLESWIG_HOLSTEIN = "SH"
    HAMBURG = "HH"
    LOWER_SAXONY = "NI"
    BREMEN = "HB"
    NORTH_RHINE_WESTPHALIA = "NW"
    HESSE = "HE"
    RHINELAND_PALATINATE = "RP"
    BADEN_WUERTTEMBERG = "BW"
    BAVARIA = "BY"
    SAARLAND = "SL"
    BERLIN = "BE"
    BRANDENBURG = "BB"
    MECKLENBURG_WESTERN_POMERANIA = "MV"
    SAXONY = "SN"
    SAXONY_ANHALT = "ST"
    THURINGIA = "TH"

    @property
    def ags_prefix(self) -> str:
        """The two-digit state key that starts every AGS in the state (BW: ``08``)."""
        return f"{list(FederalState).index(self) + 1:02d}"

    @classmethod
    def from_ags(cls, ags: str) -> FederalState:
        """The state a valid AGS belongs to."""
        return list(cls)[int(ags[:2]) - 1]


def _state_matches(instance: Municipality, attribute: attrs.Attribute[FederalState], value: FederalState) -> None:
    expected = FederalState.from_ags(instance.ags)
    if value is not expected:
        fail(instance, attribute, f"{value.value!r} does not match AGS {instance.ags} (state {expected.value!r})")


@attrs.frozen
class Municipality:
    """A town or municipality that employs integration managers.

    The AGS (Amtlicher Gemeindeschlüssel) is the key: 2 digits state, 1 government
    region, 2 district, 3 municipality. Eislingen/Fils is ``08117019``: Baden-Württemberg
    (08), Regierungsbezirk Stuttgart (1), Landkreis Göppingen (17), municipality 019.
    """

    ags: str = attrs.field(validator=ags)
    name: str = attrs.field(validator=text(200))
    district: str = attrs.field(validator=text(200))
    state: FederalState = attrs.field(validator=[member_of(FederalState), _state_matches])

    @property
    def district_key(self) -> str:
        """The 5-digit district key (Kreisschlüssel), e.g. ``08117`` for Göppingen."""
        return self.ags[:5]


def _logo(instance: Letterhead, attribute: attrs.Attribute[Any], value: bytes | None) -> None:
    if value is None:
        return
    if type(value) is not bytes or not value:
        fail(instance, attribute, "expected the logo's bytes (PNG or SVG)")
    if len(value) > 2_000_000:
        fail(instance, attribute, "a logo of more than 2 MB makes every printed plan heavy")
    if not (value.startswith(b"\x89PNG") or value.lstrip()[:5] in (b"<?xml", b"<svg ")):
        fail(instance, attribute, "expected a PNG or an SVG image")


@attrs.frozen
class Letterhead:
    """A municipality's letterhead on printed documents: its logo and the lines beside it.

    ``lines`` are the office's own address and contact lines (``Stadt Eislingen/Fils``,
    ``Integrationsmanagement``, ``Bahnhofstraße 15, 73054 Eislingen/Fils``): public
    information, never a person's. ``logo`` is a PNG or SVG image.
    """

    lines: tuple[str, ...] = attrs.field(validator=tuple_of(text(200), "letterhead lines"))
    logo: bytes | None = attrs.field(default=None, validator=_logo, repr=lambda logo: f"<{len(logo or b'')} bytes>")

    @property
    def logo_type(self) -> str | None:
        if self.logo is None:
            return None
        return "image/png" if self.logo.startswith(b"\x89PNG") else "image/svg+xml"
