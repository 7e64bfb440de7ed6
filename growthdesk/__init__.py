"""GrowthDesk: offline student growth portfolios (学生成长档案) for schools and districts."""

__version__ = "0.1.0"
APP_NAME = "GrowthDesk"
