from __future__ import annotations

from typing import Any

from desktop.errors import Cancelled
from desktop.tasks import TaskRunner


def _ok(x: int, *, progress: Any, cancelled: Any) -> int:
    progress(1, 2, "half")
    return x * 2


def _boom(*, progress: Any, cancelled: Any) -> None:
    raise ValueError("bad thing")


def _until_cancel(*, progress: Any, cancelled: Any) -> None:
    import time

    for _ in range(500):
        if cancelled():
            raise Cancelled()
        time.sleep(0.01)


def test_success_and_progress(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    seen: list[Any] = []
    results: list[Any] = []
    ended: list[bool] = []
    # callbacks are connected before the work starts, so a fast task cannot finish unseen
    runner.run(
        "double",
        _ok,
        21,
        on_progress=lambda d, t, m: seen.append((d, t, m)),
        on_success=results.append,
        on_end=lambda: ended.append(True),
    )
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert results == [42]
    assert seen == [(1, 2, "half")]
    assert not runner.busy()


def test_failed_fires_when_work_raises(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    errors: list[BaseException] = []
    ended: list[bool] = []
    task = runner.run("boom", _boom, on_failure=errors.append, on_end=lambda: ended.append(True))
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert isinstance(errors[0], ValueError)
    assert "bad thing" in errors[0].details  # type: ignore[attr-defined]
    assert not task.running


def test_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    cancelled: list[bool] = []
    ended: list[bool] = []
    task = runner.run(
        "slow", _until_cancel, on_cancel=lambda: cancelled.append(True), on_end=lambda: ended.append(True)
    )
    task.cancel()
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert cancelled == [True]
