"""The shape of the code: apps depend one way, no module reaches into another's private names,
and the repository reads nothing outside itself."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("silastik", "offices", "catalog", "orders", "billing", "feedback", "desk", "kiosk")


def _sources(*packages: str):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_module(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def private_imports(path: Path, module: str | None = None) -> list[str]:
    """`from other_module import _name` in a file: a reach into another module's privates."""
    module = module or _module_of(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _imported_module(node, module, path.name == "__init__.py")
        for alias in node.names:
            private = alias.name.startswith("_") and not alias.name.startswith("__")
            if private and source != module:
                found.append(f"{path.name}:{node.lineno} {source}.{alias.name} ({module})")
    return found


def test_no_module_imports_another_modules_private_names():
    offenders = [line for path in _sources(*APPS) for line in private_imports(path)]
    assert offenders == []


def test_the_private_import_check_finds_one(tmp_path):
    # The check itself must be able to fail.
    probe = tmp_path / "probe.py"
    probe.write_text("from orders.services.moves import _hidden\nfrom .models import _x\n")
    assert len(private_imports(probe, module="orders.probe")) == 2


def _contracts_kept(root: Path) -> bool:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run(
        [str(lint_imports), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Contracts:" in run.stdout, run.stdout + run.stderr
    return run.returncode == 0


def test_apps_depend_one_way():
    """The import-linter contracts of pyproject.toml (also run by `make lint`)."""
    assert _contracts_kept(ROOT)


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [("orders/probe.py", "import billing.services\n"), ("desk/probe.py", "import feedback\n")],
)
def test_a_forbidden_import_breaks_the_contracts(tmp_path, module, forbidden):
    # A copy of the source with one forbidden import added: the contracts must catch it.
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations")
    for package in APPS:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    assert _contracts_kept(tmp_path)
    (tmp_path / module).write_text(forbidden)
    assert not _contracts_kept(tmp_path)


OUTSIDE = ("..", "/shared")  # joined below, so that this file does not name it itself


def test_the_repository_reads_nothing_outside_itself():
    outside = "".join(OUTSIDE)
    tracked = [
        path
        for path in ROOT.rglob("*")
        if path.is_file()
        and not {".git", ".venv", "var", "node_modules", "__pycache__"} & set(path.parts)
        and path.suffix in {".py", ".md", ".toml", ".cfg", ".yml", ".yaml", ".html", ".txt", ""}
    ]
    reading = [p for p in tracked if outside in p.read_text(errors="ignore")]
    assert [str(p.relative_to(ROOT)) for p in reading] == []
