"""Rules: pure functions of domain values and a reference date — no clock, no I/O.

Eligibility (``eligibility``), the support period as a
versioned policy (``support``), and reviews and deadlines
(``reviews``), caseloads
(``caseloads``). Every decision explains itself.
"""

from integrationsplan.rules.appointments import MAX_SLOT_DAYS, Slot, free_slots
from integrationsplan.rules.caseloads import (
    DEFAULT_CASES_PER_FTE,
    Assignment,
    Caseload,
    assignments,
    caseloads,
    distribute,
)
from integrationsplan.rules.eligibility import (
    DEFAULT_RULE_SET,
    Decision,
    EligibilityCase,
    Outcome,
    Override,
    Reason,
    Rule,
    RuleSet,
    Stage,
    follow_up_housing_rule,
    prospects_rule,
    support_period_rule,
)
from integrationsplan.rules.good_prospects import DEFAULT_GOOD_PROSPECTS, GoodProspectsEntry, GoodProspectsList
from integrationsplan.rules.office_hours import (
    Occurrence,
    holidays_between,
    next_occurrences,
    occurrence_at,
    occurrences,
)
from integrationsplan.rules.retention import NO_RETENTION_PERIOD, RetentionDue, RetentionPolicy, retention_due
from integrationsplan.rules.reviews import WorkItem, WorkKind, review_due_on, work_list
from integrationsplan.rules.support import (
    POLICIES,
    TWO_YEAR,
    VWV_2023,
    SupportAnchor,
    SupportPeriod,
    SupportPolicy,
    last_day_of_months,
    support_period,
    support_period_of,
)

__all__ = [
    "DEFAULT_CASES_PER_FTE",
    "DEFAULT_GOOD_PROSPECTS",
    "DEFAULT_RULE_SET",
    "MAX_SLOT_DAYS",
    "NO_RETENTION_PERIOD",
    "POLICIES",
    "TWO_YEAR",
    "VWV_2023",
    "Assignment",
    "Caseload",
    "Decision",
    "EligibilityCase",
    "GoodProspectsEntry",
    "GoodProspectsList",
    "Occurrence",
    "Outcome",
    "Override",
    "Reason",
    "RetentionDue",
    "RetentionPolicy",
    "Rule",
    "RuleSet",
    "Slot",
    "Stage",
    "SupportAnchor",
    "SupportPeriod",
    "SupportPolicy",
    "WorkItem",
    "WorkKind",
    "assignments",
    "caseloads",
    "distribute",
    "follow_up_housing_rule",
    "free_slots",
    "holidays_between",
    "last_day_of_months",
    "next_occurrences",
    "occurrence_at",
    "occurrences",
    "prospects_rule",
    "retention_due",
    "review_due_on",
    "support_period",
    "support_period_of",
    "support_period_rule",
    "work_list",
]
