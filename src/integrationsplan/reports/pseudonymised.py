"""A pseudonymised export for statistics and research: one row per plan, nothing that names.

What a row holds, and why it is safe to hand to an evaluation (*Evaluation*) or a
statistics office under a data-use agreement:

* **Keyed pseudonyms** instead of ids: ``plan`` and ``person`` are HMAC-SHA-256 digests
  (16 hex digits) under a key made for this one export. They are stable *within* the
  export — two plans of the same person share ``person`` — and unrelated between two
  exports, so rows cannot be linked across deliveries or back to the store. (A caller may
  pass its own key to link deliveries on purpose; whoever holds it can test a guessed id.)
* **No names, contact data, notes, statements, staff or free text** of any kind.
* **Coarsened dates**: the year of birth as a five-year band (``1985-1989``), every other
  date as its month (``2024-03``).
* **Rare nationalities folded**: a nationality held by fewer than ``threshold`` persons in
  the export is shown as ``other``, as in the key figures.
* Codes as the library defines them: sex, municipality (AGS, public), closure reason,
  goal areas and statuses, contact modes with counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

import orjson

from integrationsplan.domain import RecordKind
from integrationsplan.errors import ConfigurationError
from integrationsplan.reports.facts import ContactFacts, PlanFacts
from integrationsplan.services.plans import PlanService

__all__ = ["PSEUDONYM_KEY_BYTES", "export_pseudonymised", "pseudonymised_rows"]

#: A fresh key per export: 32 random bytes.
PSEUDONYM_KEY_BYTES = 32


def _month(day: dt.date | None) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def _band(year: int | None) -> str | None:
    if year is None:
        return None
    start = year - year % 5
    return f"{start}-{start + 4}"


def pseudonymised_rows(
    facts: Callable[[], Iterable[tuple[PlanFacts, str, Iterable[ContactFacts]]]],
    *,
    key: bytes | None = None,
    threshold: int = 3,
) -> Iterator[dict[str, Any]]:
    """One row per plan (see the module documentation); ``facts`` is called twice.

    ``facts()`` yields each plan's facts, its municipality (AGS) and its contacts. The
    first pass counts persons per nationality (to fold the rare ones), the second writes
    the rows, so memory holds tallies, not plans.
    """
    secret = key if key is not None else os.urandom(PSEUDONYM_KEY_BYTES)

    def pseudonym(kind: str, identifier: str) -> str:
        return hmac.new(secret, f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()[:16]

    persons: dict[str, set[str]] = {}
    for plan, _, _ in facts():
        persons.setdefault(plan.nationality, set()).add(plan.person_id)
    shown = {nationality for nationality, people in persons.items() if len(people) >= threshold}
    for plan, ags, contacts in facts():
        modes = Counter(contact.mode for contact in contacts)
        yield {
            "plan": pseudonym("plan", plan.plan_id),
            "person": pseudonym("person", plan.person_id),
            "municipality_ags": ags,
            "sex": plan.sex,
            "birth_years": _band(plan.birth_year),
            "nationality": plan.nationality if plan.nationality in shown else "other",
            "drawn_up": _month(plan.drawn_up_on),
            "closed": _month(plan.closed_on),
            "closure_reason": plan.closure_reason,
            "goals": [
                {"area": goal.area, "status": goal.status, "agreed": _month(goal.agreed_on)} for goal in plan.goals
            ],
            "contacts": dict(sorted(modes.items())),
        }


def export_pseudonymised(
    plans: PlanService,
    out: BinaryIO,
    *,
    municipality_ags: str | None = None,
    key: bytes | None = None,
    threshold: int = 3,
) -> int:
    """Write one pseudonymised row per plan of ``plans``' store as JSON Lines; return how many.

    Fresh pseudonyms unless ``key`` is given; nationalities held by fewer than
    ``threshold`` persons are folded into ``other``.
    """
    if not 1 <= threshold <= 100:
        raise ConfigurationError(f"threshold must be between 1 and 100, not {threshold}")
    store = plans.store

    def facts() -> Iterator[tuple[PlanFacts, str, list[ContactFacts]]]:
        for head in store.heads(municipality_ags=municipality_ags):
            if head.document is None:
                continue
            contacts = [
                ContactFacts.from_document(head.plan_id, record.document)
                for record in store.records(head.plan_id, kind=RecordKind.CONTACT.value)
            ]
            yield PlanFacts.from_head(head.plan_id, head.document), head.municipality_ags, contacts

    count = 0
    for row in pseudonymised_rows(facts, key=key, threshold=threshold):
        out.write(orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + b"\n")
        count += 1
    return count
