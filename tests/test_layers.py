"""Apps depend downward only (design rule 12, decision 0016).

`lint-imports` (in `make test`) checks the layers, function-local imports included. What it
cannot see is why an import sits inside a function: there, an import of another dxday app is a
cycle being dodged, unless a comment on it or on the line just above says why (a heavy optional
dependency, Django's app loading).
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dxday"


def unexplained_local_imports(source: str, module: str) -> list[str]:
    """``module``'s imports of another dxday app inside a function with no comment saying why."""
    lines = source.splitlines()
    own = module.split(".")[:2]
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                parts = module.split(".")
                stem = ".".join(parts[:len(parts) - node.level]) if node.level else ""
                stem = ".".join(p for p in (stem, node.module) if p)
                targets = ([stem] if node.module
                           else [f"{stem}.{alias.name}" for alias in node.names])
            else:
                continue
            foreign = [t for t in targets if t.startswith("dxday.") and t.split(".")[:2] != own]
            said = lines[node.lineno - 2].strip().startswith("#") or any(
                "#" in line for line in lines[node.lineno - 1:node.end_lineno])
            if foreign and not said:
                found.append(f"{module}:{node.lineno} imports {', '.join(foreign)}")
    return found


def test_no_import_of_another_app_hides_in_a_function():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found += unexplained_local_imports(path.read_text(encoding="utf-8"), module)
    assert not found, "say why in a comment, or import at the top:\n" + "\n".join(found)


def test_the_check_finds_a_hidden_import_and_accepts_an_explained_one():
    source = ("def a():\n    from dxday.public.cache import publication_changed\n"
              "def b():\n    # OpenCV is heavy: loaded only when a scan runs\n"
              "    from dxday.scanner.detect import Matcher\n"
              "def c():\n    from .models import Plan\n    from .. import public\n")
    assert unexplained_local_imports(source, "dxday.plans.services") == [
        "dxday.plans.services:2 imports dxday.public.cache",
        "dxday.plans.services:8 imports dxday.public",
    ]
