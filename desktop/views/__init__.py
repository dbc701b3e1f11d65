"""Qt widgets only: the main window, its pages, dialogs and table models. They call the Qt-free core."""

from desktop.qt_refs import keep_singletons_alive

keep_singletons_alive()  # PySide6 on Python < 3.12: see qt_refs.py
