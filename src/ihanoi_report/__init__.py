"""ihanoi-report: collect, check and consolidate the iHanoi progress reports of a district."""

__version__ = "0.1.0"

__all__ = ["__version__"]
