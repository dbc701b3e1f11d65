"""WardBrief: ward-level community safety briefing packs, offline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wardbrief")
except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
    __version__ = "0.1.0"

APP_NAME = "WardBrief"
