"""The one background runner. Views hand it a plain function; it runs on a QThreadPool thread and reports back on
the main thread. Exactly one of `succeeded`, `failed` or `cancelled` fires for every task, then `ended` —
even when the work raises — so no progress bar is ever left hanging.

A work function takes keyword arguments `progress(done, total, message)` and `cancelled() -> bool`, and raises
`desktop.errors.Cancelled` when it sees a cancel. It must open its own store connection (one per thread).
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.errors import Cancelled

log = logging.getLogger(__name__)


class Task(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception; its `.details` holds the formatted traceback
    cancelled = Signal()
    ended = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._cancel = threading.Event()
        self.running = True

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _Job(QRunnable):
    def __init__(self, task: Task, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.task, self.fn, self.args, self.kwargs = task, fn, args, kwargs

    def run(self) -> None:
        task = self.task
        try:
            result = self.fn(
                *self.args,
                progress=lambda done, total, message="": task.progress.emit(int(done), int(total), str(message)),
                cancelled=task.is_cancelled,
                **self.kwargs,
            )
        except Cancelled:
            task.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the window
            exc.details = traceback.format_exc()  # type: ignore[attr-defined]
            log.error("task %s failed:\n%s", task.name, exc.details)  # type: ignore[attr-defined]
            task.failed.emit(exc)
        else:
            if task.is_cancelled():
                task.cancelled.emit()
            else:
                task.succeeded.emit(result)
        finally:
            task.ended.emit()


class TaskRunner(QObject):
    """Runs work off the main thread. Keeps each Task alive until it has ended."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._live: set[Task] = set()

    def run(
        self,
        name: str,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_end: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Task:
        task = Task(name)
        task.setParent(None)
        if on_success:
            task.succeeded.connect(on_success)
        if on_failure:
            task.failed.connect(on_failure)
        if on_progress:
            task.progress.connect(on_progress)
        if on_cancel:
            task.cancelled.connect(on_cancel)
        if on_end:
            task.ended.connect(on_end)
        task.ended.connect(lambda: self._forget(task))
        self._live.add(task)
        self.pool.start(_Job(task, fn, args, kwargs))
        return task

    def _forget(self, task: Task) -> None:
        task.running = False
        self._live.discard(task)

    def busy(self) -> bool:
        return bool(self._live)

    def cancel_all(self) -> None:
        for task in list(self._live):
            task.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        return bool(self.pool.waitForDone(msecs))
