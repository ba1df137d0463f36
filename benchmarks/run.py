"""Benchmarks of integrationsplan: ``python benchmarks/run.py SECTION [SECTION ...] [--json]``.

Prints a table of figures, or with ``--json`` one JSON object mapping each figure
name to a number. Peers that a figure compares against run in the same process, side
by side, so a comparison is a ratio measured under the same conditions. Timing takes
the best of several repeats, which is the least disturbed by other load.

Sections: ``serialization``. Later issues add theirs to ``SECTIONS``.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

Figures = dict[str, float]


def best_seconds(function: Callable[[], object], *, number: int, repeat: int = 7) -> float:
    """Seconds per call: the best of ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def serialization(quick: bool) -> Figures:
    """Dump and load the ~3-4 KB example plan; msgspec decodes the same bytes as peer."""
    import orjson

    import integrationsplan as ip
    from _msgspec_peer import DECODER
    from integrationsplan.examples import example_plan

    plan = example_plan()
    document = ip.dumps(plan)
    assert ip.loads(document, ip.IntegrationPlan) == plan
    assert DECODER.decode(document).data.id == plan.id

    number = 20 if quick else 2_000
    dumps = best_seconds(lambda: ip.dumps(plan), number=number)
    loads = best_seconds(lambda: ip.loads(document, ip.IntegrationPlan), number=number)
    trusted = best_seconds(lambda: ip.loads(document, ip.IntegrationPlan, trusted=True), number=number)
    peer = best_seconds(lambda: DECODER.decode(document), number=number * 10)
    # Does orjson pay? The same parse and the same canonical write with the stdlib.
    data = ip.unstructure(plan)
    parse_orjson = best_seconds(lambda: orjson.loads(document), number=number * 10)
    parse_stdlib = best_seconds(lambda: json.loads(document), number=number * 10)
    write_orjson = best_seconds(lambda: ip.canonical_json(data), number=number * 10)
    write_stdlib = best_seconds(
        lambda: json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(), number=number * 10
    )
    return {
        "plan_document_bytes": len(document),
        "plan_dumps_per_s": 1 / dumps,
        "plan_loads_per_s": 1 / loads,
        "plan_loads_trusted_per_s": 1 / trusted,
        "msgspec_loads_per_s": 1 / peer,
        "loads_vs_msgspec": peer / trusted,
        "validated_loads_vs_msgspec": peer / loads,
        "orjson_parse_speedup_vs_json": parse_stdlib / parse_orjson,
        "orjson_write_speedup_vs_json": write_stdlib / write_orjson,
    }


SECTIONS: dict[str, Callable[[bool], Figures]] = {
    "serialization": serialization,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sections", nargs="*", metavar="SECTION", help=f"one of: {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object of figure name to number")
    parser.add_argument("--quick", action="store_true", help="few iterations: checks that the benchmarks run")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    figures: Figures = {}
    for name in args.sections or list(SECTIONS):
        figures |= SECTIONS[name](args.quick)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        width = max(len(name) for name in figures)
        for name, value in figures.items():
            print(f"{name:<{width}}  {value:>14,.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
