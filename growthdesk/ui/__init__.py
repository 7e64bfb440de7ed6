"""PySide6 desktop app: windows, dialogs and item models. Thin: reads come from
``services.views``, writes go through ``services.*`` inside ``ui.ops`` operations."""

from __future__ import annotations

import sys


def _pin_singletons() -> None:
    """Make None, True and False effectively immortal on Python < 3.12.

    PySide6 6.12 returns these singletons from C++ calls without taking a reference (correct on
    Python 3.12+, where they are immortal; PEP 683). On 3.11 every ``label.setText(...)``,
    ``timer.start()`` or ``processEvents()`` drops one reference to None, and after some
    thousands of calls the interpreter aborts with "Fatal Python error: none_dealloc" (measured
    here: -1 per void call, -2 per QRunnable run). Adding a very large count up front is what
    3.12 does by design; it is harmless because these objects are never freed anyway.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or hasattr(sys, "getobjects"):
        return  # immortal already / not CPython / a trace-refs debug build with another layout
    import ctypes
    for obj in (None, True, False, Ellipsis, NotImplemented):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40  # ob_refcnt is the first field


_pin_singletons()
