"""Cheap password hashing for the test suite, in this process and in the CLI processes it starts.

The app hashes every password with OWASP's scrypt cost (n=2^17: about 0.5 s and 128 MiB each),
on purpose and with no switch to turn it down. A test run makes hundreds of accounts and key
slots, in-process and through real ``growthdesk`` commands, so the suite lowers the cost of
*new* hashes to ``keys.FAST_FOR_TESTS`` here. Stored hashes carry their own cost, so checking
works either way. The production figures stay tested (``production_kdf`` fixture)."""

from __future__ import annotations

import importlib.abc
import sys

FAST_N = 2 ** 10


def patch_loaded() -> None:
    """Lower the default cost in whichever of the two modules is already imported."""
    keys = sys.modules.get("growthdesk.keys")
    if keys is not None and keys.OWASP.n != FAST_N:
        keys.OWASP = keys.FAST_FOR_TESTS
    users = sys.modules.get("growthdesk.services.users")
    if users is not None:
        users.SCRYPT_N = FAST_N
        users._DUMMY_HASH = None


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches ``growthdesk.keys`` and ``growthdesk.services.users`` as soon as they are imported,
    without importing them early (a CLI process that never hashes pays nothing)."""

    TARGETS = {"growthdesk.keys", "growthdesk.services.users"}

    def find_spec(self, name, path=None, target=None):
        if name not in self.TARGETS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                original = spec.loader.exec_module

                def exec_module(module, _original=original):
                    _original(module)
                    patch_loaded()

                spec.loader.exec_module = exec_module
                return spec
        return None


def install() -> None:
    if not any(isinstance(f, _PatchOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())
    patch_loaded()
