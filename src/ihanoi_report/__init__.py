"""ihanoi-report: collect, check and consolidate the iHanoi progress reports of a district.

The library is the product and the command line one client of it::

    from ihanoi_report import Workspace, load_campaign, load_registry, ingest_folder, consolidate
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Loaded on first use, so that `import ihanoi_report` (and `ihanoi-report --help`) stays fast.
_EXPORTS = {
    "Workspace": "ihanoi_report.config",
    "load_campaign": "ihanoi_report.config",
    "load_registry": "ihanoi_report.units",
    "ingest_folder": "ihanoi_report.ingest",
    "consolidate": "ihanoi_report.consolidate",
    "IhanoiError": "ihanoi_report.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ihanoi_report' has no attribute {name!r}")
