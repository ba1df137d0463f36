"""The PostgreSQL store on a real, throwaway server: the contract, separation, privileges."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine

import integrationsplan as ip
from integrationsplan.storage.postgres import PostgresStore
from integrationsplan.testing.postgres import ROLE_OF_BOTH_TOWNS, PostgresDatabase
from integrationsplan.testing.storage import StoreContract, store_state_machine


class TestPostgresStore(StoreContract):
    persistent = True

    @pytest.fixture
    def store(self, postgres: PostgresDatabase) -> Iterator[ip.PlanStore]:
        postgres.reset()
        with ip.App(autoload=False).open_store(postgres.url(ROLE_OF_BOTH_TOWNS)) as store:
            yield store

    @pytest.fixture
    def reopen(self, postgres: PostgresDatabase) -> Callable[[ip.PlanStore], ip.PlanStore]:
        def again(store: ip.PlanStore) -> ip.PlanStore:
            store.close()
            return PostgresStore.from_url(postgres.url(ROLE_OF_BOTH_TOWNS, pool_size="2"))

        return again


@pytest.fixture
def postgres_machine(postgres: PostgresDatabase) -> type[RuleBasedStateMachine]:
    def make() -> ip.PlanStore:
        postgres.reset()
        return PostgresStore.from_url(postgres.url(ROLE_OF_BOTH_TOWNS, pool_size="1"))

    def reopen(store: ip.PlanStore) -> ip.PlanStore:
        store.close()
        return PostgresStore.from_url(postgres.url(ROLE_OF_BOTH_TOWNS, pool_size="1"))

    return store_state_machine(make, reopen)


def test_the_store_agrees_with_the_reference(postgres_machine: type[RuleBasedStateMachine]) -> None:
    test_case = postgres_machine.TestCase
    test_case.settings = settings(
        max_examples=25, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    test_case().runTest()
