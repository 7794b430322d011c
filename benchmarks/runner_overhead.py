"""Runner cost per step: 1,000-step recipes with the run store on, beside a plain Python loop
doing the same work (render the same expression, keep the value).

Two recipes, timed in the same run:

- ``set`` steps: repeatable (they change nothing outside the run), so their journal entries and
  history rows are batched (committed within half a second, and before any step with effects);
- ``wait: 0s`` steps: not repeatable, so each is journaled durably: ``started`` committed before
  it runs, ``done`` and its history row committed in one transaction after it.

Target: under 1 ms per step. Prints medians over several runs, and the ratio to the loop.

    .venv/bin/python benchmarks/runner_overhead.py [--repeats 7]
"""

from __future__ import annotations

import argparse
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


def recipe_text(step: str) -> str:
    lines = ["name: overhead", "vars: {base: 1}", "steps:"]
    for i in range(STEPS):
        body = f"set: {{value: \"{{{{ vars.base + {i} }}}}\"}}" if step == "set" else "wait: \"{{ 0 * vars.base }}s\""
        lines.append(f"  - id: s{i}\n    {body}")
    return "\n".join(lines) + "\n"


def plain_loop() -> float:
    scope = {"vars": {"base": 1}}
    outputs = {}
    start = time.perf_counter()
    for i in range(STEPS):
        outputs[f"s{i}"] = {"value": expressions.render_string(f"{{{{ vars.base + {i} }}}}", scope)}
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    recipes = {kind: parse_recipe(recipe_text(kind), f"overhead-{kind}.yaml") for kind in ("set", "wait")}
    times: dict[str, list[float]] = {"set": [], "wait": [], "loop": []}
    with tempfile.TemporaryDirectory() as home:
        os.environ["DESKBOT_HOME"] = home
        for _ in range(args.repeats):
            for kind, recipe in recipes.items():
                start = time.perf_counter()
                result = Runner(recipe, home=Path(home), settings={}).run()
                times[kind].append(time.perf_counter() - start)
                assert result.ok, result.error
            times["loop"].append(plain_loop())
    per_step = {kind: statistics.median(values) * 1000 / STEPS for kind, values in times.items()}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"steps per run: {STEPS}, runs: {args.repeats}, medians (run store on: SQLite WAL; load average {load:.1f})")
    print(f"plain loop:            {per_step['loop']:.4f} ms/step  (same expressions rendered, no history)")
    for kind, label in (("set", "set (repeatable)"), ("wait", "wait: 0s (durable)")):
        print(f"runner, {label:<19} {per_step[kind]:.3f} ms/step  ({statistics.median(times[kind]):.2f} s per run);"
              f" overhead {per_step[kind] - per_step['loop']:.3f} ms/step, {per_step[kind] / per_step['loop']:.0f}x the loop")
    worst = max(per_step["set"], per_step["wait"])
    print(f"target < 1 ms/step: {'met' if worst < 1 else 'NOT met'} (worst of the two: {worst:.3f} ms/step)")


if __name__ == "__main__":
    main()
