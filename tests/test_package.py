"""The course package: one package beside activations.py, every module importable and listed, and
every third-party import declared in pyproject.toml (so `pip install .` alone gives a working package)."""
import ast
import importlib
import importlib.metadata as md
import pathlib
import re
import sys
import tomllib

import afbook

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
MODULES = sorted(p.stem for p in (SRC / "afbook").glob("*.py") if p.stem != "__init__")


def test_src_holds_activations_and_one_package():
    tops = sorted(p.name for p in SRC.iterdir() if not p.name.startswith(".") and not p.name.endswith(".egg-info")
                  and p.name != "__pycache__")
    assert tops == ["activations.py", "afbook"]


def test_every_module_is_listed_and_imports():
    assert sorted(afbook.__all__) == MODULES
    for name in MODULES:
        importlib.import_module(f"afbook.{name}")
        assert f"``afbook.{name}``" in afbook.__doc__, f"afbook.{name} is missing from the module table"


def _imported_top_level_names(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_every_third_party_import_is_declared():
    declared = {re.split(r"[<>=!~ \[]", d)[0].lower().replace("_", "-")
                for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    dists = md.packages_distributions()
    missing = set()
    for path in [SRC / "activations.py", *sorted((SRC / "afbook").glob("*.py"))]:
        for name in _imported_top_level_names(path):
            if name in sys.stdlib_module_names or name in ("activations", "afbook", "__future__"):
                continue
            owners = {d.lower().replace("_", "-") for d in dists.get(name, [name])}
            if not owners & declared:
                missing.add(f"{path.name}: {name} (from {', '.join(sorted(owners))})")
    assert not missing, "imported but not in pyproject's dependencies:\n" + "\n".join(sorted(missing))
