"""Entry point of the frozen GrowthDesk bundle (PyInstaller): the same CLI as ``python -m growthdesk``."""

import multiprocessing
import sys

from growthdesk.cli import main


def _log_when_windowed() -> None:
    """The windowed Windows build has no console: keep its output in the data folder's log."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    from growthdesk.paths import data_dir

    log = open(data_dir() / "growthdesk.log", "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives as long as the app
    sys.stdout = sys.stdout or log
    sys.stderr = sys.stderr or log


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen Windows app must say so before any worker starts
    _log_when_windowed()
    raise SystemExit(main())
