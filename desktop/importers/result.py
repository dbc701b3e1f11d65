"""What an import did, for the CLI, the Data page and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop import kinds, months
from desktop.importers.errors import Rejection


def month_label(month: str | None) -> str:
    """'2024-03' -> 'Mar 2024' (as the user reads it in import results); '-' for none."""
    return months.month_label(month, "short", blank="-")


@dataclass
class ImportResult:
    status: str  # "imported" | "already imported" | "not needed" (recognised, knowingly not stored) | "failed"
    file_name: str
    kind: str = ""
    source_id: int | None = None
    rows_read: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    first_month: str | None = None
    last_month: str | None = None
    partial_months: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)

    def period(self) -> str:
        if not self.first_month:
            return ""
        if self.first_month == self.last_month:
            return month_label(self.first_month)
        return f"{month_label(self.first_month)} to {month_label(self.last_month)}"

    def summary(self) -> str:
        """One to a few lines for the user."""
        if self.status == "failed":
            lines = [f"FAILED {self.file_name}: {self.message}"]
            if self.rejections:
                shown = self.rejections[:5]
                lines += [f"    {r}" for r in shown]
                more = self.rows_rejected - len(shown)
                if more > 0:
                    lines.append(f"    ... and {more:,} more problem row(s) (use --verbose to list them)")
            return "\n".join(lines)
        if self.status == "already imported":
            return f"{self.file_name}: already imported (source {self.source_id}); nothing changed."
        if self.status == "not needed":
            return f"{self.file_name}: not needed ({self.kind_label}). {self.message}"
        period = self.period()
        head = f"{self.file_name}: imported as {self.kind_label} (source {self.source_id})"
        if period:
            head += f", {period}"
        head += f"; {self.rows_stored:,} of {self.rows_read:,} rows stored"
        if self.rows_rejected:
            head += f", {self.rows_rejected:,} rejected"
        lines = [head + "."]
        if self.partial_months:
            months = ", ".join(month_label(m) for m in self.partial_months)
            lines.append(f"    Partial month(s) flagged: {months} (far below the months around; not used as complete).")
        lines += [f"    Note: {w}" for w in self.warnings]
        return "\n".join(lines)
