"""District statistics (issue 7): Qt-free queries over a district database.

Every statistic is written with SQLAlchemy Core so the same statement runs on SQLite and
PostgreSQL. ``queries`` holds the statistics, ``schools`` the school sync list, ``people`` the
cross-school person history, ``cultivation`` the rule-based cultivation list, ``report`` puts
them together for the CLI, the workbook, the PDF and the district window.
"""

from .filters import Filters

__all__ = ["Filters"]
