"""Progress measured from the records, not typed in: the registry of measures.

A measure is a named function of a program returning how much of something is
done out of how much ("MOU: 5 of 7 parties signed"). Plan tasks name a measure;
the plan shows it next to the typed status and flags disagreement. Each app
registers the measures its own data supports, in its `measures.py` (imported
at start-up by `CoreConfig.ready`):

    from citkit.core.measures import Measurement, register

    @register("mou_signatures", "MOU signatures collected")
    def mou_signatures(program) -> Measurement: ...
"""

from collections.abc import Callable
from dataclasses import dataclass

from citkit.core.models import Program


@dataclass(frozen=True)
class Measurement:
    done: int
    total: int
    text: str

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        if self.total <= 0:
            return 0
        return min(100, round(100 * self.done / self.total))


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    compute: Callable[[Program], Measurement]


REGISTRY: dict[str, Measure] = {}


def register(key: str, label: str):
    def decorator(function: Callable[[Program], Measurement]):
        if key in REGISTRY:
            raise ValueError(f"A measure named {key!r} is already registered.")
        REGISTRY[key] = Measure(key=key, label=label, compute=function)
        return function

    return decorator


def choices() -> list[tuple[str, str]]:
    return [
        ("", "— none —"),
        *sorted(((m.key, m.label) for m in REGISTRY.values()), key=lambda c: c[1]),
    ]


def measure(program: Program, key: str) -> Measurement | None:
    """The measurement of one measure, or None for an unknown key."""
    found = REGISTRY.get(key)
    return found.compute(program) if found else None


def measure_all(program: Program, keys) -> dict[str, Measurement]:
    """Each distinct key computed once (a plan names the same measure on several tasks)."""
    return {key: m for key in set(keys) if key and (m := measure(program, key)) is not None}
