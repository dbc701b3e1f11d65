"""The one background runner. Views hand it a plain function; it runs on a QThreadPool thread and reports back on
the main thread. Exactly one of `succeeded`, `failed` or `cancelled` fires for every task, then `ended` —
even when the work raises — so no progress bar is ever left hanging.

A work function takes keyword arguments `progress(done, total, message)` and `cancelled() -> bool`, and raises
`desktop.errors.Cancelled` when it sees a cancel. It must open its own store connection (one per thread).

Shutting down (`TaskRunner.shutdown`, called when the window closes or the application quits) cancels every task,
waits briefly, and from then on no task's result, failure or progress reaches a page: the window may already be
gone. A handler whose receiver has been destroyed is skipped, not called. Nothing a worker thread does ever
escapes to `sys.excepthook` (which could try to open a dialog off the GUI thread).
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance

from desktop.errors import Cancelled
from desktop.qt_refs import keep_singletons_alive

keep_singletons_alive()  # PySide6 on Python < 3.12: see qt_refs.py

log = logging.getLogger(__name__)


def _emit(signal: SignalInstance, *args: Any) -> None:
    """Emit from a worker thread; a Task already deleted (the app is going away) is not an error."""
    try:
        signal.emit(*args)
    except RuntimeError as exc:  # "Internal C++ object already deleted" during shutdown
        log.debug("task signal dropped: %s", exc)


def _receiver_alive(handler: Callable[..., Any]) -> bool:
    """False when `handler` is a method of a Qt object that has been destroyed."""
    owner = getattr(handler, "__self__", None)
    if isinstance(owner, QObject):
        from shiboken6 import Shiboken

        return bool(Shiboken.isValid(owner))
    return True


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
        self.cancel_reason: Cancelled | None = None  # what the work said when it stopped (e.g. files it kept)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _TaskRunnable(QRunnable):
    def __init__(self, task: Task, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.task, self.fn, self.args, self.kwargs = task, fn, args, kwargs

    def run(self) -> None:
        try:
            self._run()
        except BaseException:  # never let a worker's error reach sys.excepthook (GUI-thread only)
            try:  # noqa: SIM105 - contextlib may already be torn down at interpreter exit
                log.error("task runner error:\n%s", traceback.format_exc())
            except Exception:  # logging itself may be gone at interpreter exit
                pass

    def _run(self) -> None:
        task = self.task
        try:
            result = self.fn(
                *self.args,
                progress=lambda done, total, message="": _emit(task.progress, int(done), int(total), str(message)),
                cancelled=task.is_cancelled,
                **self.kwargs,
            )
        except Cancelled as exc:
            task.cancel_reason = exc
            _emit(task.cancelled)
        except BaseException as exc:  # every failure must reach the window
            exc.details = traceback.format_exc()  # type: ignore[attr-defined]
            log.error("task %s failed:\n%s", task.name, exc.details)  # type: ignore[attr-defined]
            _emit(task.failed, exc)
        else:
            if task.is_cancelled():
                _emit(task.cancelled)
            else:
                _emit(task.succeeded, result)
        finally:
            _emit(task.ended)


class TaskRunner(QObject):
    """Runs work off the main thread. Keeps each Task alive until it has ended."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._live: set[Task] = set()
        self.closed = False

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
        if self.closed:  # shutting down: nothing new starts
            log.info("task %s not started: shutting down", name)
            task.cancel()
            task.running = False
            return task
        for signal, handler in (
            (task.succeeded, on_success),
            (task.failed, on_failure),
            (task.progress, on_progress),
            (task.cancelled, on_cancel),
            (task.ended, on_end),
        ):
            if handler is not None:
                signal.connect(self._guarded(handler))
        task.ended.connect(lambda: self._forget(task))
        self._live.add(task)
        self.pool.start(_TaskRunnable(task, fn, args, kwargs))
        return task

    def _guarded(self, handler: Callable[..., Any]) -> Callable[..., None]:
        """The handler, unless the runner has shut down or the handler's receiver has been destroyed."""

        def call(*args: Any) -> None:
            if self.closed or not _receiver_alive(handler):
                return
            try:
                handler(*args)
            except RuntimeError as exc:  # a lambda reaching a widget destroyed since the task started
                if "already deleted" not in str(exc):
                    raise
                log.debug("task handler skipped: %s", exc)

        return call

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

    def shutdown(self, msecs: int = 3000) -> bool:
        """Cancel every task, wait up to `msecs` for them to stop, and let no handler run from now on.
        Returns True when nothing is left running. Safe to call more than once."""
        self.closed = True
        self.cancel_all()
        done = self.wait(msecs)
        if not done:
            names = ", ".join(sorted(t.name for t in self._live)) or "?"
            log.warning("still running %d ms after cancel at shutdown: %s", msecs, names)
        return done
