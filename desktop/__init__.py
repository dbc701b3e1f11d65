"""WardBrief: ward-level community safety briefing packs, offline."""

# Kept equal to pyproject.toml's version by a test. A literal, not importlib.metadata: reading the installed
# metadata costs 20-35 ms at every start, before the window can appear.
__version__ = "0.1.0"

APP_NAME = "WardBrief"
