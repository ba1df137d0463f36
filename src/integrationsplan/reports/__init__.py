"""Reports: anonymous aggregates over the plans of a store.

The annual key figures for the state (``kennzahlen``).
"""

from integrationsplan.reports.facts import ContactFacts, GoalFacts, PlanFacts, StatusFacts, record_facts
from integrationsplan.reports.kennzahlen import (
    AGE_GROUPS,
    SECTIONS,
    KeyFigure,
    KeyFigures,
    kennzahlen,
    key_figures,
    year_end_facts,
    year_end_states,
    year_records,
)

__all__ = [
    "AGE_GROUPS",
    "SECTIONS",
    "ContactFacts",
    "GoalFacts",
    "KeyFigure",
    "KeyFigures",
    "PlanFacts",
    "StatusFacts",
    "kennzahlen",
    "key_figures",
    "record_facts",
    "year_end_facts",
    "year_end_states",
    "year_records",
]
