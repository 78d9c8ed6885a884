"""The command line: the Typer app, one module per command, and console.py, the only place that prints.

Everything the commands do is in office.py; they read options, call it, show its result, return an
exit code.
"""
