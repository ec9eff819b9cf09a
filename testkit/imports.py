"""Who imports whom inside cnnviz, read from the source with `ast`: for the layer test and the import graph."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cnnviz"
LAYERS = ("core", "data", "figures", "ml", "ui")  # bottom to top: each may import its own and those before it


def imported_modules(path, *, at_import_time=False):
    """Every module a file imports, at the top or inside a function (only at the top: `at_import_time`)."""
    tree = ast.parse(Path(path).read_text(), filename=str(path))
    for node in tree.body if at_import_time else ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def layer_of(module):
    """'core' for cnnviz.core.ops; None outside the layered package."""
    parts = module.split(".")
    if parts[0] != "cnnviz" or len(parts) < 2 or parts[1] not in LAYERS:
        return None
    return parts[1]


def module_name(path, package=PACKAGE):
    """cnnviz.core.ops for cnnviz/core/ops.py."""
    relative = Path(path).relative_to(package.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def module_graph(package=PACKAGE, *, at_import_time=False):
    """{module: set of cnnviz modules it imports}, for every module of the package.

    at_import_time: only the imports that run when the module is imported, not those inside functions.
    """
    paths = sorted(package.rglob("*.py"))
    modules = {module_name(path, package) for path in paths}
    graph = {}
    for path in paths:
        targets = set()
        for imported in imported_modules(path, at_import_time=at_import_time):
            while imported and imported not in modules:  # cnnviz.core.ops.conv2d_steps → cnnviz.core.ops
                imported = imported.rpartition(".")[0]
            if imported and imported != module_name(path, package):
                targets.add(imported)
        graph[module_name(path, package)] = targets
    return graph


def cycles(graph):
    """Every import cycle among the modules, each as a list of module names; [] when there is none."""
    found, state = [], {}

    def visit(module, trail):
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                found.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found
