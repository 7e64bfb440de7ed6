"""Imported by every Python process the test suite starts (``tests/conftest.py`` puts this folder
on ``PYTHONPATH``): see ``gd_fast_kdf``."""

import gd_fast_kdf

gd_fast_kdf.install()
