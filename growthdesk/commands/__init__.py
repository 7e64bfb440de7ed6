"""Sub-command modules of the CLI; each has ``register(subparsers)``. One line per area."""

COMMAND_MODULES = [
    "setup",       # init-district, district add-school, init-school, demo, backup, restore
    "stats",       # stats: district statistics, workbook, PDF report
    "bundle",      # bundle export / import / receipt (sync)
    "portfolio",   # portfolio: term portfolio PDFs (reports)
    "roster",      # roster import, batch-entry templates, class summary export (spreadsheets)
    "accounts",    # account import / template: teachers' accounts in bulk (setup from the app)
    "sync",        # format 2: school add-workstation, init-workstation, sync --folder, node show/revoke/enroll
    "publicity",   # publicity sheet: the class list of archive records for the wall (issue 15)
    "programme",   # programme import / export / mentor-record (cultivation programmes)
]
