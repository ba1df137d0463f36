"""Exports in the formats municipal websites, calendars and maps use."""

from integrationsplan.exports.appointments import appointments_icalendar
from integrationsplan.exports.office_hours import to_icalendar, to_osm_opening_hours, to_schema_org

__all__ = ["appointments_icalendar", "to_icalendar", "to_osm_opening_hours", "to_schema_org"]
