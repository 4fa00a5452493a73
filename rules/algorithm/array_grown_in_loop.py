"""PF116 array-grown-in-loop."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeAware, code_of
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._accumulators import attribute_grown_in_loop, attribute_target, grown_branch, grown_in_loop, same_ref, sequence_holds
from ._sequences import SkipsTests

# numpy functions that return a new array holding all of their inputs.
_STACKERS = frozenset(
    "numpy." + name for name in ("concatenate", "vstack", "hstack", "dstack", "column_stack", "row_stack", "stack")
)
_INDEX_BUILDERS = frozenset({"numpy.r_", "numpy.c_"})


class ArrayGrownInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags a numpy array grown by one piece per loop iteration:
    `arr = np.append(arr, x)`, `arr = np.concatenate([arr, x])` (also
    `vstack`, `hstack`, `dstack`, `column_stack`, `row_stack`, `stack`) and
    `arr = np.r_[arr, x]`, where `arr` is carried from one iteration to the
    next (a local name, or an attribute such as `self.trace` that the loop
    does not reset), also in one branch of a conditional expression
    (`arr = x if arr is None else np.concatenate([arr, x])`). Names resolve through imports (`import numpy as np`,
    `from numpy import append`).

    ## Why is this slow?
    A numpy array has a fixed size: each of these calls allocates a new array
    and copies everything accumulated so far, so `n` iterations copy O(n²)
    elements. Appending the pieces to a list and building the array once
    (`np.array(items)`, `np.concatenate(chunks)`, `np.vstack(rows)`) copies
    each element once. Measured (`benchmarks/rule_speedups.py`: `timeit`, best of 5, CPython 3.11.7 on this project's shared 2-core machine, 2026-12-07) with numpy 2.4: collecting 10,000
    floats with `np.append` took 40 ms, with a list and one `np.array` 0.58
    ms (70x faster).

    ## Example
    ```python
    samples = np.array([])
    for frame in frames:
        samples = np.append(samples, frame)
    ```

    ## Use instead
    ```python
    chunks = [frame for frame in frames]
    samples = np.concatenate(chunks) if chunks else np.array([])
    ```

    ## Fix safety
    No fix: the empty case, dtypes and shapes of the collected pieces decide
    between `np.array`, `np.concatenate` and `np.vstack`.

    ## Known false positives
    Loops with a handful of iterations copy little. Not flagged: arrays
    preallocated and filled by index, one concatenation after the loop, a
    concatenation of a list built in the loop, accumulators reset on every
    iteration, loops over literal displays or `range(<literal>)`, test
    modules.
    Precision (judged 2026-12-07): 1 of 1 on the data projects seaborn
    0.13.2, mlxtend 0.23.4, pyjanitor 0.31.0, yfinance 0.2.50, pvlib 0.11.2
    and apache-superset 4.1.1 (seaborn's beeswarm stacks every placed point
    onto the swarm with `np.vstack`); none on the standard library or
    networkx. Too few findings to measure precision well; the shape (an
    accumulator rebound to a numpy copy of itself in a loop) has no
    look-alike that is not quadratic.
    """

    code = "PF116"
    name = "array-grown-in-loop"
    level = Level.ALGORITHM
    message = "the array is copied whole on every iteration (O(n²)); collect the pieces in a list and build the array once"
    weight = 3.5
    qualified_triggers = ("numpy.append", *sorted(_STACKERS), *sorted(_INDEX_BUILDERS))
    loop_only = True
    needs = ("x=f(x)",)
    benchmark = Benchmark(
        setup="import numpy as np\nvalues = [float(i) for i in range(10_000)]",
        slow="arr = np.array([])\nfor v in values:\n    arr = np.append(arr, v)",
        fast="items = []\nfor v in values:\n    items.append(v)\narr = np.array(items)",
        size="10,000 floats",
    )

    valid = [
        # A conditional expression that does not grow the array.
        Valid(
            """
            import numpy as np

            def pick(frames, flat):
                out = None
                for frame in frames:
                    out = np.ravel(frame) if flat else frame
                return out
            """
        ),
        # An attribute reset on every iteration: one copy per step, not a growing one.
        Valid(
            """
            import numpy as np
            class Recorder:
                def record(self, batches):
                    for b in batches:
                        self.trace = np.zeros(0)
                        self.trace = np.append(self.trace, b)
                        print(self.trace)
            """
        ),
        # Preallocated and filled by index.
        Valid(
            """
            import numpy as np
            def f(frames):
                out = np.empty((len(frames), 64))
                for i, raw in enumerate(frames):
                    out[i] = decode(raw)
                return out
            """
        ),
        # Collected in a list, concatenated once.
        Valid(
            """
            import numpy as np
            def f(device, n):
                chunks = []
                for _ in range(n):
                    chunks.append(device.read())
                return np.concatenate(chunks)
            """
        ),
        # A fresh array per iteration.
        Valid(
            """
            import numpy as np
            def f(rows):
                for r in rows:
                    acc = np.zeros(3)
                    acc = np.append(acc, r)
                    print(acc)
            """
        ),
        # A list's own append, not numpy's.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    out.append(x)
                return out
            """
        ),
        # A fixed number of iterations.
        Valid(
            """
            import numpy as np
            def f(base):
                arr = base
                for k in range(3):
                    arr = np.append(arr, k)
                return arr
            """
        ),
        # numpy's name taken by something else.
        Valid(
            """
            import mylib as np
            def f(xs):
                arr = np.empty()
                for x in xs:
                    arr = np.append(arr, x)
            """
        ),
    ]
    invalid = [
        # Rebuilt in one branch of a conditional expression.
        Invalid(
            """
            import numpy as np

            def stack(chunks):
                merged = None
                for chunk in chunks:
                    merged = chunk if merged is None else np.concatenate([merged, chunk])
                return merged
            """
        ),
        # An attribute accumulator: carried across iterations like a local one.
        Invalid(
            """
            import numpy as np
            class Recorder:
                def record(self, samples):
                    for s in samples:
                        self.trace = np.append(self.trace, s)
            """
        ),
        # Imported under another name: the piece never spells numpy's names.
        Invalid(
            """
            from numpy import append as grow

            def f(xs):
                arr = None
                for x in xs:
                    arr = grow(arr, x)
                return arr
            """
        ),
        Invalid(
            """
            import numpy as np
            def capture(device, n_frames):
                samples = np.array([], dtype=np.float32)
                for _ in range(n_frames):
                    samples = np.append(samples, device.read_frame())
                return samples
            """
        ),
        Invalid(
            """
            import numpy as np
            def stack_features(windows):
                matrix = np.empty((0, 64))
                for w in windows:
                    matrix = np.vstack([matrix, np.abs(w)])
                return matrix
            """
        ),
        Invalid(
            """
            from numpy import concatenate
            def assemble_row(tiles):
                row = tiles[0]
                for tile in tiles[1:]:
                    row = concatenate((row, tile), axis=1)
                return row
            """
        ),
        Invalid(
            """
            import numpy
            def f(xs):
                acc = numpy.zeros(0)
                while xs:
                    acc = numpy.r_[acc, xs.pop()]
                return acc
            """
        ),
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        if isinstance(target, cst.Name):
            ref: "str | cst.Attribute" = target.value
            name = target.value
        elif attribute_target(target):
            ref, name = target, code_of(target)  # type: ignore[assignment]
        else:
            return
        value = grown_branch(node.value)
        if isinstance(value, cst.Call):
            qualified = self.context.call_name(value)
            args = [arg for arg in value.args if not arg.keyword]
            if not args or args[0].star:
                return
            first = args[0].value
            if qualified == "numpy.append":
                grows = same_ref(first, ref)
            elif qualified in _STACKERS:
                grows = sequence_holds(first, ref)
            else:
                return
            what = f"`{qualified.replace('numpy.', 'np.')}(...)`"
        elif isinstance(value, cst.Subscript) and self.context.qualified_name(value.value) in _INDEX_BUILDERS:
            elements = [item.slice.value for item in value.slice if isinstance(item.slice, cst.Index)]
            grows = any(same_ref(element, ref) for element in elements)
            what = "`np.r_[...]`"
        else:
            return
        if not grows:
            return
        if isinstance(ref, str):
            if not grown_in_loop(self.context, self.scope_index(), node, name):
                return
        elif not attribute_grown_in_loop(self.context, self.scope_index(), node, ref):
            return
        self.report(
            value,
            f"{what} copies all of `{name}` on every iteration (O(n²)); collect the pieces in a list and "
            "build the array once after the loop",
        )
