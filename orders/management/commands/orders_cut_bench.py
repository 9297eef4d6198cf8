"""The portal's cut of microdata against the floor of reading its master once: 20 variables of
2 regions from a generated 1.000.000-record, 300-variable SPSS master, written as SPSS, beside
reading the whole file once with the same library. Each runs in a process of its own, so its
time and its peak memory (the worker's) are its own. See `make bench`.

Targets (issue 16): the cut at most 1,5 × the floor, and below 300 MB of peak memory whatever
the master's size."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

TIME_RATIO_TARGET = 1.5
PEAK_MB_TARGET = 300
CHOSEN_VARIABLES = 20
# Region codes 11..94 (the provinces' range) are spread evenly; two of them are cut.
REGIONS = (31, 33)

CHILD = r"""
import os, sys, tempfile, time
from pathlib import Path
import django
django.setup()
phase, path, variables = sys.argv[1], sys.argv[2], int(sys.argv[3])


def peak():
    # This process's own high-water mark (VmHWM, reset by exec; not the parent's before it).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


import pyreadstat
start = time.perf_counter()
if phase == "floor":
    for _chunk, _meta in pyreadstat.read_file_in_chunks(
        pyreadstat.read_sav, path, chunksize=100_000, disable_datetime_conversion=True
    ):
        pass
    print(time.perf_counter() - start, 0, 0, peak())
else:
    from orders.cutting.engine import CutSource, CutSpec, cut_make
    columns = tuple(f"V{i:03d}" for i in range(2, 2 + variables))
    source = CutSource(file_id="F1", path=path, master_format="sav", records=int(sys.argv[4]),
                       columns=columns, region_column="PROV")
    spec = CutSpec(sources=(source,), out_format="sav", regions=frozenset({31, 33}),
                   whole=False, stem="bench", readme=lambda files: "bench\n",
                   codebook_html="<html></html>", max_output_bytes=5 * 1024**3,
                   max_seconds=3600)
    with tempfile.TemporaryDirectory() as tmp:
        output = cut_make(spec, Path(tmp), progress=lambda f: None, stop=lambda: False)
        print(time.perf_counter() - start, output.records, output.data_bytes, peak())
"""


def master_make(path: Path, *, records: int, variables: int) -> None:
    """A master as offices keep them: an id, a province code, and numeric answers."""
    import numpy as np
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(16)
    data = {"ID": np.arange(1, records + 1, dtype="float64")}
    data["PROV"] = rng.integers(11, 95, records).astype("float64")
    for i in range(2, variables):
        data[f"V{i:03d}"] = rng.integers(1, 100, records).astype("float64")
    frame = pd.DataFrame(data)
    del data
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    pyreadstat.write_sav(frame, str(partial))
    partial.replace(path)


def run_child(phase: str, path: Path, *, records: int) -> tuple[float, int, int, float]:
    """(seconds, records cut, bytes written, peak memory in MB) of one phase in its own process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "silastik.settings.local"
        ),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, phase, str(path), str(CHOSEN_VARIABLES), str(records)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=settings.BASE_DIR,
    )
    out = proc.stdout.read().decode() if proc.stdout else ""
    if proc.wait() != 0:
        raise RuntimeError(f"the {phase} phase failed ({proc.returncode})")
    seconds, cut, written, peak = out.split()
    return float(seconds), int(cut), int(written), float(peak)


class Command(BaseCommand):
    help = "Time the portal's cut of a large SPSS master against reading it once."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=1_000_000)
        parser.add_argument("--variables", type=int, default=300)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, records: int, variables: int, repeat: int, **options):
        path = Path(settings.BASE_DIR) / "var" / "bench" / f"master-{records}x{variables}.sav"
        if not path.exists():
            started = time.perf_counter()
            master_make(path, records=records, variables=variables)
            self.stdout.write(f"master made in {time.perf_counter() - started:.1f} s")
        size_mb = path.stat().st_size / 1_000_000
        self.stdout.write(
            f"cut of {CHOSEN_VARIABLES} variables of 2 regions from a {records:,}-record, "
            f"{variables}-variable SPSS master ({size_mb:,.0f} MB), written as SPSS; "
            f"best of {repeat}"
        )
        floors = [run_child("floor", path, records=records) for _ in range(repeat)]
        cuts = [run_child("cut", path, records=records) for _ in range(repeat)]
        floor = min(f[0] for f in floors)
        cut = min(c[0] for c in cuts)
        peak = max(c[3] for c in cuts)
        _s, cut_records, written, _m = cuts[0]
        ratio = cut / floor
        floor_peak = max(f[3] for f in floors)
        self.stdout.write(
            f"  floor (read the whole master once): {floor:.2f} s, {floor_peak:.0f} MB"
        )
        self.stdout.write(
            f"  cut: {cut:.2f} s = {ratio:.2f} × floor (target ≤ {TIME_RATIO_TARGET}: "
            f"{'met' if ratio <= TIME_RATIO_TARGET else 'MISSED'}); "
            f"{cut_records:,} records, {written / 1_000_000:.1f} MB written"
        )
        self.stdout.write(
            f"  cut's peak memory: {peak:.0f} MB (target < {PEAK_MB_TARGET} MB: "
            f"{'met' if peak < PEAK_MB_TARGET else 'MISSED'})"
        )
