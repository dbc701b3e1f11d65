"""Qt widgets only: the main window, its pages, dialogs and table models. They call the Qt-free core."""
