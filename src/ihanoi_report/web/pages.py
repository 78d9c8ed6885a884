"""The pages: each asks the Office what the matching command asks it, and renders the view that comes back.

A page holds no rule and adds up nothing: the figures are those of `status --json` and `consolidate --format
json` for the same workspace (a test compares them). What the office writes goes into the workspace's
folder ``trang/`` (page), each run in a fresh folder: never over an earlier output.
"""

from __future__ import annotations

import contextlib
import secrets
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ihanoi_report.config import Round, format_date
from ihanoi_report.errors import IhanoiError, NothingToReport, UsageError
from ihanoi_report.messages import get_language, t
from ihanoi_report.model import Severity, Verdict, count_text, file_name, moment_text, percent_text
from ihanoi_report.office import Office, default_output, received_day
from ihanoi_report.web import uploads

PAGE_FOLDER = "trang"  # inside the workspace: what the page received and made
DOCUMENTS = ("forms", "workbook", "summary", "ranking", "errors")  # what the documents page makes


class Job:
    """A long run the page follows (an ingest of many files): how far it is, then the page it ends with."""

    def __init__(self) -> None:
        self.total, self.done = 0, 0
        self.page: Response | None = None

    @contextlib.contextmanager
    def progress(self, total: int) -> Iterator[Callable[[], None]]:
        self.total = total

        def advance() -> None:
            self.done += 1

        yield advance


class Desk:
    """What the server keeps between requests: the workspace, one lock for the office's work (a second tab
    waits its turn; a second `serve` or a CLI run meets the store's own locking), and the files it made,
    handed out by a random id only (never by a path a request names)."""

    def __init__(self, workspace: Path | None) -> None:
        self.workspace = workspace
        self.lock = threading.Lock()
        self.files: dict[str, Path] = {}
        self.jobs: dict[str, Job] = {}

    def office(self) -> Office:
        return Office.open(self.workspace)

    def start(self, work: Callable[[Job], Response]) -> str:
        """Run ``work`` (which says its own failures on its page) in a thread of its own; its page is kept under
        the returned id until shown."""
        key, job = secrets.token_urlsafe(9), Job()
        self.jobs[key] = job

        def run() -> None:
            job.page = work(job)

        threading.Thread(target=run, name=f"ingest-{key}", daemon=True).start()
        return key

    def offer(self, path: Path) -> str:
        """The address the page downloads ``path`` from."""
        key = secrets.token_urlsafe(9)
        self.files[key] = path
        return f"/file/{key}/{path.name}"

    def fresh_folder(self, office: Office, kind: str) -> Path:
        """A new folder trang/KIND/yyyymmdd-hhmmss[-n] of the workspace: a run's files never meet another's."""
        parent = office.workspace.root / PAGE_FOLDER / kind
        parent.mkdir(parents=True, exist_ok=True)
        stamp, n = datetime.now().strftime("%Y%m%d-%H%M%S"), 1
        while True:
            folder = parent / (stamp if n == 1 else f"{stamp}-{n}")
            try:
                folder.mkdir()
                return folder
            except FileExistsError:
                n += 1


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("ihanoi_report.web", "templates"), autoescape=select_autoescape())
    env.globals.update(t=t, percent=percent_text, count=count_text, day=lambda d: format_date(d) if d else "-",
                       moment=_moment,
                       Verdict=Verdict, Severity=Severity)
    return env


def _moment(iso: str) -> str:
    """ "17:03 ngày 02/12/2026" from the store's 2026-12-02T17:03:41."""
    try:
        return moment_text(datetime.fromisoformat(iso))
    except ValueError:
        return iso


class Pages:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.env = _environment()

    # --- rendering -----------------------------------------------------------------------------

    def render(self, office: Office | None, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        campaign = office.campaign if office is not None else None
        page = self.env.get_template(name).render(lang=get_language(), campaign=campaign,
                                                  workspace=_workspace_line(office), **context)
        return HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-store"})

    def failed(self, office: Office | None, error: Exception, given: Mapping[str, str]) -> HTMLResponse:
        """An error as the command line says it: what is wrong and what to do; a fault of the tool as the tool's."""
        nav: dict[str, Any] = {"round": None}
        if office is not None:
            with contextlib.suppress(Exception):  # a round that does not exist: the page shows none
                nav = self.nav(office, self.chosen_round(office, given), "")
        if isinstance(error, IhanoiError):
            return self.render(office, "error.html", 400 if isinstance(error, UsageError) else 409,
                               message=error.message, hint=error.hint, tool=False, **nav)
        traceback.print_exc(file=sys.stderr)
        detail = f"{type(error).__name__}: {error}"
        return self.render(office, "error.html", 500, message=t("web-internal", detail=detail),
                           hint=t("internal-error-hint"), tool=True, **nav)

    def guarded(self, work: Callable[[Request, Office], Response]) -> Callable[[Request], Response]:
        """A page's work under the desk's lock, its failures said on a page."""

        def page(request: Request) -> Response:
            office: Office | None = None
            with self.desk.lock:
                try:
                    office = self.desk.office()
                    return work(request, office)
                except Exception as error:
                    return self.failed(office, error, request.query_params)

        return page

    # --- choosing ------------------------------------------------------------------------------

    @staticmethod
    def chosen_round(office: Office, given: Mapping[str, str]) -> Round:
        return office.pick_round(_round_number(given)).round

    def nav(self, office: Office, rnd: Round | None, active: str) -> dict[str, Any]:
        return {"rounds": office.campaign.rounds, "round": rnd, "active": active}

    # --- the pages ------------------------------------------------------------------------------

    def glance(self, request: Request, office: Office) -> Response:
        rnd = self.chosen_round(office, request.query_params)
        try:
            found = office.status(rnd)
        except NothingToReport:
            return self.render(office, "glance.html", standings=None, **self.nav(office, rnd, "glance"))
        pictures: list[str] = []
        if found.view.accepted:
            folder = office.workspace.root / PAGE_FOLDER / ".anh" / f"lan-{rnd.number}"
            pictures = [self.desk.offer(path) for path in office.pictures(rnd, folder, known=found.view)]
        return self.render(office, "glance.html", found=found, standings=found.group_standings(),
                           pictures=pictures, **self.nav(office, rnd, "glance"))

    def receive_form(self, request: Request, office: Office) -> Response:
        rnd = self.chosen_round(office, request.query_params)
        return self.render(office, "receive.html", today=date.today().isoformat(), file_limit=uploads.FILE_LIMIT,
                           **self.nav(office, rnd, "receive"))

    async def receive(self, request: Request) -> Response:
        """The files of the form, streamed into trang/nhan/STAMP/, then the same ingest as `ingest FOLDER`."""
        office: Office | None = None
        try:
            office = self.desk.office()
            folder = self.desk.fresh_folder(office, "nhan")
            try:
                got = await uploads.receive(request.headers.get("content-type", ""), request.stream(), folder)
            except uploads.RequestTooLarge:
                _remove(folder)
                raise UsageError(t("web-request-too-large", megabytes=uploads.REQUEST_LIMIT // 2**20),
                                 t("web-request-too-large-hint")) from None
            if not any(upload.path for upload in got.files):  # nothing to check: said at once
                _remove(folder)
                if not any(u.refused for u in got.files):
                    raise UsageError(t("web-no-files"), t("web-no-files-hint"))
                rnd = office.pick_round(None).round
                return self.render(office, "received.html", result=None, rows=[], refused=got.refused,
                                   file_limit=uploads.FILE_LIMIT, **self.nav(office, rnd, "receive"))
        except Exception as error:
            return self.failed(office, error, request.query_params)
        opened, given = office, request.query_params
        job = self.desk.start(lambda job: self._ingest(opened, folder, got, job, given))
        return RedirectResponse(f"/receive/{job}", status_code=303)

    def progress(self, request: Request) -> Response:
        """A run of ingest under way: its progress bar, the page reloading itself until the verdicts are in."""
        job = self.desk.jobs.get(request.path_params["job"])
        if job is None:
            return HTMLResponse(t("web-file-gone"), status_code=404)
        if job.page is not None:
            return job.page
        office: Office | None = None
        try:  # not under the desk's lock, which the ingest holds until its end
            office = self.desk.office()
            rnd = self.chosen_round(office, request.query_params)
            return self.render(office, "progress.html", job=job, **self.nav(office, rnd, "receive"))
        except Exception as error:
            return self.failed(office, error, request.query_params)

    def _ingest(self, office: Office, folder: Path, got: uploads.Received, job: Job,
                given: Mapping[str, str]) -> Response:
        with self.desk.lock:
            try:
                return self._ingested(office, folder, got, job)
            except Exception as error:
                return self.failed(office, error, given)

    def _ingested(self, office: Office, folder: Path, got: uploads.Received, job: Job) -> Response:
        """The same ingest as `ingest FOLDER --feedback`, and its verdicts with each file's copy to download."""
        number = _round_number(got.fields)
        received = received_day(got.fields.get("received") or None)
        feedback = folder.parent.parent / "phan-hoi" / folder.name
        planned = office.plan_outputs(folder, None, feedback, force=False)
        result = office.ingest(planned, number, received=received, progress=job.progress)
        _, copies = office.write_outputs(result, planned)
        offered = {path.name: self.desk.offer(path) for path in copies}
        rows = []
        for report, stem in zip(result.files, planned.names, strict=True):
            copy = next((link for name, link in offered.items() if name.startswith(f"{stem}_")), None)
            rows.append((report, file_name(report.path), copy))
        rounds = sorted({r.round for r in result.files if r.round is not None})
        rnd = office.campaign.round(rounds[-1]) if rounds else office.pick_round(number).round
        return self.render(office, "received.html", result=result, rows=rows, refused=got.refused,
                           file_limit=uploads.FILE_LIMIT, coverage=office.coverage(result),
                           closed=office.closed_rounds(rounds), folder=folder,
                           **self.nav(office, rnd, "receive"))  # fmt: skip

    def missing(self, request: Request, office: Office) -> Response:
        rnd = self.chosen_round(office, request.query_params)
        try:
            found = office.status(rnd)
        except NothingToReport:
            found = None
        return self.render(office, "missing.html", found=found, **self.nav(office, rnd, "missing"))

    def documents(self, request: Request, office: Office) -> Response:
        rnd = self.chosen_round(office, request.query_params)
        return self.render(office, "documents.html", made=None, kinds=DOCUMENTS, groups=office.registry.groups,
                           **self.nav(office, rnd, "documents"))

    async def posted(self, request: Request, work: Callable[[Office, Mapping[str, str]], Response]) -> Response:
        """A form of the page (a few short fields, no file), then its work as any page's."""
        form = await request.form(max_files=0, max_fields=10)
        fields = {key: str(value) for key, value in form.items()}
        return await run_in_threadpool(self.guarded(lambda _, office: work(office, fields)), request)

    async def make(self, request: Request) -> Response:
        return await self.posted(request, self._make)

    def _make(self, office: Office, fields: Mapping[str, str]) -> Response:
        """One document of the round, into a fresh folder trang/tai-lieu/STAMP/, offered for download."""
        rnd = self.chosen_round(office, fields)
        kind = fields.get("kind", "")
        if kind not in DOCUMENTS:
            raise UsageError(t("web-unknown-document"))
        folder = self.desk.fresh_folder(office, "tai-lieu")
        made: dict[str, Any] = {"kind": kind, "files": [], "pictures": [], "message": "", "notes": []}
        if kind == "forms":
            units = office.pick_units([], fields.get("group") or None)
            written = office.template(rnd, units, folder / f"bieu-mau-lan-{rnd.number}", force=False).written
            archive = _zipped(written, folder / f"bieu-mau-{office.campaign.short_name}-lan-{rnd.number}.zip")
            made["files"] = [(archive.name, self.desk.offer(archive))]
            made["notes"] = [t("web-forms-placeholder", key=key, text=text, path=office.campaign.source)
                             for key, text in office.campaign.form.placeholders()]
        elif kind == "workbook":
            name = default_output(office.campaign, rnd, "xlsx").name
            _, path = office.consolidate(rnd, folder / name, "xlsx", force=False)
            made["files"] = [(path.name, self.desk.offer(path))]
        elif kind == "summary":
            pack = office.summary(rnd, folder / f"bao-cao-lan-{rnd.number}", force=False)
            made["files"] = [(p.name, self.desk.offer(p)) for p in (pack.report, pack.workbook, pack.message)]
            made["pictures"] = [(p.name, self.desk.offer(p)) for p in pack.pictures]
            made["message"] = pack.message_text
        elif kind == "ranking":
            ranking = office.ranking(rnd)
            path = office.write_ranking(ranking, folder / f"Xep-hang-thi-dua-den-lan-{rnd.number}.xlsx", "xlsx",
                                        force=False)
            made["files"] = [(path.name, self.desk.offer(path))]
        else:
            report, copies, _ = office.feedback(rnd, folder / f"Danh-sach-loi-lan-{rnd.number}.xlsx",
                                                folder / "phan-hoi", force=False)
            made["files"] = [(p.name, self.desk.offer(p)) for p in (report, *copies)]
        return self.render(office, "documents.html", made=made, folder=folder, kinds=DOCUMENTS,
                           groups=office.registry.groups, **self.nav(office, rnd, "documents"))

    def units(self, request: Request, office: Office) -> Response:
        rnd = self.chosen_round(office, request.query_params)
        try:
            standing = office.status(rnd).view.status.to_dict("records")
        except NothingToReport:
            standing = [{"code": u.code, "name": u.name, "status": "missing", "group": u.group}
                      for u in office.registry.reporting_units()]
        groups = {g.code: g.label for g in office.registry.groups}
        return self.render(office, "units.html", standing=standing, groups=groups, **self.nav(office, rnd, "units"))

    def unit(self, request: Request, office: Office) -> Response:
        view = office.unit_view(request.path_params["code"])
        rnd = self.chosen_round(office, request.query_params)
        return self.render(office, "unit.html", view=view, **self.nav(office, rnd, "units"))

    def original(self, request: Request, office: Office) -> Response:
        """A file as the unit sent it, from the store (the inbox may be long gone)."""
        view = office.unit_view(request.path_params["code"])
        report = next((r for r in view.reports if r.sha256 == request.path_params["sha256"]), None)
        data = office.original(report.sha256) if report is not None else None
        if report is None or data is None:
            return HTMLResponse(t("web-file-gone"), status_code=404)
        name = Path(report.path.replace("\\", "/")).name
        return Response(data, media_type="application/octet-stream",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    def closing(self, request: Request, office: Office) -> Response:
        rnd = self.chosen_round(office, request.query_params)
        closed = office.closed_rounds([rnd.number])
        return self.render(office, "close.html", closed=closed[0] if closed else None, done="",
                           **self.nav(office, rnd, "close"))

    async def close(self, request: Request) -> Response:
        return await self.posted(request, self._close)

    def _close(self, office: Office, fields: Mapping[str, str]) -> Response:
        rnd = self.chosen_round(office, fields)
        if fields.get("confirm") != "yes":
            raise UsageError(t("web-close-unconfirmed"))
        if fields.get("action") == "reopen":
            office.reopen_round(rnd)
            done = "reopened"
        else:
            office.close_round(rnd)
            done = "closed"
        closed = office.closed_rounds([rnd.number])
        return self.render(office, "close.html", closed=closed[0] if closed else None, done=done,
                           **self.nav(office, rnd, "close"))

    def file(self, request: Request) -> Response:
        path = self.desk.files.get(request.path_params["key"])
        if path is None or path.name != request.path_params["name"] or not path.is_file():
            return HTMLResponse(t("web-file-gone"), status_code=404)
        inline = path.suffix.lower() in (".png", ".txt")
        return FileResponse(path, filename=path.name, content_disposition_type="inline" if inline else "attachment")


def _round_number(given: Mapping[str, str]) -> int | None:
    """The round a page's address or form names (none: the office picks today's, as the command line does)."""
    text = given.get("round", "")
    return int(text) if text.isdigit() else None


def _workspace_line(office: Office | None) -> str:
    """Which folder the page works on, and whose configuration: an officer in the wrong folder sees it."""
    if office is None:
        return ""
    from ihanoi_report.config import CAMPAIGN_FILE, UNITS_FILE

    own = office.own_config
    defaults = [n for n in (CAMPAIGN_FILE, UNITS_FILE) if office.workspace.root / n not in own]
    said = [t("web-workspace", path=office.workspace.root)]
    if own:
        said.append(t("using-workspace-config", path=", ".join(p.name for p in own)))
    if defaults:
        said.append(t("using-default-config", what=", ".join(defaults)))
    return " · ".join(said)


def _zipped(paths: Sequence[Path], target: Path) -> Path:
    """The blank forms in one .zip: one download, one attachment to forward."""
    import zipfile

    from ihanoi_report.files import write_atomically

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, path.name)

    write_atomically(target, write, force=False)
    return target


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def make_app(desk: Desk) -> Starlette:
    pages = Pages(desk)
    static = StaticFiles(packages=[("ihanoi_report.web", "static")])
    routes = [
        Route("/", pages.guarded(pages.glance)),
        Route("/receive", pages.guarded(pages.receive_form)),
        Route("/receive", pages.receive, methods=["POST"]),
        Route("/receive/{job}", pages.progress),
        Route("/missing", pages.guarded(pages.missing)),
        Route("/documents", pages.guarded(pages.documents)),
        Route("/documents", pages.make, methods=["POST"]),
        Route("/units", pages.guarded(pages.units)),
        Route("/unit/{code}", pages.guarded(pages.unit)),
        Route("/unit/{code}/original/{sha256}", pages.guarded(pages.original)),
        Route("/close", pages.guarded(pages.closing)),
        Route("/close", pages.close, methods=["POST"]),
        Route("/file/{key}/{name}", pages.file),
        Mount("/static", static, name="static"),
    ]
    return Starlette(routes=routes)
