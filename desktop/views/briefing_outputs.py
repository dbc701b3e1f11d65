"""What the Briefing page does with a pack once it is made: save it (PDF, XLSX), print it (with a print
preview), or write packs for many wards at once. A mixin of BriefingPage, kept apart for size."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desktop import operations
from desktop.views.widgets import open_folder, window_settings


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in " -_'" else "_" for c in text).strip() or "pack"


class PackOutputs:
    """Save, print and batch actions. Expects the BriefingPage attributes it uses (generated, banner, runner,
    taskbar, wards, batch options, options(), _check_ready())."""

    generated: operations.Generated | None
    last_batch: list[Path]
    banner: Any
    runner: Any
    taskbar: Any
    wards: Any
    batch_xlsx: Any
    batch_html: Any
    batch_overview: Any

    _preview_printer: Any = None
    _print_printer: Any = None

    def options(self) -> Any:
        raise NotImplementedError

    def _fresh_or_rebuild(self, then: Any) -> bool:
        raise NotImplementedError

    def _check_ready(self) -> bool:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _widget(self) -> QWidget:
        return cast(QWidget, self)

    def _default_name(self, suffix: str) -> str:
        assert self.generated is not None
        pack = self.generated.pack
        name = f"{_safe_name(pack.area_name)} {pack.reference_month} {pack.mode}{suffix}"
        return str(self._last_folder() / name)

    def _last_folder(self) -> Path:
        folder = window_settings().value("last_folder")
        return Path(str(folder)) if folder and Path(str(folder)).is_dir() else Path.home()

    def _remember_folder(self, path: Path) -> None:
        settings = window_settings()
        settings.setValue("last_folder", str(path))

    def _need_pack(self, then: Any = None) -> bool:
        """A pack to save or print: one has been made and still matches what is chosen (else ask to remake it,
        and carry on with `then` once it is made)."""
        if self.generated is None:
            self.banner.show_warning("There is no pack to use yet.", "Press Generate preview (Ctrl+G) first.")
            return False
        return then is None or self._fresh_or_rebuild(then)

    def _open_folder(self, folder: Path) -> None:
        if not open_folder(folder):
            self.banner.show_warning(
                f"The folder could not be opened here: {folder}",
                "Open it from your file manager (the path above can be selected and copied).",
            )

    def save_pdf(self) -> None:
        if not self._need_pack(self.save_pdf) or self.generated is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self._widget(), "Save the pack as PDF", self._default_name(".pdf"), "PDF (*.pdf)"
        )
        if not name:
            return
        target = Path(name).with_suffix(".pdf")
        self._remember_folder(target.parent)
        self.runner.run(
            "save pdf",
            operations.save_copy,
            self.generated.pdf,
            target,
            on_success=lambda p: self._saved(Path(p)),
            on_failure=self.banner.show_failure,
        )

    def save_xlsx(self) -> None:
        if not self._need_pack(self.save_xlsx) or self.generated is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self._widget(), "Save the data appendix", self._default_name(".xlsx"), "Excel workbook (*.xlsx)"
        )
        if not name:
            return
        target = Path(name).with_suffix(".xlsx")
        self._remember_folder(target.parent)
        self.taskbar.start(
            self.runner,
            "save xlsx",
            operations.save_xlsx,
            self.generated.pack,
            target,
            on_success=lambda p: self._saved(Path(p)),
            on_failure=self.banner.show_failure,
            message="Writing the XLSX appendix…",
        )

    def save_html(self) -> None:
        if not self._need_pack(self.save_html) or self.generated is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self._widget(), "Save the pack as a web page (HTML)", self._default_name(".html"), "Web page (*.html)"
        )
        if not name:
            return
        target = Path(name).with_suffix(".html")
        self._remember_folder(target.parent)
        self.taskbar.start(
            self.runner,
            "save html",
            operations.save_html,
            self.generated.pack,
            target,
            on_success=lambda p: self._saved(Path(p)),
            on_failure=self.banner.show_failure,
            message="Writing the HTML pack…",
        )

    def _saved(self, path: Path) -> None:
        self.banner.show_success(f"Saved {path}")
        self.banner.set_action("Open folder", lambda: self._open_folder(path.parent))

    # --- printing ------------------------------------------------------------------------------------------

    def _printer(self) -> Any:
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.generated is not None:
            printer.setDocName(f"{self.generated.pack.title} {self.generated.pack.reference_month}")
        return printer

    def _paint(self, printer: Any) -> None:
        from desktop.reports.pdf import print_pack

        assert self.generated is not None
        try:
            print_pack(self.generated.pack, printer)
        except Exception as exc:  # shown in place
            self.banner.show_failure(exc)

    def print_pack(self) -> bool:
        if not self._need_pack(self.print_pack):
            return False
        from PySide6.QtPrintSupport import QPrintDialog

        self._print_printer = printer = self._printer()
        dialog = QPrintDialog(printer, self._widget())
        dialog.setWindowTitle("Print the briefing pack")
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()  # dialogs are not left as children until exit (see PrioritiesPage._edit)
        self._paint(printer)
        return True

    def print_preview(self) -> None:
        if not self._need_pack(self.print_preview):
            return
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        # the dialog only borrows the printer: keep it alive (on self) for as long as the dialog paints with it
        self._preview_printer = self._printer()
        dialog = QPrintPreviewDialog(self._preview_printer, self._widget())
        dialog.setWindowTitle("Print preview")
        dialog.paintRequested.connect(self._paint)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    # --- many wards at once --------------------------------------------------------------------------------

    def write_batch(self) -> bool:
        codes = self.wards.ticked_codes()
        if not codes:
            self.banner.show_warning("No wards are ticked.", "Tick the wards you want packs for (or press All).")
            return False
        if not self._check_ready():
            return False
        folder = QFileDialog.getExistingDirectory(
            self._widget(), "Save the packs into this folder", str(self._last_folder())
        )
        if not folder:
            return False
        self.banner.dismiss()
        out = Path(folder)
        self._remember_folder(out)
        holder: list[Any] = []
        holder.append(
            self.taskbar.start(
                self.runner,
                "batch",
                operations.write_packs,
                codes,
                replace(self.options(), html=self.batch_html.isChecked()),
                out,
                self.batch_xlsx.isChecked(),
                self.batch_overview.isChecked(),
                on_success=lambda files: self._batch_done(files, out),
                on_failure=self.banner.show_failure,
                on_cancel=lambda: self._batch_cancelled(holder[0].cancel_reason if holder else None, out),
                message=f"Making {len(codes)} pack{'s' if len(codes) != 1 else ''}…",
            )
        )
        self._update_buttons()
        return True

    def _batch_cancelled(self, reason: Any, folder: Path) -> None:
        kept = list(getattr(reason, "kept", []) or [])
        if kept:
            n = len(kept)
            self.banner.show_info(
                f"Saving packs was cancelled. The {n} file{'s' if n != 1 else ''} finished before that "
                f"{'are' if n != 1 else 'is'} kept in {folder}; no half-written file is left."
            )
            self.banner.set_action("Open folder", lambda: self._open_folder(folder))
        else:
            self.banner.show_info("Saving packs was cancelled before any pack was finished; nothing was written.")

    def _batch_done(self, result: Any, folder: Path) -> None:
        files = list(result)
        self.last_batch = files
        saved = f"Saved {len(files)} file{'s' if len(files) != 1 else ''} in {folder}."
        skipped = list(getattr(result, "skipped", []) or [])
        if skipped:
            names = ", ".join(name for name, _ in skipped[:6]) + (" …" if len(skipped) > 6 else "")
            saved += f" No pack for {len(skipped)} ward{'s' if len(skipped) != 1 else ''} ({names}): {skipped[0][1]}."
        failures = list(getattr(result, "failures", []) or [])
        if failures:
            lines = "\n".join(f"{name}: {reason}" for name, reason in failures[:8])
            more = f"\n… and {len(failures) - 8} more" if len(failures) > 8 else ""
            self.banner.show_warning(
                f"{saved} {len(failures)} pack(s) could not be made:\n{lines}{more}",
                "Check the data for those wards on the Data page, then save them again.",
            )
        else:
            self.banner.show_success(saved)
        self.banner.set_action("Open folder", lambda: self._open_folder(folder))
