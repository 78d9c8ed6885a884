"""The officer's desk in a browser (`ihanoi-report serve`): a local page that renders the office's typed views.

Nothing here decides a figure or a verdict: every page asks the Office (office.py) what the command line asks
it, and shows what comes back. The web stack (Starlette, uvicorn, Jinja2, python-multipart) is imported only
by `serve`, so every other command starts as fast as before.
"""
