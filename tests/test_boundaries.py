"""Dependencies point inward: economics and the pure parts of insight import nothing of Django."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.core

PURE_PACKAGES = ["upstream.economics", "upstream.identify", "upstream.insight", "upstream.synth"]

PROBE = """
import importlib, pkgutil, sys
package = importlib.import_module({package!r})
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    if module.name.rsplit(".", 1)[-1] in {{"commands"}}:
        continue  # CLI edges may import what they like
    importlib.import_module(module.name)
leaked = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(",".join(leaked))
"""


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_nothing_of_django(package: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(package=package)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{package} imports Django: {result.stdout.strip()}"
