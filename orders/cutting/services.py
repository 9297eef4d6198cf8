"""Cutting a microdata line's product and sample from the office's master files: started when
staff approve a request (and again for a revised sample, or by staff), run by a worker
(orders.cutting.tasks), kept as the line's prepared files. Staff see the progress, the files
and their first rows, and send the offer themselves."""

import errno
import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from catalog.masters import (
    MasterInfo,
    MasterUnreadable,
    codebook_value_labels,
    master_header,
    region_values,
)
from catalog.models import DataFile, Dataset, ProductKind, Region, Variable, VariableType
from catalog.services import dataset_region_variables
from silastik.background import enqueue_on_commit
from silastik.money import dotted
from silastik.users.models import User

from ..models import FileKind, Order, OrderLine
from ..models import OrderStatus as S
from ..services.files import line_file_upload
from ..services.moves import OrderError, office_check
from ..workflow import Actor, actor_of
from .engine import CutFile, CutLimit, CutOutput, CutSource, CutSpec, CutStopped, cut_make
from .models import ACTIVE, CutRun, CutStatus

log = logging.getLogger(__name__)

CUT_STATES = (S.PREPARING, S.REVISING)
# How often a running cut writes its progress (and reads whether it was cancelled).
BEAT_SECONDS = 1.0


def _staff_check(*, order: Order, by: User) -> None:
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    office_check(order=order, by=by)


# --- what to cut --------------------------------------------------------------------------------


def _line_files(line: OrderLine) -> tuple[Dataset, list[DataFile]]:
    """The data files a line is cut from: those of its chosen variables, or every one. Reads
    no variable (the order page asks this of each line)."""
    dataset = line.product.dataset
    files = dataset.files.order_by("position")
    if line.by_variable:
        files = files.filter(pk__in=line.variables.values("file_id"))
    return dataset, list(files)


def _chosen_variables(line: OrderLine) -> list[Variable]:
    """The variables delivered, with their value labels (the worker's part)."""
    variables = line.variables if line.by_variable else line.product.dataset.variables
    return list(
        variables.select_related("file").prefetch_related("categories").order_by("position")
    )


def line_cut_check(*, line: OrderLine) -> list[DataFile]:
    """The data files a line is cut from, each with its master; OrderError naming what is
    missing (a master, a region variable) otherwise. Reads no file."""
    if line.kind != ProductKind.MICRODATA or line.printed:
        raise OrderError(_("Only microdata is cut from master files."))
    dataset, files = _line_files(line)
    if not files:
        raise OrderError(_("The dataset has no data files to cut from."))
    missing = [f.file_id for f in files if not f.master]
    if missing:
        raise OrderError(
            _(
                "Attach the master data file of %(files)s first (on the data file's page), "
                "or upload the prepared file yourself."
            )
            % {"files": get_text_list(missing, _("and"))}
        )
    if line.regions:
        regional = dataset_region_variables(dataset=dataset)
        without = [f.file_id for f in files if f.pk not in regional]
        if without:
            raise OrderError(
                _(
                    "%(files)s has no region variable, so the chosen regions cannot be cut "
                    "from it: name the dataset's region variable, or prepare the file yourself."
                )
                % {"files": get_text_list(without, _("and"))}
            )
    return files


@contextmanager
def _local(data_file: DataFile, workdir: Path) -> Iterator[str]:
    """A path to the master on this machine: the file itself on local storage, a streamed
    copy in the working folder from remote storage (S3)."""
    try:
        path = data_file.master.path
    except NotImplementedError:  # the storage has no local files (S3): copy it here
        path = None
    if path is not None:
        yield path
        return
    copy = workdir / f"master-{data_file.pk}.{data_file.master_format}"
    with data_file.master.open("rb") as remote, open(copy, "wb") as local:
        shutil.copyfileobj(remote, local, length=1024 * 1024)
    try:
        yield str(copy)
    finally:
        copy.unlink(missing_ok=True)


def _join_keys(files: list[DataFile]) -> list[str]:
    """Variables in every delivered file (household and person ids): delivered with each, so
    the files can be joined. One file needs none."""
    if len(files) < 2:
        return []
    names = [set(Variable.objects.filter(file=f).values_list("name", flat=True)) for f in files]
    common = set.intersection(*names)
    ordered = Variable.objects.filter(file=files[0], name__in=common).order_by("position")
    return list(ordered.values_list("name", flat=True))


def _source(
    *,
    data_file: DataFile,
    path: str,
    chosen: list[Variable],
    keys: list[str],
    region: str | None,
    whole_columns: bool,
) -> CutSource:
    header: MasterInfo = master_header(path, fmt=data_file.master_format)
    in_file = [v for v in chosen if v.file_id == data_file.pk]
    if whole_columns:
        columns = list(header.columns)
    else:
        wanted = [*keys, *[v.name for v in in_file if v.name not in keys]]
        columns = []
        for name in wanted:
            column = header.column_for(name)
            if column is None:
                raise OrderError(
                    _("%(variable)s is not in the master file of %(file)s: attach it again.")
                    % {"variable": name, "file": data_file.file_id}
                )
            if column not in columns:
                columns.append(column)
    by_name = {v.name.lower(): v for v in Variable.objects.filter(file=data_file)}
    numeric, labels = {}, dict(header.column_labels)
    for column in columns:
        variable = by_name.get(column.lower())
        if variable is not None:
            numeric[column] = variable.var_type == VariableType.NUMERIC
            if variable.label:
                labels[column] = variable.label
    value_labels = dict(header.value_labels)
    for name, pairs in codebook_value_labels([v for v in in_file if v.categories.all()]).items():
        column = header.column_for(name)
        if column is not None and column not in value_labels:
            value_labels[column] = pairs
    return CutSource(
        file_id=data_file.file_id,
        path=path,
        master_format=data_file.master_format,
        records=data_file.master_records or 0,
        columns=tuple(columns),
        region_column=header.column_for(region) if region else None,
        numeric=numeric,
        column_labels={c: labels[c] for c in columns if labels.get(c)},
        value_labels={c: value_labels[c] for c in columns if value_labels.get(c)},
    )


def _readme(*, order: Order, line: OrderLine, files: list[CutFile], regions: list[str]) -> str:
    office = order.office
    names = dict(Region.objects.filter(code__in=regions).values_list("code", "name"))
    lines = [
        office.name if office else "",
        "",
        _("Order %(number)s: %(product)s") % {"number": order.number, "product": line.description},
        _("For: %(name)s") % {"name": order.customer.full_name or order.customer.email},
        _("Prepared by the portal on %(date)s from the office's master data.")
        % {"date": date_format(timezone.localdate(), "j F Y")},
        _("Format: %(format)s") % {"format": line.get_data_format_display()},
        _("Regions: %(regions)s")
        % {
            "regions": ", ".join(f"{c} {names.get(c, '')}".strip() for c in regions)
            if regions
            else _("the whole coverage")
        },
        "",
    ]
    for f in files:
        lines.append(
            _("%(name)s: %(records)s records, %(variables)s variables, %(bytes)s bytes")
            % {
                "name": f.name,
                "records": dotted(f.records),
                "variables": dotted(f.variables),
                "bytes": dotted(f.bytes),
            }
        )
    lines += [
        "codebook.html: " + _("the delivered variables, their labels and value labels"),
        "",
        _(
            "These data are delivered under the data use agreement (SPPD) of order "
            "%(number)s, signed by the customer and the office. They may be used only for the "
            "purpose stated there, may not be passed on, and publications from them name the "
            "source: %(office)s."
        )
        % {"number": order.number, "office": office.name if office else ""},
    ]
    return "\n".join(lines) + "\n"


def _spec(*, run: CutRun, sources: list[CutSource], regions: list[str], whole: bool) -> CutSpec:
    line, order = run.line, run.line.order
    dataset = line.product.dataset
    delivered = {c.lower() for s in sources for c in s.columns}
    variables = [
        v
        for v in dataset.variables.select_related("file").prefetch_related("categories")
        if v.name.lower() in delivered
    ]
    # The README and the codebook are the customer's, in their language.
    language = order.customer.language or settings.LANGUAGE_CODE
    with translation.override(language):
        codebook = render_to_string(
            "documents/cut_codebook.html",
            {"order": order, "line": line, "dataset": dataset, "variables": variables},
        )

    def readme(files: list[CutFile]) -> str:
        with translation.override(language):
            return _readme(order=order, line=line, files=files, regions=regions)

    return CutSpec(
        sources=tuple(sources),
        out_format=line.data_format,
        regions=frozenset(region_values(dataset=dataset, codes=regions)) if regions else None,
        whole=whole,
        stem=(order.number or f"order-{order.pk}").replace("/", "-"),
        readme=readme,
        codebook_html=codebook,
        max_output_bytes=settings.CUT_MAX_OUTPUT_BYTES,
        max_seconds=settings.CUT_TIME_LIMIT_SECONDS,
        sample_seed=run.sample_seed,
    )


# --- starting and stopping ----------------------------------------------------------------------


def line_cut_start(*, line: OrderLine, by: User, sample_seed: int | None = None) -> CutRun:
    """Queue a cut of the line; a worker makes it. One runs per line at a time; a run whose
    worker was lost (no sign of life for CUT_STALE_AFTER) is marked failed and replaced."""
    order = line.order
    _staff_check(order=order, by=by)
    if order.status not in CUT_STATES:
        raise OrderError(_("Products are cut only while the order is being prepared."))
    line_cut_check(line=line)
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.status not in CUT_STATES:
                raise OrderError(_("Products are cut only while the order is being prepared."))
            for run in CutRun.objects.filter(line=line, status__in=ACTIVE):
                if not run.stale:
                    raise OrderError(_("This line is being cut already."))
                _fail(run.pk, _("The worker stopped while cutting (it was killed or restarted)."))
            run = CutRun.objects.create(
                line=line,
                requested_by=by,
                sample_seed=locked.sample_revisions if sample_seed is None else sample_seed,
            )
            from .tasks import line_cut  # the task calls this module

            enqueue_on_commit(line_cut, run.pk)
    except IntegrityError:  # a second click in the same instant
        raise OrderError(_("This line is being cut already.")) from None
    return run


def order_cuts_start(*, order: Order, by: User) -> list[CutRun]:
    """Cut every microdata line whose master files are there (after approval); lines without
    them are prepared by hand as before."""
    started = []
    for line in order.lines.filter(kind=ProductKind.MICRODATA, printed=False):
        try:
            line_cut_check(line=line)
        except OrderError:
            continue
        started.append(line_cut_start(line=line, by=by))
    return started


def order_cuts_rerun(*, order: Order) -> list[CutRun]:
    """A revised sample: cut again, for the staff member who started the last cut of each
    line, with the next seed so other records are drawn."""
    started = []
    for line in order.lines.filter(kind=ProductKind.MICRODATA, printed=False):
        last = CutRun.objects.filter(line=line).select_related("requested_by").first()
        if last is None:
            continue
        try:
            started.append(
                line_cut_start(line=line, by=last.requested_by, sample_seed=last.sample_seed + 1)
            )
        except OrderError as exc:
            log.info("order %s: no new cut of line %s: %s", order.pk, line.pk, exc.message)
    return started


def cut_cancel(*, run: CutRun, by: User) -> CutRun:
    _staff_check(order=run.line.order, by=by)
    with transaction.atomic():
        locked = CutRun.objects.select_for_update().get(pk=run.pk)
        if locked.status not in ACTIVE:
            raise OrderError(_("This cut has finished already."))
        locked.status = CutStatus.CANCELLED
        locked.finished_at = timezone.now()
        locked.message = _("Cancelled by %(name)s.") % {"name": by.full_name or by.email}
        locked.save(update_fields=["status", "finished_at", "message"])
    return locked


def cuts_running(*, order: Order) -> list[CutRun]:
    """The order's cuts still at work (not those whose worker was lost)."""
    runs = CutRun.objects.filter(line__order=order, status__in=ACTIVE).select_related("line")
    return [run for run in runs if not run.stale]


def _fail(run_id: int, message: str) -> None:
    CutRun.objects.filter(pk=run_id, status__in=ACTIVE).update(
        status=CutStatus.FAILED, message=message[:500], finished_at=timezone.now()
    )


# --- the worker's part --------------------------------------------------------------------------


class _Beat:
    """Progress written at most once a second; a cancelled run is seen at the same time."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.last = 0.0
        self.cancelled = False

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self.last < BEAT_SECONDS:
            return
        self.last = now
        moved = CutRun.objects.filter(pk=self.run_id, status=CutStatus.RUNNING).update(
            progress=min(99, int(fraction * 100)), heartbeat_at=timezone.now()
        )
        self.cancelled = not moved

    def stop(self) -> bool:
        return self.cancelled


def cut_execute(*, run_id: int) -> CutRun | None:
    """Make a queued cut (the worker's task). Whatever goes wrong leaves the line's files as
    they were, the reason on the run, and the working folder removed; staff may start again."""
    with transaction.atomic():
        run = CutRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != CutStatus.QUEUED:
            return run  # cancelled before it began, or a task delivered twice
        run.status, run.started_at = CutStatus.RUNNING, timezone.now()
        run.heartbeat_at = run.started_at
        run.save(update_fields=["status", "started_at", "heartbeat_at"])
    run = CutRun.objects.select_related(
        "line__order__office", "line__order__customer", "line__product__dataset", "requested_by"
    ).get(pk=run_id)
    with translation.override(run.requested_by.language or settings.LANGUAGE_CODE):
        try:
            _execute(run)
        except CutStopped:
            pass
        except OrderError as exc:
            _fail(run_id, exc.message)
        except CutLimit as exc:
            _fail(run_id, _limit_message(exc))
        except MasterUnreadable as exc:
            log.warning("cut %s: master unreadable: %s", run_id, exc)
            _fail(
                run_id,
                _("A master data file cannot be read (damaged or incomplete): attach it again."),
            )
        except OSError as exc:
            log.exception("cut %s failed", run_id)
            if exc.errno == errno.ENOSPC:
                _fail(run_id, _("The disk is full: there is no room to write the product."))
            else:
                _fail(run_id, _("The product could not be written: %(error)s") % {"error": exc})
        except Exception:
            log.exception("cut %s failed", run_id)
            _fail(run_id, _("The cut stopped on an unexpected error (logged); try again."))
    run.refresh_from_db()
    return run


def _limit_message(exc: CutLimit) -> str:
    if exc.what == "time":
        return _(
            "The cut took longer than %(minutes)s minutes and was stopped: cut fewer regions or "
            "variables, or prepare the file yourself."
        ) % {"minutes": dotted(max(1, exc.limit // 60))}
    return _("The product would be larger than %(limit)s and was stopped: prepare it yourself.") % {
        "limit": filesizeformat(exc.limit)
    }


def _execute(run: CutRun) -> None:
    line = run.line
    files = line_cut_check(line=line)
    chosen = _chosen_variables(line)
    whole = not line.by_variable and not line.regions
    regions = list(line.regions)
    regional = dataset_region_variables(dataset=line.product.dataset) if regions else {}
    keys = _join_keys(files) if line.by_variable else []
    beat = _Beat(run.pk)
    _workdirs_sweep()
    with tempfile.TemporaryDirectory(prefix=WORKDIR_PREFIX, dir=settings.CUT_WORK_DIR) as tmp:
        workdir = Path(tmp)
        with _locals(files, workdir) as paths:
            sources = [
                _source(
                    data_file=f,
                    path=paths[f.pk],
                    chosen=chosen,
                    keys=keys,
                    region=regional.get(f.pk),
                    whole_columns=not line.by_variable,
                )
                for f in files
            ]
            spec = _spec(run=run, sources=sources, regions=regions, whole=whole)
            output = cut_make(spec, workdir, progress=beat, stop=beat.stop)
        _keep(run, output)


WORKDIR_PREFIX = "silastik-cut-"


def _workdirs_sweep() -> None:
    """Working folders left by a worker that was killed mid-cut (a clean end removes its own):
    gone once older than the longest a cut may run."""
    root = Path(settings.CUT_WORK_DIR or tempfile.gettempdir())
    oldest = time.time() - settings.CUT_TIME_LIMIT_SECONDS - 60
    for folder in root.glob(f"{WORKDIR_PREFIX}*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < oldest:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


@contextmanager
def _locals(files: list[DataFile], workdir: Path) -> Iterator[dict[int, str]]:
    with ExitStack() as stack:
        yield {f.pk: stack.enter_context(_local(f, workdir)) for f in files}


def _keep(run: CutRun, output: CutOutput) -> None:
    """The product and the sample become the line's current prepared files, at once or not at
    all, and only while the run was not cancelled and the order still being prepared."""
    line, stem = run.line, output.product.stem
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=line.order_id)
        locked = CutRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != CutStatus.RUNNING:
            return  # cancelled at the last moment
        if order.status not in CUT_STATES:
            raise OrderError(_("The order moved on while it was cut; nothing was kept."))
        with open(output.product, "rb") as product, open(output.sample, "rb") as sample:
            made = line_file_upload(
                line=line,
                by=run.requested_by,
                upload=_named(product, f"{stem}.zip", data_bytes=output.data_bytes),
                kind=FileKind.PRODUCT,
                note=_("Cut by the portal from the master data"),
            )
            made_sample = line_file_upload(
                line=line,
                by=run.requested_by,
                upload=_named(sample, f"{stem}-sample.zip"),
                kind=FileKind.SAMPLE,
                note=_("Drawn by the portal from the same cut"),
            )
        locked.status, locked.progress, locked.finished_at = CutStatus.DONE, 100, timezone.now()
        locked.product, locked.sample = made, made_sample
        locked.records, locked.variables = output.records, output.variables
        locked.data_bytes = output.data_bytes
        locked.files = [f.as_data() for f in output.files]
        locked.save()


def _named(handle: IO[bytes], name: str, *, data_bytes: int | None = None) -> File:
    """A finished archive handed to line_file_upload as an upload: its name shown, a random
    one stored, its data measured by the cut."""
    upload = File(handle, name=f"{uuid.uuid4().hex}.zip")
    upload.original_name = name  # type: ignore[attr-defined]
    if data_bytes is not None:
        upload.data_bytes = data_bytes  # type: ignore[attr-defined]
    return upload
