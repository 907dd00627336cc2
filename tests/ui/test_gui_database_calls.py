"""No module under app/ui reaches the database except through the op runner (app/ui/ops.py).

How the check works, and why it is robust:

1. *Which functions touch the database* is not a hand-kept list: every module under ``app.services`` and
   ``app.storage`` is imported, and a public function counts when its first parameter is the database handle
   (annotated ``Database``/``Engine``/``Session`` or named ``database``/``db``/``session``) and its body opens a
   session or connection, or calls another function that does (followed by name, to a fixed point). A service
   added tomorrow is covered the day it is written; a pure accessor such as ``database_file(db)`` is not.
2. Each ``app/ui`` module's AST is walked with its imports resolved (``from app.services import projects as
   svc`` makes ``svc.update_project`` resolve to ``app.services.projects.update_project``; imports inside
   functions count too), so a rename or an alias does not hide a call.
3. A call to a database function is allowed only lexically inside the ``op`` of a ``QueryOp``/``CollectionOp``:
   a lambda passed as ``op=`` (or as the first positional argument), a lambda bound to a name or a nested
   function whose name is passed as ``op=`` in the same enclosing scope, a method passed as ``op=self.name``,
   or any of these handed to a helper of the same module that passes its parameter on as an op (a command's
   ``self._run(lambda: …)``). Anything else - a call in a method body, a callback, a command's ``redo`` -
   fails with the file, line and function named.
4. A session opened in app/ui (``.session(``/``.sessions(``) fails the same way: no view touches a session.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
from pathlib import Path

import app.services
import app.storage

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
HANDLE_NAMES = {"database", "db", "session", "s", "engine", "conn", "connection"}
HANDLE_TYPES = ("Database", "Engine", "Session", "Connection")
OP_CLASSES = {"QueryOp", "CollectionOp"}


TOUCHES = (".session(", ".sessions(", ".engine", ".connect(", ".begin(", "Session(")


@functools.cache
def database_functions() -> frozenset[str]:
    """Dotted names of every service/storage function that takes the database handle first and uses it."""
    candidates: dict[str, tuple[str, str]] = {}  # dotted name → (short name, source)
    for package in (app.services, app.storage):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("_") or fn.__module__ != module.__name__:
                    continue
                params = list(inspect.signature(fn).parameters.values())
                if not params:
                    continue
                first = params[0]
                if first.name in HANDLE_NAMES or any(t in str(first.annotation) for t in HANDLE_TYPES):
                    candidates[f"{module.__name__}.{name}"] = (name, inspect.getsource(fn))
    # Private helpers (e.g. _entry_facts) open sessions for public ones: count their bodies too.
    helpers: dict[str, str] = {}
    for package in (app.services, app.storage):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if fn.__module__ == module.__name__:
                    helpers.setdefault(name, inspect.getsource(fn))
    touching = {name for name, source in helpers.items() if any(t in source for t in TOUCHES)}
    changed = True
    while changed:
        changed = False
        for name, source in helpers.items():
            if name not in touching and any(f"{other}(" in source for other in touching):
                touching.add(name)
                changed = True
    return frozenset(dotted for dotted, (name, _source) in candidates.items() if name in touching)


def _imports(tree: ast.AST) -> dict[str, str]:
    """Local name → dotted target, for every import anywhere in the module."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                # "import a.b as c" binds c to a.b; "import a.b" binds a to a
                top = alias.name.split(".")[0]
                names[alias.asname or top] = alias.name if alias.asname else top
    return names


def _dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in names:
        return None
    return ".".join([names[node.id], *reversed(parts)])


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _op_argument(call: ast.Call, forwarders: frozenset[str] = frozenset()) -> ast.expr | None:
    """The op a call hands over: ``op=`` or the first argument of QueryOp/CollectionOp or of a forwarder."""
    if _call_name(call) not in OP_CLASSES | forwarders:
        return None
    for keyword in call.keywords:
        if keyword.arg == "op":
            return keyword.value
    return call.args[0] if call.args else None


def _forwarders(tree: ast.AST) -> frozenset[str]:
    """Functions and methods of this module that pass one of their own parameters on as an op.

    ``def _run(self, op, success=None): CollectionOp(parent=self.owner, op=op)…`` makes ``self._run(lambda: …)``
    an op as well: what the helper receives goes nowhere but into the op runner.
    """
    found: frozenset[str] = frozenset()
    while True:  # to a fixed point: a helper may hand its op to another helper (a command's _run → run_write)
        more = set(found)
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            params = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
            for node in ast.walk(fn):
                if isinstance(node, ast.Call):
                    arg = _op_argument(node, found)
                    if isinstance(arg, ast.Name) and arg.id in params:
                        more.add(fn.name)
        if more == found:
            return found
        found = frozenset(more)


def _op_bodies(tree: ast.AST) -> set[ast.AST]:
    """Lambdas, nested functions and methods handed to QueryOp/CollectionOp (or a forwarder) as their op."""
    forwarders = _forwarders(tree)
    bodies: set[ast.AST] = set()
    methods: set[str] = set()  # op=self.<method>
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module | ast.Lambda):
            continue
        passed: set[str] = set()
        for node in ast.walk(scope):
            if isinstance(node, ast.Call):
                arg = _op_argument(node, forwarders)
                if isinstance(arg, ast.Lambda):
                    bodies.add(arg)
                elif isinstance(arg, ast.Name):
                    passed.add(arg.id)
                elif isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "self":
                    methods.add(arg.attr)
        body = scope.body if isinstance(scope.body, list) else []
        for node in ast.walk(scope) if passed else ():
            # ``op = lambda: …`` (possibly in branches) then ``CollectionOp(op=op)``: the lambda is the op.
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                if any(isinstance(t, ast.Name) and t.id in passed for t in node.targets):
                    bodies.add(node.value)
        for node in body:
            if isinstance(node, ast.FunctionDef) and node.name in passed:
                bodies.add(node)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name in methods:
                    bodies.add(item)
    return bodies


def violations(path: Path, db_functions: frozenset[str]) -> list[str]:
    """Database calls in ``path`` made outside an op, as "file:line in function: call"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _imports(tree)
    allowed = _op_bodies(tree)
    found: list[str] = []

    def visit(node: ast.AST, inside_op: bool, where: str) -> None:
        if node in allowed:
            inside_op = True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            where = node.name
        if isinstance(node, ast.Call) and not inside_op:
            target = _dotted(node.func, names)
            if target in db_functions:
                found.append(f"{path.relative_to(UI.parent.parent)}:{node.lineno} in {where}: {target}")
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("session", "sessions"):
                found.append(f"{path.relative_to(UI.parent.parent)}:{node.lineno} in {where}: opens a session")
        for child in ast.iter_child_nodes(node):
            visit(child, inside_op, where)

    visit(tree, False, "<module>")
    return found


def test_the_check_knows_the_write_services() -> None:
    functions = database_functions()
    assert "app.services.projects.update_project" in functions
    assert "app.services.meetings.update_issue" in functions
    assert "app.services.projects.parse_date" not in functions
    assert "app.services.backups.database_file" not in functions  # takes the handle, never opens it


def test_the_check_catches_a_write_outside_an_op(tmp_path: Path) -> None:
    sample = UI / "_sample_for_check.py"
    sample.write_text(
        "from app.services import projects as svc\n"
        "from app.ui.ops import CollectionOp\n"
        "def good(self):\n"
        "    CollectionOp(parent=self, op=lambda: svc.update_project(self.db, 1, 1, {})).run_in_background()\n"
        "    def work():\n"
        "        return svc.delete_milestone(self.db, 1, 1)\n"
        "    CollectionOp(parent=self, op=work).run_in_background()\n"
        "def _run(self, op):\n"
        "    CollectionOp(parent=self, op=op).run_in_background()\n"
        "def forwarded(self):\n"
        "    self._run(lambda: svc.update_project(self.db, 1, 1, {}))\n"
        "def bad(self):\n"
        "    svc.update_project(self.db, 1, 1, {})\n"
        "    with self.db.session() as s:\n"
        "        pass\n",
        encoding="utf-8",
    )
    try:
        found = violations(sample, database_functions())
    finally:
        sample.unlink()
    assert [f.split(": ", 1)[1] for f in found] == ["app.services.projects.update_project", "opens a session"]
    assert all(" in bad" in f for f in found)


def test_no_gui_module_reaches_the_database_outside_the_op_runner() -> None:
    functions = database_functions()
    found = [v for path in sorted(UI.rglob("*.py")) if path.name != "ops.py" for v in violations(path, functions)]
    assert found == [], "database calls outside QueryOp/CollectionOp:\n" + "\n".join(found)
