"""The product's performance goals, as each benchmark measured them, and the one table of them all.

Every benchmark ends by recording the goals it measures (``record("collect", [...])``), each a
figure beside the floor measured in the same run; ``summary.py`` (the last step of ``make bench``)
prints them as one table: figure, floor, ratio, goal, met or not, and when it was measured.

A goal bounds either the figure itself (``Goal(..., limit=1.0, bound="value")``: at most 1.0 s)
or its ratio to the floor (``bound="ratio"``: at most 3x the floor). A figure with two goals (a
time and a ratio) is two rows. Nothing here asserts anything: the figures are for reading.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

RESULTS = Path(__file__).parent / "results" / "goals"

Bound = Literal["value", "ratio"]


@dataclass(frozen=True)
class Goal:
    """One goal of issue 11 (or of class mode), as one run measured it."""

    figure: str  # what was measured, e.g. "browser: cell run to 10,000 annotations shown"
    value: float  # the figure, in `unit`
    unit: str  # "s", "ms", "MB", ...
    floor: float | None  # the floor measured in the same run, in `unit` (None: no floor)
    floor_name: str  # what the floor is, e.g. "empty store"
    limit: float  # the goal: at most this value (bound="value") or this ratio (bound="ratio")
    bound: Bound

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.value / self.floor

    @property
    def met(self) -> bool:
        if self.bound == "value":
            return self.value <= self.limit
        ratio = self.ratio
        return ratio is not None and ratio <= self.limit

    def goal_text(self) -> str:
        if self.bound == "value":
            return f"<= {_number(self.limit)} {self.unit}"
        return f"<= {_number(self.limit)}x {self.floor_name}"


def record(section: str, goals: list[Goal], *, note: str = "") -> Path:
    """Write one benchmark's goals to ``results/goals/<section>.json`` (replacing its last run)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{section}.json"
    data = {
        "section": section,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "note": note,
        "goals": [asdict(goal) for goal in goals],
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def load() -> list[tuple[str, str, str, Goal]]:
    """(section, date, note, goal) for every recorded goal, sections in name order."""
    rows: list[tuple[str, str, str, Goal]] = []
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["goals"]:
            rows.append((data["section"], data["date"], data.get("note", ""), Goal(**item)))
    return rows


def _number(value: float) -> str:
    if value == int(value) and abs(value) >= 10:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def table(rows: list[tuple[str, str, str, Goal]]) -> str:
    """The goals as one Markdown table."""
    header = ["figure", "value", "floor", "ratio", "goal", "met", "measured"]
    lines = [header]
    for _section, date, _note, goal in rows:
        ratio = goal.ratio
        floor = (
            f"{_number(goal.floor)} {goal.unit} ({goal.floor_name})"
            if goal.floor is not None
            else "—"
        )
        lines.append(
            [
                goal.figure,
                f"{_number(goal.value)} {goal.unit}",
                floor,
                f"{ratio:.2f}x" if ratio is not None else "—",
                goal.goal_text(),
                "met" if goal.met else "NOT met",
                date.replace("T", " ").removesuffix("+00:00"),
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) + " |")
        if n == 0:
            out.append("| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(out)
