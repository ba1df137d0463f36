"""A plan's history beyond the fold: integrity (sealing, verifying) and field-level diffs.

Time travel (the state as of a day, or as recorded at an instant) is part of the domain:
[`state_as_of`][integrationsplan.state_as_of] and
[`state_as_recorded`][integrationsplan.state_as_recorded].
"""

from integrationsplan.history.diff import LABELS, FieldChange, PlanDiff, diff_revisions, diff_states
from integrationsplan.history.integrity import (
    VerifiedHistory,
    revision_hash,
    seal,
    seal_with_document,
    verified_history,
    verified_revisions,
    verify,
    verify_documents,
)

__all__ = [
    "LABELS",
    "FieldChange",
    "PlanDiff",
    "VerifiedHistory",
    "diff_revisions",
    "diff_states",
    "revision_hash",
    "seal",
    "seal_with_document",
    "verified_history",
    "verified_revisions",
    "verify",
    "verify_documents",
]
