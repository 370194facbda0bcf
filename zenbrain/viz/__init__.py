"""Pictures of a brain for people: `build_view` chooses what to draw, `GraphView` draws it.

`Brain.visualize` and `zenbrain graph` are the entry points; a `GraphView` shows itself inline
in a notebook (`_repr_html_`), saves as a self-contained page or an image (`save`), and gives a
matplotlib figure (`figure`). Nothing here reads or writes the brain.
"""

from __future__ import annotations

from zenbrain.viz.view import ENTITY_COLOUR, LAYER_COLOURS, Edge, GraphView, Node, build_view

__all__ = ["ENTITY_COLOUR", "LAYER_COLOURS", "Edge", "GraphView", "Node", "build_view"]
