"""Print every performance goal the benchmarks recorded, as one table (the end of ``make bench``).

Each benchmark writes its goals to ``benchmarks/results/goals/<section>.json`` when it runs
(``goals.record``); this reads them all. A section that has not run on this machine is missing
from the table, and says so.

    .venv/bin/python benchmarks/summary.py
"""

from __future__ import annotations

import sys

import goals

SECTIONS = ("render", "annotate", "collect", "report", "browser", "class")


def main() -> int:
    rows = goals.load()
    if not rows:
        print("No goals recorded yet: run `make bench` (or one of the benchmarks) first.")
        return 0
    print("Performance goals (issue 11 and class mode): each figure against its floor, same run\n")
    print(goals.table(rows))
    seen = {section for section, *_ in rows}
    missing = [section for section in SECTIONS if section not in seen]
    if missing:
        print(f"\nNot measured on this machine yet: {', '.join(missing)}.")
    met = sum(goal.met for *_, goal in rows)
    print(f"\n{met} of {len(rows)} goals met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
