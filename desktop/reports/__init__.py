"""The briefing pack: a Qt-free model built from the analysis, and its renderers (PDF/print with QtGui; XLSX)."""
