"""The demo school's password, without the demo module (the log-in dialog shows it)."""

DEMO_PASSWORD = "demo1234"  # every demo account (admin, adviser0701, teacher01 …) uses it
