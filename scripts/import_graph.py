"""Print the package's import graph by layer, read from the source: which layer imports which, and any cycle.

python -m scripts.import_graph            # with module and import counts
python -m scripts.import_graph --layers   # the layers only, as the README shows them
"""

import sys
from collections import Counter

from testkit.imports import LAYERS, cycles, layer_of, module_graph


def layer_edges(graph):
    """{(from layer, to layer): how many module-to-module imports}, within the package."""
    edges = Counter()
    for module, targets in graph.items():
        for target in targets:
            source_layer, target_layer = layer_of(module), layer_of(target)
            if source_layer and target_layer and source_layer != target_layer:
                edges[source_layer, target_layer] += 1
    return edges


def render(graph, *, counts=True):
    """The layers top to bottom, each with the layers it imports (counts: its modules, and ×: module imports)."""
    edges = layer_edges(graph)
    lines = []
    for layer in reversed(LAYERS):
        below = [target for target in reversed(LAYERS) if (layer, target) in edges]
        if counts:
            modules = sum(1 for module in graph if layer_of(module) == layer and not module.endswith(layer))
            below = [f"{target} ×{edges[layer, target]}" for target in below]
            lines.append(f"{layer:<8} {modules:>2} modules  → {', '.join(below) or 'nothing in cnnviz'}")
        else:
            lines.append(f"{layer:<8} → {', '.join(below) or 'nothing in cnnviz'}")
    upward = [(s, t) for s, t in edges if LAYERS.index(t) > LAYERS.index(s)]
    lines.append(f"upward imports: {len(upward)}")
    import_time = cycles(module_graph(at_import_time=True))
    lines.append(f"import cycles: {len(import_time)}" + "".join(f"\n  {' → '.join(c)}" for c in import_time))
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(module_graph(), counts="--layers" not in sys.argv))
