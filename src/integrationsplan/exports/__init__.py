"""Exports in the formats municipal websites, calendars and maps use."""

from integrationsplan.exports.office_hours import to_icalendar, to_osm_opening_hours, to_schema_org

__all__ = ["to_icalendar", "to_osm_opening_hours", "to_schema_org"]
