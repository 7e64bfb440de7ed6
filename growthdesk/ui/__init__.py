"""PySide6 desktop app: windows, dialogs and item models. Thin: reads come from
``services.views``, writes go through ``services.*`` inside ``ui.ops`` operations."""
