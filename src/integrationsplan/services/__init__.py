"""The use cases: what an application does with plans, one service per concern.

Each service takes its collaborators (a store, a clock, a
[`Directory`][integrationsplan.services.Directory]) as arguments, so it runs the same over the
memory store in a test and over PostgreSQL in a data centre. An
[`App`][integrationsplan.App] wires them to the plugins; the command line is a thin
layer over exactly these calls.
"""

from integrationsplan.services.appointments import AppointmentService
from integrationsplan.services.caseloads import CaseloadService, Handover
from integrationsplan.services.clock import Clock, ManualClock, SystemClock
from integrationsplan.services.directory import DefaultDirectory, Directory
from integrationsplan.services.eligibility import EligibilityService
from integrationsplan.services.office_hours import OfficeHoursService
from integrationsplan.services.plans import Finding, PlanEdit, PlanService, PlanView, Verification
from integrationsplan.services.retention import ErasedPlan, RetentionService
from integrationsplan.services.stores import grant_store, listen_store, migrate_store, setup_sql, setup_store
from integrationsplan.services.subjects import DataSubjectService, Disclosure, PersonErasure, PlanDisclosure
from integrationsplan.services.transfer import ImportSummary, TransferService

__all__ = [
    "AppointmentService",
    "CaseloadService",
    "Clock",
    "DataSubjectService",
    "DefaultDirectory",
    "Directory",
    "Disclosure",
    "EligibilityService",
    "ErasedPlan",
    "Finding",
    "Handover",
    "ImportSummary",
    "ManualClock",
    "OfficeHoursService",
    "PersonErasure",
    "PlanDisclosure",
    "PlanEdit",
    "PlanService",
    "PlanView",
    "RetentionService",
    "SystemClock",
    "TransferService",
    "Verification",
    "grant_store",
    "listen_store",
    "migrate_store",
    "setup_sql",
    "setup_store",
]
