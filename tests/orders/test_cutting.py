"""The portal cuts a microdata request from the office's master files: the chosen variables and
the chosen regions' records, in the format ordered, with labels, a codebook, a README and a
seeded sample; the offer is priced from what was cut. Failures leave the line as it was."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.masters import master_check
from catalog.pricing import microdata_breakdown, tariffs_in_force
from catalog.selection import Selection
from orders import services
from orders.cutting import engine
from orders.cutting import services as cutting
from orders.models import CutRun, CutStatus, LineFile, Order
from orders.models import OrderStatus as S
from tests.factories import UserFactory, office
from tests.masters import (
    PROVINCES,
    WORK,
    attach,
    master_dataset,
    master_frame,
    master_upload,
    read_back,
)

from .conftest import ABSTRACT

pytestmark = pytest.mark.django_db

CHOSEN = ["R301", "R302", "R303", "R305", "NAMA_DESA"]
REGIONS = ("31", "33")


def ordered(customer, dataset, *, fmt="sav", names=CHOSEN, regions=REGIONS) -> Order:
    ids = frozenset(dataset.variables.filter(name__in=names).values_list("pk", flat=True))
    selection = Selection(variables=ids, by_variable=True, regions=regions, data_format=fmt)
    services.cart_add(customer=customer, product=dataset, selection=selection)
    cart = Order.objects.get(customer=customer, status=S.DRAFT)
    return services.order_submit(
        order=cart, by=customer, ip="10.0.0.1", terms_accepted=True, abstract=ABSTRACT
    )


def approved(customer, staff, dataset, committed, **kwargs) -> Order:
    order = ordered(customer, dataset, **kwargs)
    with committed():
        services.order_approve(order=order, by=staff)
    return Order.objects.get(pk=order.pk)


def members(line_file: LineFile) -> dict[str, bytes]:
    with line_file.file.open("rb") as stored, zipfile.ZipFile(io.BytesIO(stored.read())) as z:
        return {name: z.read(name) for name in z.namelist()}


def data_member(files: dict[str, bytes]) -> tuple[str, bytes]:
    name = next(n for n in files if n.rsplit(".", 1)[-1] in ("csv", "sav", "dta"))
    return name, files[name]


def expected_rows(frame, regions=REGIONS):
    return frame[frame["PROV"].isin([float(r) for r in regions])]


# --- masters --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sav", "dta", "csv"])
def test_a_master_that_matches_its_codebook_is_attached(fmt):
    dataset = master_dataset()
    data_file = attach(dataset, fmt)
    data_file.refresh_from_db()
    assert data_file.master_format == fmt
    assert data_file.master_records == 60
    assert data_file.master_name == f"master.{fmt}"
    assert data_file.master.storage.exists(data_file.master.name)


def test_a_mismatched_master_is_refused_with_every_reason():
    dataset = master_dataset()
    data_file = dataset.files.get()
    frame = master_frame(59).drop(columns=["R304"])
    frame["R303"] = frame["R303"].map(lambda v: f"umur {v}")
    with pytest.raises(Exception) as refused:
        master_check(data_file=data_file, upload=master_upload(frame, "sav"))
    messages = refused.value.messages
    assert "Variabel buku kode tidak ada dalam berkas: R304." in messages
    assert "Numerik di buku kode tetapi teks dalam berkas: R303." in messages
    assert "Berkas berisi 59 rekaman; buku kode menyebut 60." in messages
    data_file.refresh_from_db()
    assert not data_file.master


def test_staff_attach_a_master_on_the_data_file_page(client, staff):
    dataset = master_dataset()
    data_file = dataset.files.get()
    client.force_login(staff)
    url = reverse("admin:catalog_datafile_change", args=[data_file.pk])
    form = {
        "file_id": "F1",
        "name": "Rumah tangga",
        "records": 60,
        "description": "",
        "record_length": "",
        "region_records-TOTAL_FORMS": 0,
        "region_records-INITIAL_FORMS": 0,
    }
    bad = client.post(url, {**form, "master_upload": master_upload(master_frame(30), "csv")})
    assert bad.status_code == 200
    assert "Berkas berisi 30 rekaman; buku kode menyebut 60." in bad.content.decode()
    data_file.refresh_from_db()
    assert not data_file.master

    good = client.post(url, {**form, "master_upload": master_upload(master_frame(), "dta")})
    assert good.status_code == 302
    data_file.refresh_from_db()
    assert (data_file.master_format, data_file.master_records) == ("dta", 60)


def test_a_file_that_is_no_data_is_refused_on_the_page(client, staff):
    data_file = master_dataset().files.get()
    client.force_login(staff)
    url = reverse("admin:catalog_datafile_change", args=[data_file.pk])
    fake = SimpleUploadedFile("master.sav", b"%PDF-1.4 not data")
    response = client.post(
        url,
        {
            "file_id": "F1",
            "name": "Rumah tangga",
            "records": 60,
            "region_records-TOTAL_FORMS": 0,
            "region_records-INITIAL_FORMS": 0,
            "master_upload": fake,
        },
    )
    assert response.status_code == 200
    data_file.refresh_from_db()
    assert not data_file.master


def test_another_offices_staff_cannot_open_the_data_file(client):
    data_file = master_dataset().files.get()
    stranger = UserFactory(roles=["pst_staff"], office=office("3171"))
    client.force_login(stranger)
    response = client.get(reverse("admin:catalog_datafile_change", args=[data_file.pk]))
    assert response.status_code in (302, 404)


# --- the cut ----------------------------------------------------------------------------------


@pytest.mark.parametrize("master_format", ["sav", "dta", "csv"])
@pytest.mark.parametrize("out_format", ["sav", "dta", "csv"])
def test_approval_cuts_the_chosen_variables_and_regions(
    customer, staff, committed, master_format, out_format
):
    dataset = master_dataset()
    attach(dataset, master_format)
    order = approved(customer, staff, dataset, committed, fmt=out_format)
    run = CutRun.objects.get(line__order=order)
    assert run.status == CutStatus.DONE, run.message
    assert run.progress == 100
    line = order.lines.get()
    product = line.current_file("product")
    assert product == run.product
    files = members(product)
    assert {"README.txt", "codebook.html"} <= set(files)
    name, data = data_member(files)
    assert name.endswith(f"-F1.{out_format}")
    frame, meta = read_back(data, name)
    assert list(frame.columns) == CHOSEN
    want = expected_rows(master_frame())
    assert len(frame) == len(want) == 40
    if out_format == "csv":
        assert frame["R301"].tolist() == [str(int(v)) for v in want["R301"]]
        assert frame["NAMA_DESA"].tolist() == want["NAMA_DESA"].tolist()
        assert frame["R305"].tolist() == [f"{v:.15g}" for v in want["R305"]]
    else:
        assert frame["R303"].tolist() == want["R303"].tolist()
        assert frame["NAMA_DESA"].tolist() == want["NAMA_DESA"].tolist()
        assert frame["R305"].tolist() == pytest.approx(want["R305"].tolist())
        labels = {int(k): v for k, v in meta.variable_value_labels["R302"].items()}
        assert labels == WORK
        assert meta.column_names_to_labels["R303"] == "Umur kepala rumah tangga"
    # Exactly the delivered variables in the codebook, and the README names the order.
    codebook = files["codebook.html"].decode()
    assert all(f"<td>{v}</td>" in codebook for v in CHOSEN)
    assert "<td>R304</td>" not in codebook and "<td>PROV</td>" not in codebook
    readme = files["README.txt"].decode()
    assert order.number in readme and order.office.name in readme
    assert "SPPD" in readme and "40" in readme
    assert run.records == 40 and run.variables == 5
    assert run.files[0]["preview_columns"] == CHOSEN
    assert len(run.files[0]["preview_rows"]) == 5


def test_the_offer_is_priced_from_the_data_cut(customer, staff, committed):
    dataset = master_dataset()
    attach(dataset, "sav")
    order = approved(customer, staff, dataset, committed, fmt="csv")
    run = CutRun.objects.get(line__order=order)
    _name, data = data_member(members(run.product))
    assert run.data_bytes == len(data) == run.product.data_bytes
    order = services.order_offer(order=order, by=staff, price_reason="Dipotong dari data induk.")
    line = order.lines.get()
    expected = microdata_breakdown(size_bytes=len(data), tariffs=tariffs_in_force())
    assert line.size_bytes == len(data)
    assert line.quoted_amount == expected.amount
    assert order.invoices.get().total == expected.amount


def test_the_sample_is_ten_records_of_the_same_cut_with_labels(customer, staff, committed):
    dataset = master_dataset()
    attach(dataset, "sav")
    order = approved(customer, staff, dataset, committed, fmt="sav")
    run = CutRun.objects.get(line__order=order)
    sample_files = members(run.sample)
    name, data = data_member(sample_files)
    assert name.startswith("sample-")
    frame, meta = read_back(data, name)
    assert list(frame.columns) == CHOSEN
    assert len(frame) == 10
    cut, _meta = read_back(*reversed(data_member(members(run.product))))
    cut_rows = {tuple(r) for r in cut.astype(str).itertuples(index=False)}
    assert {tuple(r) for r in frame.astype(str).itertuples(index=False)} <= cut_rows
    assert {int(k): v for k, v in meta.variable_value_labels["R302"].items()} == WORK
    # The same seed draws the same records: the sample is reproducible.
    again = cutting.line_cut_start(line=order.lines.get(), by=staff, sample_seed=run.sample_seed)
    cutting.cut_execute(run_id=again.pk)
    again.refresh_from_db()
    # The same records (an SPSS file also carries the second it was written: not its bytes).
    redrawn, _meta = read_back(*reversed(data_member(members(again.sample))))
    assert redrawn.astype(str).values.tolist() == frame.astype(str).values.tolist()


def test_a_revised_sample_is_cut_again_with_other_records(customer, staff, committed):
    dataset = master_dataset()
    attach(dataset, "csv")
    order = approved(customer, staff, dataset, committed, fmt="csv")
    first = CutRun.objects.get(line__order=order)
    order = services.order_offer(order=order, by=staff, price_reason="Dipotong dari data induk.")
    with committed():
        services.order_request_revision(
            order=order, by=customer, what="sample", note="Contoh kurang mewakili."
        )
    runs = list(CutRun.objects.filter(line__order=order).order_by("created_at"))
    assert len(runs) == 2
    second = runs[1]
    assert second.status == CutStatus.DONE and second.sample_seed == first.sample_seed + 1
    assert second.requested_by == staff
    assert data_member(members(second.sample))[1] != data_member(members(first.sample))[1]
    # The product is the same cut; the line's current files are the new ones.
    assert data_member(members(second.product))[1] == data_member(members(first.product))[1]
    line = order.lines.get()
    assert line.current_file("sample") == second.sample


def test_a_full_set_gets_the_master_files_as_they_are(customer, staff, committed):
    dataset = master_dataset()
    data_file = attach(dataset, "dta")
    services.cart_add(customer=customer, product=dataset, selection=Selection(data_format="csv"))
    cart = Order.objects.get(customer=customer, status=S.DRAFT)
    order = services.order_submit(
        order=cart, by=customer, ip="10.0.0.1", terms_accepted=True, abstract=ABSTRACT
    )
    with committed():
        services.order_approve(order=order, by=staff)
    run = CutRun.objects.get(line__order=order)
    assert run.status == CutStatus.DONE, run.message
    name, data = data_member(members(run.product))
    assert name.endswith("-F1.dta")
    with data_file.master.open("rb") as master:
        assert data == master.read()
    assert run.data_bytes == len(data)


def test_two_files_are_cut_with_the_keys_that_join_them(customer, staff, committed):
    from catalog.models import Variable

    dataset = master_dataset()
    attach(dataset, "sav")
    persons = dataset.files.create(file_id="F2", name="Individu", records=120, position=1)
    for position, name in enumerate(["ID", "PROV", "UMUR"]):
        Variable.objects.create(
            dataset=dataset, file=persons, name=name, label=name, width=4, position=10 + position
        )
    frame = master_frame(120)[["ID", "PROV"]].assign(UMUR=[float(i % 90) for i in range(120)])
    from catalog.masters import master_attach

    master_attach(data_file=persons, upload=master_upload(frame, "csv", "individu.csv"))
    order = ordered(customer, dataset, fmt="csv", names=["R301", "UMUR"], regions=("32",))
    with committed():
        services.order_approve(order=order, by=staff)
    run = CutRun.objects.get(line__order=order)
    assert run.status == CutStatus.DONE, run.message
    files = members(run.product)
    households, _m = read_back(files[f"{run.files[0]['name']}"], run.files[0]["name"])
    people, _m = read_back(files[f"{run.files[1]['name']}"], run.files[1]["name"])
    assert list(households.columns) == ["ID", "PROV", "R301"]
    assert list(people.columns) == ["ID", "PROV", "UMUR"]
    assert set(households["PROV"]) == {"32"} and set(people["PROV"]) == {"32"}
    assert (len(households), len(people)) == (20, 40)


# --- staff in charge --------------------------------------------------------------------------


def test_without_a_master_the_line_is_prepared_by_hand(customer, staff, committed):
    dataset = master_dataset()
    order = approved(customer, staff, dataset, committed)
    assert not CutRun.objects.filter(line__order=order).exists()
    with pytest.raises(services.OrderError, match="data induk F1"):
        cutting.line_cut_start(line=order.lines.get(), by=staff)


def test_an_error_mid_cut_leaves_no_product_and_the_cut_can_be_retried(
    customer, staff, committed, monkeypatch, tmp_path, settings
):
    settings.CUT_WORK_DIR = str(tmp_path)
    dataset = master_dataset()
    attach(dataset, "sav")
    original = engine._CsvWriter.add
    calls = {"n": 0}

    def broken(self, frame):
        calls["n"] += 1
        original(self, frame)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine._CsvWriter, "add", broken)
    order = approved(customer, staff, dataset, committed, fmt="csv")
    run = CutRun.objects.get(line__order=order)
    assert calls["n"] == 1
    assert run.status == CutStatus.FAILED
    assert run.message == "Disk penuh: tidak ada ruang untuk menulis produk."
    assert not LineFile.objects.filter(line__order=order).exists()
    assert list(Path(tmp_path).iterdir()) == []  # the working folder is gone
    assert Order.objects.get(pk=order.pk).status == S.PREPARING

    monkeypatch.setattr(engine._CsvWriter, "add", original)
    retry = cutting.line_cut_start(line=order.lines.get(), by=staff)
    assert cutting.cut_execute(run_id=retry.pk).status == CutStatus.DONE
    assert order.lines.get().current_file("product") is not None


def test_a_corrupt_master_fails_with_the_reason(customer, staff, committed):
    dataset = master_dataset()
    data_file = attach(dataset, "sav")
    with open(data_file.master.path, "r+b") as master:
        master.seek(300)
        master.write(b"\xff" * 200)
        master.truncate(900)
    order = approved(customer, staff, dataset, committed)
    run = CutRun.objects.get(line__order=order)
    assert run.status == CutStatus.FAILED
    assert "tidak dapat dibaca" in run.message
    assert not LineFile.objects.filter(line__order=order).exists()


def test_a_worker_lost_mid_cut_can_be_replaced(customer, staff, settings):
    from datetime import timedelta

    from django.utils import timezone

    dataset = master_dataset()
    attach(dataset, "sav")
    order = services.order_approve(order=ordered(customer, dataset), by=staff)
    # No commit in a plain test: the queued run stays queued, as with a worker away.
    run = CutRun.objects.get(line__order=order)
    with pytest.raises(services.OrderError, match="sedang dipotong"):
        cutting.line_cut_start(line=order.lines.get(), by=staff)
    # The worker took it, then died without a word.
    CutRun.objects.filter(pk=run.pk).update(
        status=CutStatus.RUNNING,
        heartbeat_at=timezone.now() - settings.CUT_STALE_AFTER - timedelta(seconds=1),
    )
    assert cutting.cuts_running(order=order) == []
    again = cutting.line_cut_start(line=order.lines.get(), by=staff)
    run.refresh_from_db()
    assert run.status == CutStatus.FAILED and "berhenti" in run.message
    assert cutting.cut_execute(run_id=again.pk).status == CutStatus.DONE


def test_a_cancelled_cut_keeps_nothing(customer, staff, monkeypatch):
    dataset = master_dataset()
    attach(dataset, "sav")
    order = services.order_approve(order=ordered(customer, dataset), by=staff)
    run = CutRun.objects.get(line__order=order)
    monkeypatch.setattr(cutting, "BEAT_SECONDS", 0)
    real = engine.cut_make

    def cancel_midway(spec, workdir, *, progress, stop):
        def progress_then_cancel(fraction):
            progress(fraction)
            cutting.cut_cancel(run=run, by=staff)
            progress(fraction)

        return real(spec, workdir, progress=progress_then_cancel, stop=stop)

    monkeypatch.setattr(cutting, "cut_make", cancel_midway)
    cutting.cut_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == CutStatus.CANCELLED
    assert run.message == "Dibatalkan oleh Charlie Staff."
    assert not LineFile.objects.filter(line__order=order).exists()


def test_a_product_over_the_ceiling_is_stopped(customer, staff, committed, settings):
    settings.CUT_MAX_OUTPUT_BYTES = 500
    dataset = master_dataset()
    attach(dataset, "sav")
    order = approved(customer, staff, dataset, committed, fmt="csv")
    run = CutRun.objects.get(line__order=order)
    assert run.status == CutStatus.FAILED
    assert "lebih besar dari" in run.message
    assert not LineFile.objects.filter(line__order=order).exists()


def test_a_cut_over_its_time_is_stopped(customer, staff, committed, settings):
    settings.CUT_TIME_LIMIT_SECONDS = -1
    dataset = master_dataset()
    attach(dataset, "sav")
    order = approved(customer, staff, dataset, committed, fmt="csv")
    run = CutRun.objects.get(line__order=order)
    assert run.status == CutStatus.FAILED
    assert "dihentikan" in run.message


def test_the_offer_waits_for_a_running_cut(customer, staff):
    dataset = master_dataset()
    attach(dataset, "sav")
    order = services.order_approve(order=ordered(customer, dataset), by=staff)
    with pytest.raises(services.OrderError, match="masih berjalan"):
        services.order_offer(order=order, by=staff)
    assert Order.objects.get(pk=order.pk).status == S.PREPARING


# --- the order page -----------------------------------------------------------------------


def test_staff_see_the_cut_its_files_and_first_rows(client, customer, staff, committed):
    dataset = master_dataset()
    attach(dataset, "sav")
    order = approved(customer, staff, dataset, committed, fmt="csv")
    client.force_login(staff)
    page = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert 'id="cuts"' in page
    assert "Potong lagi" in page
    run = CutRun.objects.get(line__order=order)
    assert run.files[0]["name"] in page
    assert "<th>NAMA_DESA</th>" in page and "<td>DESA 0</td>" in page
    assert "data-cut-active" not in page


def test_staff_start_and_cancel_a_cut_from_the_page(client, customer, staff):
    dataset = master_dataset()
    attach(dataset, "sav")
    order = ordered(customer, dataset)
    services.order_approve(order=order, by=staff)
    run = CutRun.objects.get(line__order=order)
    client.force_login(staff)
    detail = reverse("admin:orders_order_change", args=[order.pk])
    page = client.get(detail).content.decode()
    assert "data-cut-active" in page and f'data-cut-run="{run.pk}"' in page
    progress = client.get(reverse("admin:orders_order_cuts", args=[order.pk])).json()
    assert progress["runs"][0]["status"] == "queued" and progress["runs"][0]["active"]

    cancel = reverse("admin:orders_order_act", args=[order.pk, "cut_cancel"])
    response = client.post(cancel, {"run": run.pk}, follow=True)
    assert "Pemotongan dibatalkan" in response.content.decode()
    run.refresh_from_db()
    assert run.status == CutStatus.CANCELLED
    # Cancelled twice, or someone else's run id: a message, nothing else.
    response = client.post(cancel, {"run": run.pk}, follow=True)
    assert "sudah selesai" in response.content.decode()
    response = client.post(cancel, {"run": "999999"}, follow=True)
    assert "bukan bagian" in response.content.decode()

    start = reverse("admin:orders_order_act", args=[order.pk, "cut"])
    client.post(start, {"line": order.lines.get().pk})
    response = client.post(start, {"line": order.lines.get().pk}, follow=True)
    assert "sedang dipotong" in response.content.decode()
    assert CutRun.objects.filter(line__order=order, status=CutStatus.QUEUED).count() == 1


def test_another_office_and_customers_see_no_cut(client, customer, staff):
    dataset = master_dataset()
    attach(dataset, "sav")
    order = services.order_approve(order=ordered(customer, dataset), by=staff)
    url = reverse("admin:orders_order_cuts", args=[order.pk])
    stranger = UserFactory(roles=["pst_staff"], office=office("3171"))
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    start = reverse("admin:orders_order_act", args=[order.pk, "cut"])
    assert client.post(start, {"line": order.lines.get().pk}).status_code == 404
    client.force_login(customer)
    assert client.get(url).status_code == 302  # to the back office's login
    assert CutRun.objects.filter(line__order=order).count() == 1


def test_the_customer_chooses_the_format_on_the_dataset_page(client, customer):
    dataset = master_dataset()
    client.force_login(customer)
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert 'name="data_format"' in page and "SPSS (.sav)" in page
    client.post(reverse("orders:cart_add", args=[dataset.pk]), {"data_format": "dta"})
    line = Order.objects.get(customer=customer, status=S.DRAFT).lines.get()
    assert line.data_format == "dta"
    cart = client.get(reverse("orders:cart")).content.decode()
    assert "Stata (.dta)" in cart
    response = client.post(
        reverse("orders:cart_add", args=[dataset.pk]), {"data_format": "xlsx"}, follow=True
    )
    assert "Pilih format data" in response.content.decode()
    line.refresh_from_db()
    assert line.data_format == "dta"


def test_region_values_read_local_codes():
    from catalog.masters import region_values
    from tests.factories import DatasetFactory, region

    region("33", "JAWA TENGAH")
    regency = region("3304", "BANJARNEGARA")
    dataset = DatasetFactory(codebook=False, region=regency)
    assert region_values(dataset=dataset, codes=["3304060"]) == {3304060, 60}
    national = DatasetFactory(codebook=False)
    assert region_values(dataset=national, codes=list(PROVINCES)) == {31, 32, 33}


def test_a_worker_knows_the_cut_task():
    """The worker registers the tasks of each app's tasks module; the cut's must be among them
    (a worker that does not know it discards the message and the cut never starts)."""
    from silastik.celery import app

    app.loader.import_default_modules()
    assert "orders.cutting.tasks.line_cut" in app.tasks


def test_the_readme_and_codebook_are_in_the_customers_language(staff, committed):
    english = UserFactory(email="jane@example.com", full_name="Jane Doe", language="en")
    dataset = master_dataset()
    attach(dataset, "sav")
    order = approved(english, staff, dataset, committed, fmt="csv")
    files = members(CutRun.objects.get(line__order=order).product)
    readme = files["README.txt"].decode()
    assert f"Order {order.number}" in readme and "For: Jane Doe" in readme
    assert "data use agreement (SPPD)" in readme
    assert "Codebook of the variables delivered" in files["codebook.html"].decode()


def test_working_folders_of_a_killed_worker_are_swept(
    customer, staff, committed, settings, tmp_path
):
    import os
    import time

    settings.CUT_WORK_DIR = str(tmp_path)
    left = tmp_path / "silastik-cut-killed"
    left.mkdir()
    (left / "half.csv").write_text("R301\n1\n")
    old = time.time() - settings.CUT_TIME_LIMIT_SECONDS - 3600
    os.utime(left, (old, old))
    recent = tmp_path / "silastik-cut-running"
    recent.mkdir()
    dataset = master_dataset()
    attach(dataset, "sav")
    approved(customer, staff, dataset, committed, fmt="csv")
    assert not left.exists()
    assert recent.exists()  # another worker's cut in progress


def test_an_error_inside_a_cut_on_local_storage_is_not_taken_for_remote_storage(tmp_path):
    """Only the storage's own answer (no local path: S3) means "copy the master": an error
    raised while the master is being read passes through as it is."""
    dataset = master_dataset()
    data_file = attach(dataset, "sav")
    with (
        pytest.raises(NotImplementedError, match="inside the cut"),
        cutting._local(data_file, tmp_path) as path,
    ):
        assert path == data_file.master.path
        raise NotImplementedError("inside the cut")
    assert list(tmp_path.iterdir()) == []  # no copy was made


def test_the_order_page_reads_no_variable_to_offer_a_cut(client, customer, staff, committed):
    """Asking whether a line can be cut names its files, not its variables (nor their value
    labels): the page costs the same for a dataset of 9 variables as for one of 309."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Category, Variable

    dataset = master_dataset()
    attach(dataset, "sav")
    services.cart_add(customer=customer, product=dataset, selection=Selection())
    order = services.order_submit(
        order=Order.objects.get(customer=customer, status=S.DRAFT),
        by=customer,
        ip="10.0.0.1",
        terms_accepted=True,
        abstract=ABSTRACT,
    )
    order = services.order_approve(order=order, by=staff)  # queued: no commit here
    client.force_login(staff)
    url = reverse("admin:orders_order_change", args=[order.pk])

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        read = " ".join(q["sql"] for q in queries.captured_queries)
        assert 'FROM "catalog_category"' not in read  # no value label is loaded
        assert 'SELECT "catalog_variable"."id"' not in read  # nor any variable
        return len(queries)

    few = cost()
    data_file = dataset.files.get()
    made = Variable.objects.bulk_create(
        Variable(dataset=dataset, file=data_file, name=f"X{i:03d}", position=20 + i)
        for i in range(300)
    )
    Category.objects.bulk_create(
        Category(variable=v, value=str(n), label=f"L{n}", position=n) for v in made for n in (1, 2)
    )
    assert cost() == few
