"""WardBrief: ward-level community safety briefing packs, offline."""

# Kept equal to pyproject.toml's version by a test. A literal, not importlib.metadata: reading the installed
# metadata costs 20-35 ms at every start, before the window can appear.
__version__ = "0.1.0"

APP_NAME = "WardBrief"


def _keep_none_alive() -> None:
    """Work around a PySide6 6.12 defect on Python 3.11: its abi3 wheels are built for 3.12+, where None is immortal,
    so every Qt method returning void drops one reference to None; after ~35,000 such calls (a few packs, or a long
    GUI session) the process aborts with "deallocating None". Giving None a huge reference count makes it immortal,
    as it is on 3.12+. Harmless on any CPython: None is never freed anyway."""
    import sys

    if sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        import ctypes

        # True and False too: methods returning bool through some paths (e.g. QObject.setProperty) drop a
        # reference the same way (the process aborted with "deallocating True or False" after the GUI tests)
        for singleton in (None, True, False):
            refcnt = ctypes.c_ssize_t.from_address(id(singleton))
            if refcnt.value < 1 << 40:
                refcnt.value += 1 << 40


_keep_none_alive()
