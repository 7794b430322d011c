"""Recipe expressions: ``{{ … }}`` in a sandboxed Jinja2 environment.

- Undefined names are errors (StrictUndefined), never empty strings.
- A value that is one whole expression keeps its native type::

      count: "{{ steps.ledger.rows | length }}"      # -> int 42, not "42"
      label: "Period {{ vars.period }}"              # -> str

- Date filters: ``add_days(n)``, ``add_months(n)``, ``month_start``, ``month_end``,
  ``format_date('%Y-%m')``, ``add_business_days(n, 'CN')``, ``to_date``; functions
  ``today()``, ``now()``, ``date('2026-01-31')``.
- ``parse_date(dayfirst=false)``: a date as systems write it (``2026/03/01``, ``01.03.2026``,
  ``20260301``, ``2026年3月1日``, an Excel serial) -> a date; ``| format_date`` makes it ISO.
- Money filters: ``decimal`` (exact Decimal from text or number), ``money`` (Decimal rounded
  half-up to 2 places), ``round_money(places)``.

The clock that ``today()`` and ``now()`` read can be replaced for a run (``CLOCK``): the runner
journals every reading, so a resumed run sees the same dates it saw before it parked.

Expressions are parsed once and cached; ``references()`` lists the names an expression reads
so that the loader can check them before anything runs.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Callable, Iterator

from dateutil.relativedelta import relativedelta
from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bots import calendars

_WHOLE = re.compile(r"^\s*\{\{(?P<expr>.*?)\}\}\s*$", re.S)


def has_expression(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip()[:10])
    raise TypeError(f"expected a date, got {type(value).__name__} {value!r}")


def _keep_kind(original: Any, day: date) -> date | datetime:
    if isinstance(original, datetime):
        return datetime.combine(day, original.timetz())
    return day


def parse_any_date(value: Any, dayfirst: bool = False) -> date:
    if isinstance(value, (date, datetime)):
        return to_date(value)
    if isinstance(value, str):  # a column of dates repeats the same few hundred texts
        return _parse_text_date(value, bool(dayfirst))
    from sheets.values import parse_date as parse_cell_date

    return parse_cell_date(value, dayfirst=bool(dayfirst))


@lru_cache(maxsize=4096)
def _parse_text_date(text: str, dayfirst: bool) -> date:
    from sheets.values import parse_date as parse_cell_date

    return parse_cell_date(text, dayfirst=dayfirst)


def add_days(value: Any, days: int) -> date:
    return _keep_kind(value, to_date(value) + timedelta(days=int(days)))


def add_months(value: Any, months: int) -> date:
    return _keep_kind(value, to_date(value) + relativedelta(months=int(months)))


def month_start(value: Any) -> date:
    return to_date(value).replace(day=1)


def month_end(value: Any) -> date:
    return to_date(value) + relativedelta(day=31)


def format_date(value: Any, fmt: str = "%Y-%m-%d") -> str:
    if isinstance(value, (date, datetime)):
        return value.strftime(fmt)
    return to_date(value).strftime(fmt)


def add_business_days(value: Any, days: int, calendar: str | None = None) -> date:
    return calendars.add_business_days(to_date(value), int(days), calendar)


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def round_money(value: Any, places: int = 2) -> Decimal:
    return to_decimal(value).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)


#: the run's clock: called with "today" or "now" (and now's time zone), returns the reading
CLOCK: ContextVar[Callable[..., Any] | None] = ContextVar("deskbot_clock", default=None)


def today() -> date:
    clock = CLOCK.get()
    return clock("today") if clock else date.today()


def now(tz=None) -> datetime:
    clock = CLOCK.get()
    return clock("now", tz) if clock else datetime.now(tz)


class _Environment(ImmutableSandboxedEnvironment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        # data before methods: in `response.json.items` "items" is the API's key, not dict.items
        if isinstance(obj, dict) and isinstance(attribute, str) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def _make_env() -> _Environment:
    env = _Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update(
        add_days=add_days, add_months=add_months, month_start=month_start, month_end=month_end,
        format_date=format_date, add_business_days=add_business_days, to_date=to_date,
        decimal=to_decimal, money=round_money, round_money=round_money, parse_date=parse_any_date,
    )
    env.globals.update(
        today=today, now=now, date=to_date, decimal=to_decimal,
    )
    return env


ENV = _make_env()
GLOBAL_NAMES = frozenset(ENV.globals)


@lru_cache(maxsize=4096)
def _compiled(source: str):
    whole = _WHOLE.match(source)
    if whole and "{{" not in whole.group("expr") and "}}" not in whole.group("expr"):
        return True, ENV.compile_expression(whole.group("expr"), undefined_to_none=False)
    return False, ENV.from_string(source)


def check_syntax(source: str) -> str | None:
    """None if the expression parses and reads no private attribute, else what is wrong.

    The sandbox refuses ``_``-prefixed attributes at run time (``''.__class__.__mro__``,
    ``cycler.__init__.__globals__``); refusing them here too means a hostile recipe is
    stopped by ``deskbot validate``, before any run.
    """
    try:
        _compiled(source)
    except TemplateSyntaxError as exc:
        return f"expression syntax error: {exc.message}"
    private = _private_attribute(source)
    if private:
        return (f"expression reads the private attribute {private!r}; names starting with '_'"
                f" are internals of Python, not data, and are refused")
    return None


def _private_attribute(source: str) -> str | None:
    tree = ENV.parse(_WHOLE.sub(lambda m: "{{" + m.group("expr") + "}}", source))
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem):
            name = node.arg.value if isinstance(node.arg, nodes.Const) else None
        elif isinstance(node, nodes.Filter):  # {{ x | attr('__class__') }}
            arg = node.args[0] if node.name == "attr" and node.args else None
            name = arg.value if isinstance(arg, nodes.Const) else None
        if isinstance(name, str) and name.startswith("_"):
            return name
    return None


def render_string(source: str, scope: dict) -> Any:
    native, compiled = _compiled(source)
    if native:
        value = compiled(**scope)
        if isinstance(value, Undefined):  # returned as is, StrictUndefined would not complain
            value._fail_with_undefined_error()
        return value
    return compiled.render(**scope)


def render(value: Any, scope: dict) -> Any:
    """Render every expression inside ``value`` (strings, lists, mappings) against ``scope``."""
    if isinstance(value, str):
        return render_string(value, scope) if has_expression(value) else value
    if isinstance(value, dict):
        return {render(k, scope): render(v, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, scope) for v in value]
    return value


def iter_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from iter_strings(k)
            yield from iter_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from iter_strings(v)


def references(source: str) -> tuple[set[str], list[tuple[str, ...]]]:
    """Names an expression reads from outside, and the attribute paths it reads from them.

    Returns (free names, paths) where a path is e.g. ("steps", "ledger", "rows").
    Names bound inside the template ({% set %}, {% for %}) are not free.
    """
    source = _WHOLE.sub(lambda m: "{{" + m.group("expr") + "}}", source)
    tree = ENV.parse(source)
    bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    free = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"} - bound
    paths: list[tuple[str, ...]] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        chain: list[str] = []
        cur: nodes.Node = node
        while isinstance(cur, (nodes.Getattr, nodes.Getitem)):
            if isinstance(cur, nodes.Getattr):
                chain.append(cur.attr)
            elif isinstance(cur.arg, nodes.Const) and isinstance(cur.arg.value, str):
                chain.append(cur.arg.value)
            else:
                chain = []
            cur = cur.node
        if isinstance(cur, nodes.Name) and cur.name not in bound and chain:
            paths.append((cur.name, *reversed(chain)))
    # steps.a.b also yields steps.a: keep only the longest chain of each
    longest = [p for p in paths if not any(q != p and q[:len(p)] == p for q in paths)]
    return free, list(dict.fromkeys(longest))
