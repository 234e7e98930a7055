"""The design rule, checked on the source: dependencies point one way,
normalizers <- datamodel <- extractors <- pipeline -> output; no import cycles; no private
(underscore) name imported from another module. Every module of the five packages is parsed
with `ast`; every import counts, at module level or inside a function. Each rule is checked
per package, so a failure names the package (and the file and line) that breaks it."""

import ast
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("normalizers", "datamodel", "extractors", "pipeline", "output")

# package -> the project packages it must never import
FORBIDDEN = {
    "normalizers": {"datamodel", "extractors", "pipeline", "output"},
    "datamodel": {"extractors", "pipeline", "output"},
    "extractors": {"pipeline", "output"},
    "output": {"pipeline", "extractors"},
    "pipeline": set(),
}

# (importing module, imported private module): the C extension and its Python caller
PRIVATE_ALLOWED = {("extractors.pdf_reader", "extractors._fastchars")}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@lru_cache(maxsize=1)
def project_modules() -> dict[str, Path]:
    """Dotted module name -> file, for the Python modules and the C extensions (`*.c`, built
    into a module of the same name) of the five packages."""
    found = {}
    for pkg in PACKAGES:
        for f in sorted((ROOT / pkg).rglob("*")):
            if f.suffix not in (".py", ".c") or "__pycache__" in f.parts:
                continue
            parts = f.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = f
    return found


def _resolve(name: str) -> str | None:
    """The project module that `import name` loads (the longest known prefix), or None."""
    mods = project_modules()
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in mods:
            return candidate
    return None


class Import:
    def __init__(self, module: str, target: str, line: int, name: str | None = None):
        self.module, self.target, self.line, self.name = module, target, line, name

    def where(self) -> str:
        return f"{project_modules()[self.module].relative_to(ROOT)}:{self.line}"


@lru_cache(maxsize=1)
def imports() -> tuple[list[Import], list[str]]:
    """Every import of a project module by a project module (module and function level), and
    the private names used across modules: `from X import _y`, `import X._y`, and `_y` read as
    an attribute of an imported project module (`mod._y`)."""
    mods = project_modules()
    found, private = [], []
    for module, path in mods.items():
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        aliases: dict[str, str] = {}      # local name -> project module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    target = _resolve(a.name)
                    if target is None:
                        continue
                    found.append(Import(module, target, node.lineno))
                    if a.asname:
                        aliases[a.asname] = target
                    else:
                        aliases[a.name.split(".")[0]] = _resolve(a.name.split(".")[0]) or target
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                source = _resolve(base)
                if source is None:
                    continue
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    if sub in mods:                       # a submodule: `from pkg import mod`
                        found.append(Import(module, sub, node.lineno))
                        aliases[a.asname or a.name] = sub
                    else:                                 # a name defined in `source`
                        found.append(Import(module, source, node.lineno, a.name))
                        if _is_private(a.name) and source != module:
                            private.append(f"{found[-1].where()}: from {base} import {a.name}")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _is_private(node.attr)
                    and isinstance(node.value, ast.Name) and node.value.id in aliases):
                owner = aliases[node.value.id]
                if owner != module and f"{owner}.{node.attr}" not in mods:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    private.append(f"{where}: {node.value.id}.{node.attr} (private name of {owner})")
    for imp in found:
        leaf = imp.target.rpartition(".")[2]
        if (_is_private(leaf) and imp.module != imp.target
                and (imp.module, imp.target) not in PRIVATE_ALLOWED):
            private.append(f"{imp.where()}: imports private module {imp.target}")
    return found, private


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in project_modules()}
    for imp in imports()[0]:
        if imp.target != imp.module:
            edges[imp.module].add(imp.target)
    return edges


def cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    edges = graph()
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    component.append(m)
                    if m == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_the_checker_sees_the_source():
    """Guards the checks below against passing because they read nothing."""
    mods = project_modules()
    assert {"pipeline.batch", "pipeline.worker", "output.store", "normalizers.text",
            "datamodel.document", "extractors.pdf_reader", "extractors._fastchars"} <= set(mods)
    edges = graph()
    assert "pipeline.worker" in edges["pipeline.batch"]
    assert "pipeline.worker" in edges["pipeline.isolation"]        # a function-level import
    assert "pipeline.checks" in edges["pipeline.document"]         # `from pipeline import checks`
    assert "output.atomic" in edges["output.store"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles(package):
    found = [c for c in cycles() if any(m.split(".")[0] == package for m in c)]
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


@pytest.mark.parametrize("package", PACKAGES)
def test_dependencies_point_one_way(package):
    bad = [f"{imp.where()}: {imp.module} imports {imp.target}" for imp in imports()[0]
           if imp.module.split(".")[0] == package and imp.target.split(".")[0] in FORBIDDEN[package]]
    assert not bad, f"{package} must not import {sorted(FORBIDDEN[package])}:\n" + "\n".join(bad)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_private_names_across_modules(package):
    bad = [p for p in imports()[1] if p.startswith(f"{package}/")]
    assert not bad, "private names used across modules:\n" + "\n".join(bad)


# the one module that writes output files itself; everything else goes through it
WRITER = "output/atomic.py"


def test_output_files_are_written_by_the_atomic_writer_only():
    """No output file written in place: in pipeline/ and output/, only output/atomic.py
    writes, fsyncs or renames files (Path.write_text/write_bytes/rename/replace, os.replace,
    os.rename, os.fsync)."""
    bad = []
    for pkg in ("pipeline", "output"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            if rel == WRITER:
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                attr, owner = node.func.attr, node.func.value
                is_os = isinstance(owner, ast.Name) and owner.id == "os"
                if (attr in ("write_text", "write_bytes", "fsync")
                        or (attr in ("rename", "replace") and (is_os or len(node.args) == 1))):
                    bad.append(f"{rel}:{node.lineno}: .{attr}(...)")
    assert not bad, f"files written outside {WRITER}:\n" + "\n".join(bad)
