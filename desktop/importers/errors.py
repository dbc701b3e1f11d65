"""Import errors and rejected rows: every message says what is wrong and what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.errors import WardBriefError


class ImportFailed(WardBriefError):  # reads naturally: raise ImportFailed(...)
    """The file cannot be imported; nothing from it is stored."""

    def __str__(self) -> str:
        if "\n" in self.message and self.next_step:  # a listing: the next step on its own line, after it
            return f"{self.message}\n{self.next_step}"
        return super().__str__()


class NotNeeded(ImportFailed):
    """A file WardBrief recognises and knowingly does not need (e.g. the LFB mobilisation file): nothing is stored
    and nothing is wrong; import_file reports it with status "not needed", not as a failure."""

    kind: str = ""  # the kind it belongs to, when it is found before its kind is (a shapefile's .dbf, say)


@dataclass(frozen=True)
class Rejection:
    """One rejected cell or row. `row` is the line (CSV) or row (XLSX) number the user sees in their program."""

    row: int | None
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        col = f", column '{self.column}'" if self.column else ""
        value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        shown = f": '{value}'" if self.value != "" else ""
        return f"{where}{col}{shown} - {self.reason}"
