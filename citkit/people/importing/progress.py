"""How an import reports how far it got: a job's progress bar, a terminal line, or nothing.

Anything with `update(**counts)` taking total, checked, written, errors and phase, as
`core.jobs.Progress` does; the import calls it once per chunk of rows.
"""

from typing import Any, Protocol


class Progress(Protocol):
    def update(self, **counts: Any) -> None: ...


class NoProgress:
    """For callers that only want the outcome (tests, the demo)."""

    def update(self, **counts: Any) -> None:
        pass


NO_PROGRESS = NoProgress()
