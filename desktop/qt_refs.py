"""A work-around for a PySide6 defect, applied only in processes that use Qt, and only on Python < 3.12.

PySide6 6.12's abi3 wheels are built for Python 3.12+, where None, True and False are immortal, so every Qt method
that returns void (or a bool through some paths, e.g. QObject.setProperty) drops one reference to them. On 3.11,
after ~35,000 such calls (a few packs, or a long session in the window) the process aborts with "deallocating
None". Giving the three singletons a huge reference count makes them immortal, as they are on 3.12+; CPython never
frees them anyway. tests/unit/test_qt_refs.py shows the crash without it.

Called before Qt is used: by the window (app.py), the task runner, every view (views/__init__.py), the PDF renderer
(reports/pdf_base.py) and the test suite's Qt fixtures. The CLI's imports, analysis and store never touch it.
"""

from __future__ import annotations

import sys

IMMORTAL = 1 << 40


def keep_singletons_alive() -> bool:
    """Make None, True and False immortal on CPython < 3.12 (once; later calls do nothing). True if it applied."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    for singleton in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(singleton))
        if refcnt.value < IMMORTAL:
            refcnt.value += IMMORTAL
    return True
