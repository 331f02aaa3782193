"""The readiness dashboard's progress chart: weekly snapshots as the coordinates of a
small server-drawn SVG line chart, with a text description and a data table."""

import datetime
from dataclasses import dataclass, field

from citkit.plan.models import ProgressSnapshot

MIN_TICK_GAP = 64  # chart units between two month labels ("Sep 2026" is about 56 wide)


@dataclass(frozen=True)
class ChartPoint:
    week: datetime.date
    percent: int
    by_phase: dict
    x: float
    y: float


@dataclass(frozen=True)
class ChartTick:
    label: str
    x: float = 0
    y: float = 0


@dataclass
class Chart:
    """Coordinates for an SVG line chart of overall completion, week by week."""

    points: list[ChartPoint]
    phase_names: dict[str, str]
    width: int = 560
    height: int = 240
    left: int = 44
    right: int = 16
    top: int = 12
    bottom: int = 36
    y_ticks: list[ChartTick] = field(default_factory=list)
    x_ticks: list[ChartTick] = field(default_factory=list)

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def area(self) -> str:
        if not self.points:
            return ""
        first, last = self.points[0], self.points[-1]
        return (
            f"M{first.x:.1f},{self.plot_bottom} "
            + " ".join(f"L{p.x:.1f},{p.y:.1f}" for p in self.points)
            + f" L{last.x:.1f},{self.plot_bottom} Z"
        )

    @property
    def phase_columns(self) -> list[tuple[str, str]]:
        return list(self.phase_names.items())

    @property
    def rows(self) -> list[tuple[ChartPoint, list]]:
        """For the data table: each week with its per-phase percentages in column order."""
        return [(p, [p.by_phase.get(key, "") for key in self.phase_names]) for p in self.points]

    @property
    def description(self) -> str:
        if not self.points:
            return "No weekly snapshots yet."
        first, last = self.points[0], self.points[-1]
        if len(self.points) == 1:
            return (
                f"One weekly snapshot: {last.percent}% of plan tasks done "
                f"in the week of {_day(last.week)}."
            )
        trend = (
            "rose"
            if last.percent > first.percent
            else "fell"
            if last.percent < first.percent
            else "stayed"
        )
        verb = f"{trend} from {first.percent}% to" if trend != "stayed" else "stayed at"
        return (
            f"Share of plan tasks done, {len(self.points)} weekly snapshots: it {verb} "
            f"{last.percent}% between the weeks of {_day(first.week)} and {_day(last.week)}."
        )


def _day(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def progress_chart(snapshots: list[ProgressSnapshot], *, phase_names=None) -> Chart:
    chart = Chart(points=[], phase_names=dict(phase_names or {}))
    plot_w = chart.plot_right - chart.left
    plot_h = chart.plot_bottom - chart.top
    chart.y_ticks = [
        ChartTick(f"{value}%", y=chart.top + plot_h * (1 - value / 100))
        for value in (0, 25, 50, 75, 100)
    ]
    if not snapshots:
        return chart
    first, last = snapshots[0].week, snapshots[-1].week
    span = max((last - first).days, 1)

    def x_of(week: datetime.date) -> float:
        if first == last:
            return chart.left + plot_w / 2
        return chart.left + plot_w * (week - first).days / span

    chart.points = [
        ChartPoint(
            week=s.week,
            percent=s.overall,
            by_phase=s.by_phase or {},
            x=x_of(s.week),
            y=chart.top + plot_h * (1 - min(s.overall, 100) / 100),
        )
        for s in snapshots
    ]
    # A tick at the first week of each month; a tick too close to the next one (the
    # partial first month, or months when the chart spans years) is left out.
    months: list[datetime.date] = []
    for s in snapshots:
        if not months or (s.week.year, s.week.month) != (months[-1].year, months[-1].month):
            months.append(s.week)
    kept: list[datetime.date] = []
    for week in reversed(months):
        if not kept or x_of(kept[-1]) - x_of(week) >= MIN_TICK_GAP:
            kept.append(week)
    kept.reverse()
    chart.x_ticks = [
        ChartTick(f"{week:%b %Y}" if i == 0 or week.month == 1 else f"{week:%b}", x=x_of(week))
        for i, week in enumerate(kept)
    ]
    return chart
