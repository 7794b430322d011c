"""Hostile recipes: how fast `deskbot validate` refuses them, beside a normal recipe.

Each file is validated in-process (``load_recipe``) several times; the median is printed, with
the median of validating the shipped ``recipes/hello.yaml`` measured in the same run. Target:
every hostile file refused in under 1 s (the issue's bar), located by line.

For scale, the "billion laughs" file is also walked the way the checks would walk it without
the alias limit (PyYAML's ``safe_load`` shares the aliased lists, so loading alone is quick;
every later walk visits each copy), capped at 5 s.

    .venv/bin/python benchmarks/hostile_recipes.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bots.errors import RecipeError  # noqa: E402
from bots.recipe import load_recipe  # noqa: E402


def laughs(levels: int) -> str:
    lines = ["name: laughs", "vars:", '  l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    lines += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines + ["steps:", "  - log: done"]) + "\n"


HOSTILE = {
    "billion laughs (9 levels)": laughs(9),
    "alias inside its own anchor": "name: loop\nvars:\n  me: &me [one, *me]\nsteps:\n  - log: x\n",
    "nesting 5000 deep": "name: deep\nvars:\n  v: " + "[" * 5000 + "]" * 5000 + "\nsteps:\n  - log: x\n",
    "''.__class__.__mro__": "name: mro\nsteps:\n  - log: \"{{ ''.__class__.__mro__ }}\"\n",
    "cycler.__init__.__globals__": "name: g\nsteps:\n  - log: \"{{ cycler.__init__.__globals__ }}\"\n",
}


def timed(path: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    try:
        load_recipe(path)
        outcome = "accepted"
    except RecipeError as exc:
        first = exc.problems[0]
        outcome = f"refused at line {first.line}"
    return time.perf_counter() - t0, outcome


def unprotected_walk_seconds(text: str, cap: float = 5.0) -> str:
    data = yaml.safe_load(text)
    count, t0, done = 0, time.perf_counter(), threading.Event()

    def walk(value):
        nonlocal count
        count += 1
        if time.perf_counter() - t0 > cap:
            raise TimeoutError
        if isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    try:
        walk(data)
        done.set()
    except TimeoutError:
        return f"> {cap:.0f} s (stopped after {count:,} values)"
    return f"{time.perf_counter() - t0:.2f} s ({count:,} values)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        normal = [timed(ROOT / "recipes" / "hello.yaml")[0] for _ in range(args.rounds)]
        base = statistics.median(normal)
        print(f"{'recipe':<32} {'median':>9} {'x hello.yaml':>13}  outcome")
        print(f"{'recipes/hello.yaml':<32} {base * 1000:>7.1f}ms {1:>13.1f}  accepted")
        worst = 0.0
        for name, text in HOSTILE.items():
            path = Path(tmp) / "hostile.yaml"
            path.write_text(text, encoding="utf-8")
            runs = [timed(path) for _ in range(args.rounds)]
            median = statistics.median(r[0] for r in runs)
            worst = max(worst, median)
            print(f"{name:<32} {median * 1000:>7.1f}ms {median / base:>13.1f}  {runs[0][1]}")
        print(f"walking the 9-level laughs without the limit: {unprotected_walk_seconds(HOSTILE['billion laughs (9 levels)'])}")
        print(f"slowest refusal {worst * 1000:.0f} ms; target < 1000 ms: {'met' if worst < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
