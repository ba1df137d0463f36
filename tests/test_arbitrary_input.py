"""Whatever JSON arrives, reading it raises ValidationError or gives a valid value."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.serialization as ip_serialization
from integrationsplan.serialization import DOCUMENT_TYPES
from integrationsplan.testing import strategies as ips

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)

TYPES = sorted(DOCUMENT_TYPES, key=lambda cls: DOCUMENT_TYPES[cls])


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            paths += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            paths += _paths(child, (*prefix, index))
    return paths


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = copy.copy(node)
    node[path[0]] = _replace(node[path[0]], path[1:], value)
    return node


@pytest.mark.parametrize("cls", TYPES, ids=lambda cls: DOCUMENT_TYPES[cls])
@given(data=JSON)
def test_structuring_arbitrary_json_raises_only_validation_error(cls: type[Any], data: Any) -> None:
    try:
        value = ip.structure(data, cls)
    except ip.ValidationError as error:
        assert error.errors
        assert all(e.path.startswith("$") for e in error.errors)
    else:
        assert isinstance(value, cls)


@given(raw=st.binary(max_size=64) | JSON.map(orjson.dumps))
def test_loading_arbitrary_bytes_raises_only_validation_error(raw: bytes) -> None:
    with pytest.raises(ip.ValidationError):
        ip.loads(raw, ip.IntegrationPlan)


@given(plan=ips.integration_plans(max_goals=2), data=st.data())
def test_any_subtree_replaced_by_arbitrary_json(plan: ip.IntegrationPlan, data: st.DataObject) -> None:
    document = ip.unstructure(plan)
    path = data.draw(st.sampled_from(_paths(document)))
    broken = _replace(document, path, data.draw(JSON))
    stored = ip_serialization.canonical_json({"data": broken, "schema_version": 1, "type": "integration_plan"})
    try:
        value = ip.loads(stored, ip.IntegrationPlan)
    except ip.ValidationError as error:
        assert error.errors
        # The trusted reader never accepts what fails on types, keys or formats: if it
        # accepts, the document breaks only a domain invariant.
        try:
            ip.loads(stored, ip.IntegrationPlan, trusted=True)
        except ip.ValidationError as trusted_error:
            assert trusted_error.errors
    else:
        assert ip.loads(stored, ip.IntegrationPlan, trusted=True) == value
        assert ip.structure(broken, ip.IntegrationPlan) == value
