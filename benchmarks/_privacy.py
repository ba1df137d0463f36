"""The privacy section: what encryption at rest costs, and eventsourcing's AES cipher beside it.

Interleaved rounds (plain, encrypted, eventsourcing encrypted, plain, ...), the median of
per-round ratios. All three are SQLite, WAL, ``synchronous=FULL`` (durable, one commit per
append) and append the same change: ours through ``PlanService`` to a plain store and to
the same store with ``keys=keyfile:///…`` (AES-256-GCM per plan); eventsourcing with its
``cryptography``-based ``AESCipher`` (AES-256-GCM) holding the same nested plan state.
Head reads clear our decoded-head cache, so each read fetches, decrypts and decodes.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
from pathlib import Path
from typing import Any

import integrationsplan as ip
import integrationsplan.services as ip_services
from _common import Figures, median_ratio, timed
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2023, 3, 15)
_FILLER = ("B1, dann Pflegeausbildung. " * 40).strip()


class _Plan:
    """One plan in its own store, revised through the public service."""

    def __init__(self, url: str) -> None:
        clock = ip_services.ManualClock(dt.datetime(2023, 3, 15, tzinfo=dt.UTC))
        self.app = ip.App(store=url, clock=clock, autoload=False)
        plan = example_plan()
        create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
        self.app.plans.create_plan("ip-1", create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
        goals = [ip.AddGoal(goal) for goal in plan.goals]
        self.app.plans.revise("ip-1", goals, base=1, author="eis-im-01", effective_on=DAY, reason="Ziele")
        self.turn = 0

    def change(self) -> Any:
        self.turn += 1
        return ip.ReviseGoal("g-language", f"Fortschreibung {self.turn}: {_FILLER}", None)

    def append(self, count: int) -> None:
        plans = self.app.plans
        base = plans.state("ip-1").revision
        for _ in range(count):
            plans.revise("ip-1", self.change(), base=base, author="eis-im-01", effective_on=DAY, reason="F")
            base += 1

    def read_heads(self, count: int) -> None:
        plans = self.app.plans
        for _ in range(count):
            plans.mapper.clear()
            plans.state("ip-1")


def privacy(quick: bool) -> Figures:
    """Appends and head reads, plain against encrypted, and against eventsourcing's AES cipher."""
    from eventsourcing.cryptography import AESCipher

    from _eventsourcing_peer import _Plans, plan_aggregate

    rounds = 3 if quick else 15  # more rounds than elsewhere: the differences are small against the noise
    per_round = 5 if quick else 40
    reads = 20 if quick else 300
    folder = Path(tempfile.mkdtemp(prefix="integrationsplan-bench-"))
    (folder / "keys").mkdir()
    plain = _Plan(f"sqlite:///{folder}/plain.db")
    secret = _Plan(f"sqlite:///{folder}/encrypted.db?keys=keyfile://{folder}/keys")
    state = ip.unstructure(plain.app.plans.state("ip-1"))
    change = ip.unstructure(plain.change())
    es_app = _Plans(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(folder / "es-encrypted.db"),
            "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
            "CIPHER_KEY": AESCipher.create_key(num_bytes=32),
        }
    )
    es_app.is_snapshotting_enabled = False
    aggregate = plan_aggregate(state)
    es_app.save(aggregate)

    def es_append() -> None:
        for _ in range(per_round):
            aggregate.revise(change)
            es_app.save(aggregate)

    appends: list[tuple[float, float]] = []
    against_es: list[tuple[float, float]] = []
    for _ in range(rounds):
        mine_plain = timed(lambda: plain.append(per_round))
        mine_secret = timed(lambda: secret.append(per_round))
        peer = timed(es_append)
        appends.append((mine_secret, mine_plain))
        against_es.append((mine_secret, peer))
    heads: list[tuple[float, float]] = []
    for _ in range(rounds):
        mine_plain = timed(lambda: plain.read_heads(reads))
        mine_secret = timed(lambda: secret.read_heads(reads))
        heads.append((mine_secret, mine_plain))
    plain.app.close()
    secret.app.close()
    es_app.close()
    return {
        "append_encrypted_vs_plain": median_ratio(appends),
        "head_read_encrypted_vs_plain": median_ratio(heads),
        "append_encrypted_vs_eventsourcing_encrypted": median_ratio(against_es),
        "append_encrypted_per_s": per_round / statistics.median(mine for mine, _ in appends),
    }
