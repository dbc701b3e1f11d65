"""Where WardBrief keeps its data and logs.

Precedence: the `--data-dir` option > the WARDBRIEF_DATA_DIR environment variable > the per-user folders
platformdirs gives for this OS (e.g. %LOCALAPPDATA%\\WardBrief on Windows). Nothing is ever written beside the
code or the executable.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

ENV_VAR = "WARDBRIEF_DATA_DIR"
STORE_FILE = "wardbrief.db"

_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Set (or clear with None) the data dir chosen on the command line."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


def data_dir() -> Path:
    """The data folder, created if missing."""
    if _override is not None:
        path = _override
    elif os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR]).expanduser().resolve()
    else:
        path = Path(user_data_dir("WardBrief", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """The log folder: `logs/` inside an explicit data dir, else the platform's user log dir."""
    if _override is not None or os.environ.get(ENV_VAR):
        path = data_dir() / "logs"
    else:
        path = Path(user_log_dir("WardBrief", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


LOG_FILE = "wardbrief.log"


def log_file() -> Path:
    """The log file the window and the CLI write (rotated beside older copies)."""
    return log_dir() / LOG_FILE


def store_path() -> Path:
    return data_dir() / STORE_FILE


def settings_path() -> Path:
    return data_dir() / "settings.json"
