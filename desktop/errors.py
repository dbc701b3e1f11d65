"""Errors the user can act on. Each carries what went wrong and what to do next."""

from __future__ import annotations


class WardBriefError(Exception):
    """An expected problem: shown to the user as `message` plus `next_step`, never as a traceback."""

    def __init__(self, message: str, next_step: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step

    def __str__(self) -> str:
        return f"{self.message} {self.next_step}".strip()


class Cancelled(Exception):  # reads naturally at call sites
    """Raised by long work when the user pressed Cancel; nothing it started is kept."""


def check_cancelled(cancelled: object) -> None:
    """Raise Cancelled if the `cancelled` callable (or None) says so."""
    if callable(cancelled) and cancelled():
        raise Cancelled()
