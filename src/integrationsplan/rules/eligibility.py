"""Eligibility for integration management: explainable decisions from composable rules.

A [`Decision`][integrationsplan.Decision] has an outcome (eligible, not eligible, needs
review) and the reasons that led to it. Each [`Reason`][integrationsplan.Reason] has a
stable code, a [`Message`][integrationsplan.i18n.Message] for people (German in the source,
translated by the message catalogs), its legal or administrative basis and the facts it
used — codes, dates and ids only, never names. Rules are values collected in a
[`RuleSet`][integrationsplan.RuleSet]; a municipality adds, replaces or drops rules
without forking. Entry criteria are checked when a plan starts, ongoing criteria on
every review. [`Decision.record`][integrationsplan.Decision.record] gives what a plan's
history keeps of a decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from integrationsplan.domain import EligibilityRecord, Outcome, Override, Person, ResidenceStatusKind, Stage
from integrationsplan.domain._validators import calendar_date, identifier, member_of, text
from integrationsplan.errors import FieldError, ValidationError
from integrationsplan.i18n import Message, Texts, Worded, in_language
from integrationsplan.rules.good_prospects import DEFAULT_GOOD_PROSPECTS, GoodProspectsList
from integrationsplan.rules.support import SupportPeriod

__all__ = [
    "DEFAULT_RULE_SET",
    "Decision",
    "EligibilityCase",
    "Outcome",
    "Override",
    "Reason",
    "Rule",
    "RuleSet",
    "Stage",
    "follow_up_housing_rule",
    "prospects_rule",
    "support_period_rule",
]


def _message(value: Message | str) -> Message:
    return Message(value) if isinstance(value, str) else value


def _short_message(instance: object, attribute: attrs.Attribute[Message], value: Message) -> None:
    if not isinstance(value, Message):
        raise ValidationError("Reason", [FieldError("$.message", "must be a Message or German text")])
    text(500)(instance, attribute, value.msgid)


@attrs.frozen
class Reason(Worded):
    """One reason of a decision: a stable code, a message for people, basis and facts.

    ``message`` is German text, or a [`Message`][integrationsplan.i18n.Message] with
    placeholders (``Message("Zugewiesen seit {day}.", {"day": day})``); a town's own
    rule adds its translations through the hook ``integrationsplan_message_catalog``.
    """

    code: str = attrs.field(validator=text(60))
    effect: Outcome = attrs.field(validator=member_of(Outcome))
    message: Message = attrs.field(converter=_message, validator=_short_message)
    basis: str = attrs.field(validator=text(300))
    facts: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class EligibilityCase:
    """What a decision looks at: the person, the municipality, the day, the support.

    ``support`` is the person's support period under the municipality's policy, when
    known; without it the support-period rule has nothing to say.
    """

    person: Person
    municipality_ags: str
    on: dt.date = attrs.field(validator=calendar_date)
    support: SupportPeriod | None = None


@attrs.frozen
class Rule:
    """A named criterion: a pure function from a case to the reasons it finds."""

    code: str = attrs.field(validator=identifier)
    stages: frozenset[Stage]
    check: Callable[[EligibilityCase], tuple[Reason, ...]]


@attrs.frozen
class Decision:
    """The outcome of a rule set for a case, with every reason and any override."""

    outcome: Outcome
    computed_outcome: Outcome
    reasons: tuple[Reason, ...]
    on: dt.date
    stage: Stage
    rule_set: str
    override: Override | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    def explain(self, language: str | Texts = "de") -> str:
        """The decision and its reasons as text in a language (``de``, ``en``, ``ar`` … or a ``Texts``).

        The basis (a statute) and the code stay as they are: they are what an authority
        and a program look up.
        """
        words = in_language(language)
        lines = [words.label(self.outcome)]
        lines += [f"- {words.render(reason.message)} ({reason.basis}) [{reason.code}]" for reason in self.reasons]
        if self.override is not None:
            override = Message(
                "Manuell entschieden von {who} am {day}",
                {"who": self.override.decided_by, "day": self.override.decided_on},
            )
            lines.append(f"- {words.render(override)}")
        return "\n".join(lines)

    def overridden(self, override: Override) -> Decision:
        """This decision with a recorded manual override; the reasons stay as computed."""
        return attrs.evolve(self, outcome=override.outcome, override=override)

    def record(self) -> EligibilityRecord:
        """What goes on the plan's record: outcome, codes, stage, rule set and version, override."""
        name, _, version = self.rule_set.partition("@")
        return EligibilityRecord(
            decided_on=self.on,
            stage=self.stage,
            outcome=self.outcome,
            computed_outcome=self.computed_outcome,
            reason_codes=self.codes,
            rule_set=name,
            rule_set_version=version or "-",
            override=self.override,
        )


@attrs.frozen
class RuleSet:
    """A named, versioned collection of rules; change it with add, replace and drop."""

    name: str
    version: str
    rules: tuple[Rule, ...]

    def add(self, rule: Rule) -> RuleSet:
        if any(existing.code == rule.code for existing in self.rules):
            raise ValidationError("RuleSet", [FieldError("$.rules", f"a rule {rule.code!r} exists; use replace")])
        return attrs.evolve(self, rules=(*self.rules, rule))

    def replace(self, rule: Rule) -> RuleSet:
        if not any(existing.code == rule.code for existing in self.rules):
            raise ValidationError("RuleSet", [FieldError("$.rules", f"no rule {rule.code!r} to replace")])
        return attrs.evolve(self, rules=tuple(rule if r.code == rule.code else r for r in self.rules))

    def drop(self, code: str) -> RuleSet:
        if not any(existing.code == code for existing in self.rules):
            raise ValidationError("RuleSet", [FieldError("$.rules", f"no rule {code!r} to drop")])
        return attrs.evolve(self, rules=tuple(r for r in self.rules if r.code != code))

    def decide(self, case: EligibilityCase, stage: Stage = Stage.ENTRY) -> Decision:
        """Run every rule of ``stage`` on ``case``: not eligible beats review beats eligible."""
        reasons = tuple(reason for rule in self.rules if stage in rule.stages for reason in rule.check(case))
        effects = {reason.effect for reason in reasons}
        if Outcome.NOT_ELIGIBLE in effects:
            outcome = Outcome.NOT_ELIGIBLE
        elif Outcome.NEEDS_REVIEW in effects or not reasons:
            outcome = Outcome.NEEDS_REVIEW
        else:
            outcome = Outcome.ELIGIBLE
        return Decision(
            outcome=outcome,
            computed_outcome=outcome,
            reasons=reasons,
            on=case.on,
            stage=stage,
            rule_set=f"{self.name}@{self.version}",
        )


# -- the default rules of Baden-Württemberg ----------------------------------------------

_BOTH = frozenset({Stage.ENTRY, Stage.ONGOING})


def follow_up_housing_rule() -> Rule:
    """Lives in the municipality's follow-up housing, or is displaced from Ukraine (§ 24)."""

    def check(case: EligibilityCase) -> tuple[Reason, ...]:
        allocation = case.person.allocation
        status = case.person.residence_status
        if allocation is not None and allocation.municipality_ags == case.municipality_ags:
            day = allocation.allocated_on.isoformat()
            facts = (("allocated_on", day), ("municipality_ags", allocation.municipality_ags))
            if allocation.allocated_on <= case.on:
                return (
                    Reason(
                        "FOLLOW_UP_HOUSING",
                        Outcome.ELIGIBLE,
                        Message(
                            "Seit {day} der Gemeinde zur Anschlussunterbringung zugewiesen.",
                            {"day": allocation.allocated_on},
                        ),
                        "§§ 17, 18 FlüAG",
                        facts,
                    ),
                )
            return (
                Reason(
                    "NOT_YET_ALLOCATED",
                    Outcome.NOT_ELIGIBLE,
                    Message(
                        "Die Zuweisung in die Anschlussunterbringung beginnt erst am {day}.",
                        {"day": allocation.allocated_on},
                    ),
                    "§§ 17, 18 FlüAG",
                    facts,
                ),
            )
        if status is not None and status.kind is ResidenceStatusKind.TEMPORARY_PROTECTION:
            return (
                Reason(
                    "TEMPORARY_PROTECTION",
                    Outcome.ELIGIBLE,
                    Message("Vertrieben aus der Ukraine mit vorübergehendem Schutz."),
                    "§ 24 AufenthG; VwV Integrationsmanagement 2023",
                    (("residence_status", status.kind.value),),
                ),
            )
        if allocation is not None:
            return (
                Reason(
                    "ALLOCATED_ELSEWHERE",
                    Outcome.NOT_ELIGIBLE,
                    Message("Einer anderen Gemeinde zur Anschlussunterbringung zugewiesen."),
                    "§§ 17, 18 FlüAG",
                    (("municipality_ags", allocation.municipality_ags),),
                ),
            )
        return (
            Reason(
                "NO_FOLLOW_UP_HOUSING",
                Outcome.NOT_ELIGIBLE,
                Message("Keine Zuweisung in die Anschlussunterbringung bekannt."),
                "§§ 17, 18 FlüAG; VwV Integrationsmanagement",
            ),
        )

    return Rule("follow_up_housing", _BOTH, check)


_PROTECTION = frozenset(
    {
        ResidenceStatusKind.ASYLUM,
        ResidenceStatusKind.REFUGEE,
        ResidenceStatusKind.SUBSIDIARY_PROTECTION,
        ResidenceStatusKind.DEPORTATION_BAN,
    }
)
_OTHER_TITLES = frozenset(
    {
        ResidenceStatusKind.DEPARTURE_IMPOSSIBLE,
        ResidenceStatusKind.WELL_INTEGRATED_YOUTH,
        ResidenceStatusKind.SUSTAINABLE_INTEGRATION,
        ResidenceStatusKind.ADMISSION_FROM_ABROAD,
        ResidenceStatusKind.ADMISSION_PROGRAMME,
        ResidenceStatusKind.TEMPORARY_PROTECTION,
        ResidenceStatusKind.OPPORTUNITY_RESIDENCE,
        ResidenceStatusKind.SETTLEMENT_PERMIT,
        ResidenceStatusKind.NATURALISED,
    }
)


def prospects_rule(good_prospects: GoodProspectsList = DEFAULT_GOOD_PROSPECTS) -> Rule:
    """Prospects of staying (Bleibeperspektive) from the residence status on the day."""

    def check(case: EligibilityCase) -> tuple[Reason, ...]:
        status = case.person.residence_status
        if status is None or status.kind in (ResidenceStatusKind.UNKNOWN, ResidenceStatusKind.OTHER):
            kind = "none" if status is None else status.kind.value
            return (
                Reason(
                    "RESIDENCE_STATUS_UNKNOWN",
                    Outcome.NEEDS_REVIEW,
                    Message("Der Aufenthaltsstatus ist nicht bekannt oder nicht erfasst."),
                    "Pakt für Integration 2017 (Bleibeperspektive)",
                    (("residence_status", kind),),
                ),
            )
        facts: tuple[tuple[str, str], ...] = (("residence_status", status.kind.value),)
        if status.valid_until is not None and status.valid_until < case.on:
            until = status.valid_until.isoformat()
            return (
                Reason(
                    "RESIDENCE_STATUS_EXPIRED",
                    Outcome.NEEDS_REVIEW,
                    Message("Der Aufenthaltsstatus war nur bis {day} gültig.", {"day": status.valid_until}),
                    status.kind.legal_basis or "AufenthG",
                    (*facts, ("valid_until", until)),
                ),
            )
        if status.kind in _PROTECTION:
            return (
                Reason(
                    "PROTECTION_GRANTED",
                    Outcome.ELIGIBLE,
                    Message("Schutzstatus: {status}.", {"status": status.kind}),
                    status.kind.legal_basis,
                    facts,
                ),
            )
        if status.kind in _OTHER_TITLES:
            return (
                Reason(
                    "RESIDENCE_TITLE",
                    Outcome.ELIGIBLE,
                    Message("Aufenthaltsrecht: {status}.", {"status": status.kind}),
                    status.kind.legal_basis,
                    facts,
                ),
            )
        if status.kind.is_toleration:
            return (
                Reason(
                    "TOLERATION",
                    Outcome.NEEDS_REVIEW,
                    Message(
                        "{status}: keine gesicherte Bleibeperspektive, Einzelfall prüfen.", {"status": status.kind}
                    ),
                    f"{status.kind.legal_basis}; Rechnungshof Baden-Württemberg 2022",
                    facts,
                ),
            )
        # Aufenthaltsgestattung: prospects depend on the nationality and the day.
        listed = sorted(c for c in case.person.nationalities if good_prospects.includes(c, case.on))
        facts = (*facts, ("nationalities", ",".join(case.person.nationalities)), ("list", good_prospects.name))
        if good_prospects.unconfirmed_after is not None and case.on > good_prospects.unconfirmed_after:
            facts = (*facts, ("list_confirmed_until", good_prospects.unconfirmed_after.isoformat()))
        if listed:
            return (
                Reason(
                    "GOOD_PROSPECTS",
                    Outcome.ELIGIBLE,
                    Message(
                        "Im Asylverfahren; Herkunftsland mit guter Bleibeperspektive am {day}: {countries}.",
                        {"day": case.on, "countries": tuple(listed)},
                    ),
                    "; ".join(good_prospects.sources(listed)) or "§ 55 AsylG",
                    facts,
                ),
            )
        return (
            Reason(
                "NO_GOOD_PROSPECTS",
                Outcome.NOT_ELIGIBLE,
                Message("Im Asylverfahren; kein Herkunftsland mit guter Bleibeperspektive am {day}.", {"day": case.on}),
                "§ 55 AsylG; Pakt für Integration 2017",
                facts,
            ),
        )

    return Rule("prospects", _BOTH, check)


def support_period_rule() -> Rule:
    """The support period is not used up (when the case says what it is)."""

    def check(case: EligibilityCase) -> tuple[Reason, ...]:
        period = case.support
        if period is None or case.on <= period.last_day:
            return ()
        last = period.last_day.isoformat()
        return (
            Reason(
                "SUPPORT_PERIOD_ENDED",
                Outcome.NOT_ELIGIBLE,
                Message(
                    "Der Begleitungszeitraum ({policy}) endete am {day}.",
                    {"policy": period.policy.name, "day": period.last_day},
                ),
                period.policy.basis,
                (("policy", period.policy.name), ("last_day", last)),
            ),
        )

    return Rule("support_period", _BOTH, check)


DEFAULT_RULE_SET = RuleSet(
    name="baden-wuerttemberg",
    version="2023",
    rules=(follow_up_housing_rule(), prospects_rule(), support_period_rule()),
)
"""The default rules for Baden-Württemberg (see the eligibility docs for each source)."""
