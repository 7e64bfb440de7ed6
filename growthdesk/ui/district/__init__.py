"""District mode of the desktop app (issue 7)."""

from __future__ import annotations


def open_district_window(db, user: str = ""):
    """Show the district window for an open district database (called by app_launch)."""
    from .window import DistrictWindow

    window = DistrictWindow(db, user)
    window.show()
    return window


__all__ = ["open_district_window"]
