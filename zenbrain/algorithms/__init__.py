"""Pure algorithms of ZenBrain (SPEC §4), one module per mechanism.

Each module holds a frozen parameter dataclass plus small pure functions over floats, arrays,
datetimes and mappings. Nothing here does I/O, reads a clock or touches global random state, and
the only ZenBrain import allowed is `zenbrain.errors`. Import the submodules directly
(``from zenbrain.algorithms import fsrs``); this package imports none of them, so that torch and
numpy load only when a module needs them.
"""

__all__: list[str] = []
