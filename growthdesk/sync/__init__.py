"""Sync bundles (DESIGN §5): schools export, the district imports, receipts come back. Qt-free."""

from .export import export_bundle
from .importer import DUPLICATE, IMPORTED, REJECTED, import_bundle, import_bundles
from .receipts import district_school_status, load_receipt, read_receipt

__all__ = ["export_bundle", "import_bundle", "import_bundles", "load_receipt", "read_receipt",
           "district_school_status", "IMPORTED", "DUPLICATE", "REJECTED"]
