#!/usr/bin/env bash
# Build the project's wheel and check that it holds every app: each top-level directory with an
# apps.py anywhere inside it (silastik, catalog, orders, billing, feedback, desk, and any new one),
# with all of its files except caches (modules, migrations, templates, data). Fails with the list
# of what is missing, which usually means pyproject.toml's [tool.setuptools.packages.find] or
# [tool.setuptools.package-data] needs the new app or file pattern.
#
#   scripts/check_wheel.sh                       # uses .venv/bin/python (make wheel-check)
#   PYTHON=python3.12 scripts/check_wheel.sh     # any Python with pip
#
# The wheel is built from a copy of the working tree in a temporary directory, so the build
# leaves no build/ directory behind and no stale build output can hide a missing file.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

tmpdir="$(mktemp -d)"
trap 'rm -rf "$tmpdir"' EXIT

# What a fresh checkout has (plus uncommitted files), without local environments and output.
tar -c \
  --exclude=./.git --exclude=./.venv --exclude=./var --exclude=./build --exclude=./dist \
  --exclude='*.egg-info' --exclude=__pycache__ --exclude='*.pyc' --exclude=node_modules \
  --exclude=.pytest_cache --exclude=.ruff_cache --exclude=./test-results \
  . | { mkdir "$tmpdir/src" && tar -x -C "$tmpdir/src"; }

echo "check_wheel: building the wheel"
if ! "$PYTHON" -m pip wheel --no-deps --wheel-dir "$tmpdir/dist" "$tmpdir/src" \
  >"$tmpdir/build.log" 2>&1; then
  cat "$tmpdir/build.log" >&2
  echo "check_wheel: FAILED: the wheel does not build (output above)" >&2
  exit 1
fi

"$PYTHON" - "$tmpdir/src" "$tmpdir"/dist/*.whl <<'EOF'
import sys
import zipfile
from pathlib import Path

src, wheel = Path(sys.argv[1]), Path(sys.argv[2])
in_wheel = set(zipfile.ZipFile(wheel).namelist())


def shipped(path: Path) -> bool:
    parts = path.relative_to(src).parts
    return not any(p == "__pycache__" or p.startswith(".") for p in parts) and path.suffix != ".pyc"


apps = sorted(
    {
        path.relative_to(src).parts[0]
        for path in src.glob("*/**/apps.py")
        # build/ is the wheel build's own output in the copy.
        if path.relative_to(src).parts[0] not in {"tests", "docs", "scripts", "build", "dist"}
        and not path.relative_to(src).parts[0].startswith(".")
    }
)
if not apps:
    sys.exit("check_wheel: found no app (no directory with an apps.py): run from the repository")

missing = {}
for app in apps:
    files = [p for p in (src / app).rglob("*") if p.is_file() and shipped(p)]
    gone = sorted(str(p.relative_to(src)) for p in files if str(p.relative_to(src)) not in in_wheel)
    if f"{app}/__init__.py" not in in_wheel:
        gone.insert(0, f"{app}/ (the package itself)")
    if gone:
        missing[app] = gone

if missing:
    print(f"check_wheel: FAILED: {wheel.name} lacks files of these apps:", file=sys.stderr)
    for app, gone in missing.items():
        print(f"  {app}: {len(gone)} missing", file=sys.stderr)
        for name in gone[:20]:
            print(f"    {name}", file=sys.stderr)
        if len(gone) > 20:
            print(f"    … and {len(gone) - 20} more", file=sys.stderr)
    print(
        "check_wheel: add the app to [tool.setuptools.packages.find] include, or the file "
        "pattern to [tool.setuptools.package-data], in pyproject.toml",
        file=sys.stderr,
    )
    sys.exit(1)
print(f"check_wheel: ok, {wheel.name} holds every app: {', '.join(apps)}")
EOF
