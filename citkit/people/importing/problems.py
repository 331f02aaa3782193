"""What a refused import reports: each Problem, and the RosterImportError that carries them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason the import cannot go ahead; row and column as the user sees them."""

    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f'column "{self.column}"')
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class RosterImportError(Exception):
    """The file cannot be imported; `problems` says why (nothing was written)."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems
        self.more = more  # problems found beyond validation.MAX_PROBLEMS, not listed
        super().__init__("; ".join(str(p) for p in problems[:3]))

    @classmethod
    def single(cls, message: str, row: int | None = None, column: str = "") -> "RosterImportError":
        return cls([Problem(message, row, column)])
