"""The floors of the house (docs/architecture.md), proven by reading the source.

Every `import` in src/upstream is read with `ast`, including imports inside functions, and
checked against the floors that docs/architecture.md lists: a package may import only packages
on lower floors (or itself). No exemptions: when code needs one, the code moves. The floors are
read from the document, so the document and the code cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.core

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "upstream"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
FLOOR_LINE = re.compile(r"^floor\s+(\d+)\s+(\w+(?:,\s*\w+)*)")
# What the pure core and the ground floor must never import, at any depth.
WEB_LIBRARIES = ("django", "ninja")
# Who may read the synthetic generator: itself, and the jobs that run it.
SYNTH_READERS = {"synth", "jobs"}


@dataclass(frozen=True)
class Import:
    file: Path
    line: int
    module: str  # the absolute module named

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line} imports {self.module}"


@cache
def floors() -> dict[str, int]:
    """Each package's floor, from the lines `floor N  a, b` in docs/architecture.md."""
    found: dict[str, int] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        match = FLOOR_LINE.match(line.strip())
        if match:
            for package in match.group(2).split(","):
                found[package.strip()] = int(match.group(1))
    return found


@cache
def pure_floors() -> int:
    """The highest floor of the pure core (the floors marked `pure` in the document)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    match = re.search(r"floors 0 to (\d+) are pure", text, re.IGNORECASE)
    assert match, "docs/architecture.md must say which floors are pure ('floors 0 to N are pure')"
    return int(match.group(1))


def package_of(path: Path) -> str:
    """The top-level name inside `upstream` a file belongs to (`cli` for cli.py)."""
    parts = path.relative_to(SOURCE).parts
    return parts[0].removesuffix(".py") if len(parts) > 1 or parts[0] != "__init__.py" else ""


def module_name(path: Path) -> list[str]:
    parts = ["upstream", *path.relative_to(SOURCE).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def source_files() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def imports_in(path: Path, here: list[str] | None = None) -> Iterator[Import]:
    """Every import in a file, at any depth, with relative imports made absolute; and every
    module named in a string (what importlib or importlib.resources would load)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = here or module_name(path)
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            yield Import(path, node.lineno, module)
            for alias in node.names:  # `from upstream import demo` names a module
                yield Import(path, node.lineno, f"{module}.{alias.name}")
        elif isinstance(node, ast.Constant) and _names_a_module(node.value):
            yield Import(path, node.lineno, node.value)


def _names_a_module(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"upstream(\.\w+)+", value) is not None


def upstream_package(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "upstream":
        return None
    return parts[1] if len(parts) > 1 else ""


def all_imports() -> list[Import]:
    return [found for path in source_files() for found in imports_in(path)]


def test_every_package_has_a_floor_in_the_architecture_document() -> None:
    packages = {package_of(path) for path in source_files()} - {""}
    missing = sorted(packages - set(floors()))
    assert not missing, f"docs/architecture.md gives no floor to: {missing}"
    gone = sorted(set(floors()) - packages)
    assert not gone, f"docs/architecture.md names packages that do not exist: {gone}"


def test_no_package_imports_its_own_floor_or_above() -> None:
    level = floors()
    wrong = []
    for found in all_imports():
        source, target = package_of(found.file), upstream_package(found.module)
        if target is None or target in {"", source} or target not in level:
            continue
        if level[target] >= level[source]:
            wrong.append(f"{found.where} (floor {level[source]} -> floor {level[target]})")
    assert not wrong, "imports that run sideways or up:\n" + "\n".join(sorted(set(wrong)))


def test_the_pure_core_imports_nothing_of_django_at_any_depth() -> None:
    level, top = floors(), pure_floors()
    leaks = [
        found.where
        for found in all_imports()
        if level.get(package_of(found.file), top + 1) <= top
        and found.module.split(".")[0] in WEB_LIBRARIES
    ]
    assert not leaks, "the pure core imports web code:\n" + "\n".join(sorted(set(leaks)))


def test_production_code_never_reads_the_synthetic_generator() -> None:
    readers = [
        found.where
        for found in all_imports()
        if upstream_package(found.module) == "synth" and package_of(found.file) not in SYNTH_READERS
    ]
    assert not readers, "code outside synth and jobs reads synth:\n" + "\n".join(readers)


def test_the_checker_sees_imports_inside_functions_and_relative_imports(tmp_path: Path) -> None:
    # The old boundary test inspected sys.modules after importing, so an import inside a
    # function was invisible to it; this one must see it.
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def later():\n    from django.conf import settings\n    from ..web import urls\n"
        "    resources.files('upstream.synth')\n",
        encoding="utf-8",
    )
    found = {i.module for i in imports_in(probe, ["upstream", "identify", "probe"])}
    assert "upstream.synth" in found
    assert {"django.conf", "upstream.web", "upstream.web.urls"} <= found
