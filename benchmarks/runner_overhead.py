"""Runner cost per step: a 1,000-step recipe of `set` steps with the run store on, beside a
plain Python loop doing the same work (render the same expression, keep the value).

Target: under 1 ms per step. Prints medians over several runs, and the ratio to the loop.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bots import expressions  # noqa: E402
from bots.recipe import parse_recipe  # noqa: E402
from bots.runner import Runner  # noqa: E402

STEPS = 1000
REPEATS = 7


def recipe_text() -> str:
    lines = ["name: overhead", "vars: {base: 1}", "steps:"]
    for i in range(STEPS):
        lines.append(f"  - id: s{i}\n    set: {{value: \"{{{{ vars.base + {i} }}}}\"}}")
    return "\n".join(lines) + "\n"


def plain_loop() -> float:
    scope = {"vars": {"base": 1}}
    outputs = {}
    start = time.perf_counter()
    for i in range(STEPS):
        outputs[f"s{i}"] = {"value": expressions.render_string(f"{{{{ vars.base + {i} }}}}", scope)}
    return time.perf_counter() - start


def main() -> None:
    recipe = parse_recipe(recipe_text(), "overhead.yaml")
    runner_times, loop_times = [], []
    with tempfile.TemporaryDirectory() as home:
        os.environ["DESKBOT_HOME"] = home
        for _ in range(REPEATS):
            start = time.perf_counter()
            result = Runner(recipe, home=Path(home), settings={}).run()
            runner_times.append(time.perf_counter() - start)
            assert result.ok, result.error
            loop_times.append(plain_loop())
    runner_ms = statistics.median(runner_times) * 1000 / STEPS
    loop_ms = statistics.median(loop_times) * 1000 / STEPS
    print(f"steps per run: {STEPS}, runs: {REPEATS} (run store on: SQLite WAL, one row per step)")
    print(f"runner:      median {runner_ms:.3f} ms/step  ({statistics.median(runner_times):.2f} s per run)")
    print(f"plain loop:  median {loop_ms:.4f} ms/step  (same expressions rendered, no history)")
    print(f"overhead:    {runner_ms - loop_ms:.3f} ms/step; ratio {runner_ms / loop_ms:.0f}x the bare loop")
    print(f"target < 1 ms/step: {'met' if runner_ms < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
