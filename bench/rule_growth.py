"""Per-rule growth: each rule on n and 4n unrenamed copies of its own fixtures in one stream.

    python3 bench/rule_growth.py                 # every rule, 15 and 60 copies
    python3 bench/rule_growth.py --copies 30 --only NET

The corpus benchmark (`bench.py`) cannot see a rule whose objects the corpus lacks: it held no
InferencePool, no route and no adapter ConfigMap, and NET010 took 3.3 s on 60 copies of its
fixture (cubic: routes x same-named pools x the pods each selects) while every corpus figure
was linear. The fixtures hold, for every rule, the objects it reads and the shapes that make it
report. Copies in one stream are the worst case for cross-document rules: every copy shares
every name and label, so an answer computed per pair instead of per distinct question shows
up as a ratio well above 4.

Each rule runs alone (`--select CODE`) in this process, on an already loaded stream; the
figure is the fastest of `--repeat` runs in CPU time, and the ratio between 4n and n copies:
about 4 when linear, 16 when quadratic. Rows are sorted worst first. It is a measurement,
not a test (`tests/test_rule_growth.py` counts what the rules yield on the same inputs).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "rules" / "fixtures"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=15, help="n (the large run has 4n)")
    parser.add_argument("--only", default="", help="rule code prefix (NET, SCL011, ...)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (fastest kept)")
    parser.add_argument("--rows", type=int, default=20, help="rows printed, worst first")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from aiconf_lint.engine import lint
    from aiconf_lint.input.load import load_bytes
    from aiconf_lint.selection import select_rules
    from aiconf_lint.settings import Settings, with_overrides
    from tests.scaling import fastest

    rows: list[tuple[float, str, str, float, float]] = []
    for case in sorted(FIXTURES.glob(f"{args.only}*/*.yaml")):
        code = case.parent.name
        settings = with_overrides(Settings(), select=(code,))
        rules = select_rules([code])
        text = case.read_text(encoding="utf-8")
        part = text if text.startswith("---") else "---\n" + text

        streams = ("\n".join([part] * n).encode() for n in (args.copies, 4 * args.copies))
        small, large = (
            partial(lint, [load_bytes("stream.yaml", raw)], settings, rules) for raw in streams
        )
        small()  # lazy imports and caches, before anything is timed
        small_s, large_s = fastest(small, args.repeat), fastest(large, args.repeat)
        ratio = large_s / small_s if small_s else 0.0
        rows.append((ratio, code, case.name, small_s, large_s))
    rows.sort(reverse=True)
    print(f"rule fixtures, {args.copies} and {4 * args.copies} copies in one stream, CPU")
    print("| ratio | rule | fixture | n ms | 4n ms |")
    print("|---|---|---|---|---|")
    for ratio, code, name, small_s, large_s in rows[: args.rows]:
        print(f"| {ratio:.1f}x | {code} | {name} | {small_s * 1000:.1f} | {large_s * 1000:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
