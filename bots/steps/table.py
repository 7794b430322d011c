"""Table steps: ``table.filter``, ``table.sort``, ``table.select``, ``table.dedupe``,
``table.group``, ``table.join``, ``table.pivot``, ``table.compute``.

Every table step takes ``table``: a table from an earlier step (``"{{ steps.ledger.table }}"``,
passed as the DataFrame itself) or a list of row mappings; and gives back ``table`` (for the next
table step), ``rows`` (list of mappings, for ``for_each``), ``count`` and ``columns``. Amounts
stay ``Decimal``; dates stay dates.

Row expressions (``where``, ``compute``) are recipe expressions evaluated for each row, with the
row as ``row`` (``row.amount``, ``row['金额']``) and every column whose name is a plain word also
by itself (``amount > 100``); ``vars``, ``steps`` and the rest of the recipe scope are there too.
Braces are optional. Simple comparisons, ``and``/``or``/``not``, ``in`` and arithmetic run on
whole columns at once (fast on 100,000s of rows); anything else (filters, method calls) is
evaluated row by row, and a failing row is named in the error. Both ways give the same result:
a blank cell compares as false and blank arithmetic gives a blank; a literal such as ``1.13``
meets a Decimal amount as ``Decimal('1.13')``, so ``row.amount * 1.13`` stays exact.

```yaml
steps:
  - id: ledger
    sheet.read: {path: data/ledger.xlsx, sheet: GL}
  - id: big
    table.filter: {table: "{{ steps.ledger.table }}", where: "amount > 1000 and currency == 'CNY'"}
  - id: net
    table.compute: {table: "{{ steps.big.table }}", columns: {net: "row.gross - row.fee"}}
  - id: by_month
    table.group: {table: "{{ steps.net.table }}", by: [month], aggregate: {total: "sum(net)", lines: "count()"}}
  - id: matched
    table.join: {left: "{{ steps.net.table }}", right: "{{ steps.bank.table }}", on: [reference], how: left}
  - log: "{{ steps.matched.unmatched_left_count }} ledger lines have no bank line"
```
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Literal

import numpy as np
import pandas as pd
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer
from pydantic import Field

from bots import expressions
from bots.errors import BusinessError, InputError, TransientError
from bots.registry import StepParams, step

TABLE_OUTPUTS = {
    "table": "the resulting table (a DataFrame) for the next table or sheet step",
    "rows": "the rows as a list of mappings (for for_each)",
    "count": "number of rows",
    "columns": "column names, in order",
}


# ---- shared helpers (also used by bots/steps/sheet.py) ----------------------------------------------

def as_frame(value: Any, what: str = "table") -> pd.DataFrame:
    """A DataFrame from a table, a list of row mappings, or a step's outputs holding one."""
    if isinstance(value, pd.DataFrame):
        return value
    if hasattr(value, "as_dict") and callable(value.as_dict):  # steps.<id> given instead of steps.<id>.table
        outputs = value.as_dict()
        if isinstance(outputs.get("table"), pd.DataFrame):
            return outputs["table"]
        if isinstance(outputs.get("rows"), list):
            value = outputs["rows"]
    if isinstance(value, dict) and isinstance(value.get("table"), pd.DataFrame):
        return value["table"]
    if isinstance(value, (list, tuple)):
        if not all(isinstance(row, dict) for row in value):
            bad = next(i for i, row in enumerate(value) if not isinstance(row, dict))
            raise InputError(f"{what}: item {bad + 1} is {type(value[bad]).__name__}, not a row (a mapping of column: value)")
        # columns in the order first met; each read with dict.get mapped at C speed (an API's
        # pages of records are 10,000s of rows)
        columns = dict.fromkeys(str(key) for key in dict.fromkeys(itertools.chain.from_iterable(value)))
        index = pd.RangeIndex(1, len(value) + 1, name="row")
        return pd.DataFrame({c: pd.Series(list(map(dict.get, value, itertools.repeat(c))), index=index, dtype=object)
                             for c in columns}, index=index)
    if isinstance(value, str):
        raise InputError(f"{what}: got the text {value[:80]!r}; pass a table, e.g. \"{{{{ steps.ledger.table }}}}\"")
    raise InputError(f"{what}: expected a table or a list of rows, got {type(value).__name__}")


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return None if pd.isna(value) else value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


#: cell types ``_plain`` gives back unchanged
_PLAIN_TYPES = {str, int, bool, Decimal, date, datetime, type(None), dict, list}


def column_values(series: pd.Series) -> list:
    """A column's values as plain Python values: blanks are None, numpy scalars Python values."""
    values = series.tolist()
    dtype = series.dtype
    plain_numpy = isinstance(dtype, np.dtype) and (dtype.kind in "iub" or (dtype.kind == "f" and not series.hasnans))
    # object/str/datetime/nullable columns: None for blanks, Python values (a column of plain
    # Python values, the usual case, needs no change)
    if not plain_numpy and not set(map(type, values)) <= _PLAIN_TYPES:
        values = [_plain(v) for v in values]
    return values


def to_rows(df: pd.DataFrame) -> list[dict]:
    """Rows as plain mappings: blanks are None, numpy scalars are Python values."""
    columns = [str(c) for c in df.columns]
    lists = [column_values(df.iloc[:, position]) for position in range(len(columns))]
    return [dict(zip(columns, row)) for row in zip(*lists)] if columns else [{} for _ in range(len(df))]


def table_outputs(df: pd.DataFrame, **extra: Any) -> dict:
    return {"table": df, "rows": to_rows(df), "count": int(len(df)), "columns": [str(c) for c in df.columns], **extra}


def _require_columns(df: pd.DataFrame, names: list[str], what: str) -> None:
    import difflib

    missing = [n for n in names if n not in df.columns]
    if missing:
        present = [str(c) for c in df.columns]
        hints = []
        for name in missing:
            close = difflib.get_close_matches(str(name), present, n=1)
            hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise InputError(f"{what}: no column {', '.join(hints)}; the table has {', '.join(map(repr, present))}")


def _listify(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


# ---- row expressions ----------------------------------------------------------------------------------

def _harmonize(left: Any, right: Any) -> tuple[Any, Any]:
    """A float literal meeting a Decimal amount becomes the Decimal it reads as (1.13 -> Decimal('1.13'))."""
    if isinstance(left, Decimal) and isinstance(right, float):
        return left, Decimal(repr(right))
    if isinstance(right, Decimal) and isinstance(left, float):
        return Decimal(repr(left)), right
    return left, right


class _RowEnvironment(type(expressions.ENV)):  # the recipe sandbox, with money-safe arithmetic
    """Row expressions: blank cells give blank results, and ``row.amount * 1.13`` stays exact."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%"})
    intercepted_unops = frozenset({"-", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if left is None or right is None:
            return None
        left, right = _harmonize(left, right)
        return super().call_binop(context, operator, left, right)

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        return None if arg is None else super().call_unop(context, operator, arg)


def _row_compare(ops: list, operands: list) -> bool:
    """Comparisons row by row with the whole-column rule: a blank cell compares as false."""
    for op, left, right in zip(ops, operands, operands[1:]):
        if op in ("in", "notin"):
            if right is None or (left is None and isinstance(right, str)):
                result = False
            else:
                result = left in right
            result = (not result) if op == "notin" else result
        elif left is None or right is None:
            result = op == "ne"
        else:
            result = _COMPARE[op](left, right)
        if not result:
            return False
    return True


def _row_concat(parts: list) -> str:
    """``a ~ b`` row by row with the whole-column rule: a blank cell joins as empty text."""
    return "".join("" if part is None else str(part) for part in parts)


class _BlankSafe(NodeTransformer):
    """Rewrites ``a > b`` into ``_row_compare(['gt'], [a, b])`` and ``a ~ b`` into
    ``_row_concat([a, b])``, so that blank cells behave as in whole-column evaluation."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        call = nodes.Call(nodes.Name("_row_concat", "load"), [nodes.List(list(node.nodes))], [], None, None)
        return call.set_lineno(node.lineno).set_environment(ROW_ENV)

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        node = self.generic_visit(node)
        call = nodes.Call(nodes.Name("_row_compare", "load"),
                          [nodes.List([nodes.Const(op.op) for op in node.ops]),
                           nodes.List([node.expr] + [op.expr for op in node.ops])], [], None, None)
        return call.set_lineno(node.lineno).set_environment(ROW_ENV)


ROW_ENV = _RowEnvironment(undefined=StrictUndefined, autoescape=False)
ROW_ENV.filters.update(expressions.ENV.filters)
ROW_ENV.globals.update(expressions.ENV.globals)
ROW_ENV.globals.update(_row_compare=_row_compare, _row_concat=_row_concat)


class _NotVectorizable(Exception):
    """The expression needs row-by-row evaluation."""


_ROW = object()
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gteq": operator.ge, "lt": operator.lt, "lteq": operator.le,
}
_ARITH: dict[type, Callable[[Any, Any], Any]] = {
    nodes.Add: operator.add, nodes.Sub: operator.sub, nodes.Mul: operator.mul, nodes.Div: operator.truediv,
    nodes.FloorDiv: operator.floordiv, nodes.Mod: operator.mod,
}


class RowExpression:
    """A recipe expression evaluated for each row of a table."""

    def __init__(self, source: Any, what: str):
        if not isinstance(source, str) or not source.strip():
            raise InputError(f"{what}: expected an expression such as \"amount > 100\", got {source!r}")
        text = source.strip()
        self.what = what
        self.source = text if text.startswith("{{") and text.endswith("}}") else "{{ " + text + " }}"
        inner = re.sub(r"^\{\{|\}\}$", "", self.source).strip()
        try:
            self.tree = ROW_ENV.parse(self.source)
            # what Environment.compile_expression builds, kept as a Template so that one context
            # can serve every row (new_context(shared=True) does not copy the scope per row)
            row_tree = _BlankSafe().visit(ROW_ENV.parse("{%- set result = (" + inner + ") -%}"))
            self.template = ROW_ENV.from_string(row_tree)
        except TemplateError as exc:
            raise InputError(f"{what}: {exc} in expression {text!r}") from None
        outputs = list(self.tree.find_all(nodes.Output))
        if len(outputs) != 1 or len(outputs[0].nodes) != 1:
            raise InputError(f"{what}: write one expression, e.g. \"row.amount > 100\"; got {text!r}")
        self.node = outputs[0].nodes[0]

    # -- whole columns at once
    def vectorized(self, df: pd.DataFrame, scope: dict) -> Any:
        return self._eval(self.node, df, scope)

    def _name(self, name: str, df: pd.DataFrame, scope: dict) -> Any:
        if name == "row":
            return _ROW
        if name in scope:
            return scope[name]
        if name in df.columns:
            return df[name]
        if name in ROW_ENV.globals:
            return ROW_ENV.globals[name]
        raise _NotVectorizable(name)  # row-by-row evaluation reports the unknown name

    def _eval(self, node: nodes.Node, df: pd.DataFrame, scope: dict) -> Any:
        if isinstance(node, nodes.Const):
            return node.value
        if isinstance(node, (nodes.List, nodes.Tuple)):
            items = [self._eval(n, df, scope) for n in node.items]
            if any(isinstance(i, pd.Series) for i in items):
                raise _NotVectorizable("list of columns")
            return items
        if isinstance(node, nodes.Name):
            return self._name(node.name, df, scope)
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self._eval(node.node, df, scope)
            if isinstance(node, nodes.Getattr):
                key = node.attr
            else:
                key = self._eval(node.arg, df, scope)
                if isinstance(key, pd.Series):
                    raise _NotVectorizable("column as key")
            if base is _ROW:
                if key not in df.columns:
                    raise _NotVectorizable(str(key))
                return df[key]
            if isinstance(base, pd.Series):
                raise _NotVectorizable("attribute of a column")
            return ROW_ENV.getitem(base, key) if isinstance(node, nodes.Getitem) else ROW_ENV.getattr(base, key)
        if isinstance(node, nodes.Compare):
            left = self._eval(node.expr, df, scope)
            result = None
            for op in node.ops:
                right = self._eval(op.expr, df, scope)
                part = self._compare(op.op, left, right)
                result = part if result is None else (result & part)
                left = right
            return result
        if isinstance(node, nodes.And):
            return self._logic(self._eval(node.left, df, scope), self._eval(node.right, df, scope), operator.and_)
        if isinstance(node, nodes.Or):
            return self._logic(self._eval(node.left, df, scope), self._eval(node.right, df, scope), operator.or_)
        if isinstance(node, nodes.Not):
            value = self._eval(node.node, df, scope)
            return ~_as_bool(value) if isinstance(value, pd.Series) else (not value)
        if isinstance(node, nodes.Neg):
            return _arith(lambda a, _: -a, self._eval(node.node, df, scope), 0)
        if isinstance(node, nodes.Pos):
            return self._eval(node.node, df, scope)
        if type(node) in _ARITH:
            left, right = self._eval(node.left, df, scope), self._eval(node.right, df, scope)
            return _arith(_ARITH[type(node)], left, right)
        if isinstance(node, nodes.Concat):
            parts = [self._eval(n, df, scope) for n in node.nodes]
            result = ""
            for part in parts:
                part = part.map(lambda v: "" if _plain(v) is None else str(v)) if isinstance(part, pd.Series) else str(part)
                result = result + part
            return result
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and not node.kwargs \
                and node.dyn_args is None and node.dyn_kwargs is None:
            func = ROW_ENV.globals.get(node.node.name)
            args = [self._eval(a, df, scope) for a in node.args]
            if func is None or any(isinstance(a, pd.Series) for a in args):
                raise _NotVectorizable("call")
            return func(*args)
        if isinstance(node, nodes.Filter) and node.node is not None and node.dyn_args is None \
                and node.dyn_kwargs is None:
            value = self._eval(node.node, df, scope)
            args = [self._eval(a, df, scope) for a in node.args]
            kwargs = {kw.key: self._eval(kw.value, df, scope) for kw in node.kwargs}
            func = ROW_ENV.filters.get(node.name)
            if func is None or any(isinstance(a, pd.Series) for a in [*args, *kwargs.values()]):
                raise _NotVectorizable("filter")
            if isinstance(value, pd.Series):
                if _PassArg.from_obj(func) is not None:  # wants the environment or context: leave to Jinja
                    raise _NotVectorizable("filter")
                # a filter over a column: the function itself per cell, without a template render per
                # row; a cell it refuses sends the whole expression to per_row, which names the row
                cells = value.tolist()
                if not set(map(type, cells)) <= _PLAIN_TYPES:
                    cells = [_plain(v) for v in cells]
                return pd.Series([func(v, *args, **kwargs) for v in cells], index=value.index, dtype=object)
            return func(value, *args, **kwargs)
        raise _NotVectorizable(type(node).__name__)

    @staticmethod
    def _compare(op: str, left: Any, right: Any) -> Any:
        if op in _COMPARE:
            if isinstance(left, pd.Series) or isinstance(right, pd.Series):
                result = _COMPARE[op](left, right)
                return result.fillna(op == "ne").astype(bool) if result.dtype != bool else result
            return _COMPARE[op](left, right)
        if op in ("in", "notin"):
            if isinstance(left, pd.Series) and isinstance(right, (list, tuple, set)) and not isinstance(right, str):
                result = left.isin(list(right))
            elif isinstance(left, str) and isinstance(right, pd.Series) and pd.api.types.is_string_dtype(right.dtype):
                result = right.str.contains(left, regex=False).fillna(False).astype(bool)
            elif not isinstance(left, pd.Series) and not isinstance(right, pd.Series):
                result = left in right
                return (not result) if op == "notin" else result
            else:
                raise _NotVectorizable("in")
            return ~result if op == "notin" else result
        raise _NotVectorizable(op)

    @staticmethod
    def _logic(left: Any, right: Any, combine: Callable) -> Any:
        if not isinstance(left, pd.Series) and not isinstance(right, pd.Series):
            return (left and right) if combine is operator.and_ else (left or right)
        if not (_is_boolean(left) and _is_boolean(right)):
            raise _NotVectorizable("and/or of values")  # Jinja's `a or b` gives a value, not a truth
        return combine(_as_bool(left), _as_bool(right))

    # -- row by row
    def per_row(self, df: pd.DataFrame, scope: dict) -> list:
        names = [c for c in df.columns if isinstance(c, str) and c.isidentifier() and c not in scope]
        results = []
        names_scope = dict(ROW_ENV.globals)
        names_scope.update(scope)
        template = self.template
        for number, values in zip(df.index, to_rows(df)):
            row = _Row(values)
            for name in names:
                names_scope[name] = values[name]
            names_scope["row"] = row
            try:
                context = template.new_context(names_scope, shared=True)
                for _ in template.root_render_func(context):
                    pass
                results.append(context.vars["result"])
            except (TemplateError, TypeError, ValueError, ArithmeticError, AttributeError, KeyError) as exc:
                detail = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
                raise InputError(f"{self.what}: {detail} (expression {self.source!r})",
                                 row=int(number) if isinstance(number, (int, np.integer)) else None) from None
        return results

    def evaluate(self, df: pd.DataFrame, scope: dict) -> Any:
        """A Series (or one value for every row) of the expression over the table."""
        try:
            value = self.vectorized(df, scope)
        except _NotVectorizable:
            return pd.Series(self.per_row(df, scope), index=df.index, dtype=object)
        except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, TemplateError):
            return pd.Series(self.per_row(df, scope), index=df.index, dtype=object)
        if isinstance(value, pd.Series):
            return value
        return value  # a constant: the same for every row


def _arith(op: Callable[[Any, Any], Any], left: Any, right: Any) -> Any:
    """Arithmetic on columns where a blank cell gives a blank result (as in a spreadsheet)."""
    if not isinstance(left, pd.Series) and not isinstance(right, pd.Series):
        return op(left, right)
    try:
        result = op(left, right)
        if isinstance(result, pd.Series) and result.dtype != object:
            return result
    except TypeError:
        pass
    index = left.index if isinstance(left, pd.Series) else right.index
    lefts = left.tolist() if isinstance(left, pd.Series) else [left] * len(index)
    rights = right.tolist() if isinstance(right, pd.Series) else [right] * len(index)
    out = []
    for a, b in zip(lefts, rights):
        a, b = _plain(a), _plain(b)
        if a is None or b is None:
            out.append(None)
            continue
        try:
            out.append(op(*_harmonize(a, b)))
        except (TypeError, ArithmeticError):
            raise _NotVectorizable("arithmetic") from None  # row by row names the failing row
    return pd.Series(out, index=index, dtype=object)


class _Row(dict):
    """A row mapping whose columns are also attributes (``row.amount``) without an exception per lookup."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _is_boolean(value: Any) -> bool:
    return isinstance(value, bool) or (isinstance(value, pd.Series) and value.dtype == bool)


def _as_bool(value: Any) -> Any:
    if isinstance(value, pd.Series):
        if value.dtype == bool:
            return value
        return value.map(lambda v: bool(_plain(v))).astype(bool)
    return bool(value)


def _scope(ctx: Any) -> dict:
    scope = dict(getattr(ctx, "scope", None) or {})
    return scope


# ---- table.filter ---------------------------------------------------------------------------------

class FilterParams(StepParams):
    """Keep the rows for which an expression is true.

    ```yaml
    - id: big
      table.filter: {table: "{{ steps.ledger.table }}", where: "amount > 1000 and currency == 'CNY'"}
    - id: march
      table.filter: {table: "{{ steps.ledger.table }}", where: "row.date >= date('2024-03-01')"}
    ```
    """

    table: Any = Field(description="the table: \"{{ steps.<id>.table }}\" or a list of rows")
    where: str = Field(description="expression per row, e.g. \"amount > 100\" or \"'退款' in row.memo\" (braces optional)")


@step("table.filter", FilterParams, repeatable=True, raw=("where",),
      outputs={**TABLE_OUTPUTS, "removed": "how many rows did not match"})
def filter_rows(ctx, params: FilterParams) -> dict:
    df = as_frame(params.table)
    expr = RowExpression(params.where, "table.filter where")
    mask = expr.evaluate(df, _scope(ctx))
    if isinstance(mask, pd.Series):
        keep = _as_bool(mask) if mask.dtype != bool else mask
    else:
        keep = pd.Series(bool(mask), index=df.index)
    result = df[keep.to_numpy(dtype=bool)]
    return table_outputs(result, removed=int(len(df) - len(result)))


# ---- table.compute --------------------------------------------------------------------------------

class ComputeParams(StepParams):
    """Add or replace columns computed from each row, in the order given.

    ```yaml
    - id: net
      table.compute:
        table: "{{ steps.paypal.table }}"
        columns:
          net: "row.Gross + row.Fee"
          month: "row.Date | format_date('%Y-%m')"
          label: "row.Name ~ ' / ' ~ row.Currency"
    ```
    """

    table: Any = Field(description="the table: \"{{ steps.<id>.table }}\" or a list of rows")
    columns: dict[str, str] = Field(description="new column: expression per row (later ones may use earlier ones)")


@step("table.compute", ComputeParams, repeatable=True, raw=("columns",), outputs=TABLE_OUTPUTS)
def compute(ctx, params: ComputeParams) -> dict:
    df = as_frame(params.table).copy()
    scope = _scope(ctx)
    if not params.columns:
        raise InputError("table.compute: columns is empty; give name: expression pairs")
    for name, source in params.columns.items():
        value = RowExpression(source, f"table.compute {name}").evaluate(df, scope)
        if isinstance(value, pd.Series):
            df[name] = value.reindex(df.index) if not value.index.equals(df.index) else value
        else:
            df[name] = pd.Series([value] * len(df), index=df.index, dtype=object)
    return table_outputs(df)


# ---- table.sort -----------------------------------------------------------------------------------

class SortParams(StepParams):
    """Sort rows by one or more columns; ``-name`` or ``name desc`` sorts descending. Blanks go last.

    ```yaml
    - id: ordered
      table.sort: {table: "{{ steps.ledger.table }}", by: [date, "-amount"]}
    ```
    """

    table: Any = Field(description="the table: \"{{ steps.<id>.table }}\" or a list of rows")
    by: list[str] | str = Field(description="columns; prefix - or suffix ' desc' for descending")


@step("table.sort", SortParams, repeatable=True, outputs=TABLE_OUTPUTS)
def sort_rows(ctx, params: SortParams) -> dict:
    df = as_frame(params.table)
    columns, ascending = [], []
    for spec in _listify(params.by):
        text = spec.strip()
        descending = text.startswith("-") or text.lower().endswith(" desc")
        name = text[1:] if text.startswith("-") else re.sub(r"\s+(?i:desc|asc)$", "", text)
        if name not in df.columns and text in df.columns:
            name, descending = text, False  # a column really called "-x"
        columns.append(name)
        ascending.append(not descending)
    _require_columns(df, columns, "table.sort by")
    try:
        result = df.sort_values(columns, ascending=ascending, na_position="last", kind="stable")
    except TypeError as exc:
        raise InputError(f"table.sort: a column mixes kinds of values that cannot be ordered ({exc}); "
                         "read it with types: so every value has one kind") from None
    return table_outputs(result)


# ---- table.select ---------------------------------------------------------------------------------

class SelectParams(StepParams):
    """Keep, order, rename or drop columns.

    ```yaml
    - id: slim
      table.select: {table: "{{ steps.ledger.table }}", columns: {交易日期: date, 金额: amount, 摘要: memo}}
    - id: without_ids
      table.select: {table: "{{ steps.ledger.table }}", drop: [internal_id]}
    ```
    """

    table: Any = Field(description="the table: \"{{ steps.<id>.table }}\" or a list of rows")
    columns: list[str] | dict[str, str] | None = Field(None, description="keep these (in this order); a mapping also renames")
    rename: dict[str, str] | None = Field(None, description="old name: new name, keeping every column")
    drop: list[str] | None = Field(None, description="columns to remove")


@step("table.select", SelectParams, repeatable=True, outputs=TABLE_OUTPUTS)
def select(ctx, params: SelectParams) -> dict:
    df = as_frame(params.table)
    if params.columns is not None:
        mapping = params.columns if isinstance(params.columns, dict) else {c: c for c in params.columns}
        _require_columns(df, list(mapping), "table.select columns")
        df = df[list(mapping)].rename(columns=mapping)
    if params.drop:
        _require_columns(df, params.drop, "table.select drop")
        df = df.drop(columns=params.drop)
    if params.rename:
        _require_columns(df, list(params.rename), "table.select rename")
        df = df.rename(columns=params.rename)
    names = [str(c) for c in df.columns]
    if len(set(names)) != len(names):
        raise InputError(f"table.select: two columns would be called {', '.join(sorted({n for n in names if names.count(n) > 1}))}")
    return table_outputs(df)


# ---- table.dedupe ---------------------------------------------------------------------------------

class DedupeParams(StepParams):
    """Drop repeated rows: the same values in the ``by`` columns (all columns if not given).

    ```yaml
    - id: unique
      table.dedupe: {table: "{{ steps.bank.table }}", by: [reference], keep: first}
    ```
    """

    table: Any = Field(description="the table: \"{{ steps.<id>.table }}\" or a list of rows")
    by: list[str] | str | None = Field(None, description="key columns; all columns when omitted")
    keep: Literal["first", "last"] = Field("first", description="which of the repeated rows to keep")


@step("table.dedupe", DedupeParams, repeatable=True, outputs={**TABLE_OUTPUTS, "removed": "how many repeated rows were dropped",
                                             "duplicates": "the dropped rows"})
def dedupe(ctx, params: DedupeParams) -> dict:
    df = as_frame(params.table)
    by = _listify(params.by) or [str(c) for c in df.columns]
    _require_columns(df, by, "table.dedupe by")
    keys = pd.DataFrame({c: df[c].map(_key) for c in by}, index=df.index)
    repeated = keys.duplicated(keep=params.keep).to_numpy()
    result, dropped = df[~repeated], df[repeated]
    return table_outputs(result, removed=int(repeated.sum()), duplicates=to_rows(dropped))


def _key(value: Any) -> Any:
    """Equal-looking keys compare equal: ' A1 ' == 'A1', Decimal('1.50') == 1.5."""
    value = _plain(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        return Decimal(repr(value)).normalize()
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Decimal(value).normalize()
    return value


# ---- table.group ----------------------------------------------------------------------------------

_AGG_RE = re.compile(r"^\s*(?P<func>[a-z_]+)\s*\(\s*(?P<col>.*?)\s*\)\s*$")


def _sum(values: list) -> Any:
    present = [v for v in values if v is not None]
    if any(isinstance(v, Decimal) for v in present):
        return sum((v if isinstance(v, Decimal) else Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
                    for v in present), Decimal(0))
    return sum(present) if present else 0


def _mean(values: list) -> Any:
    present = [v for v in values if v is not None]
    if not present:
        return None
    total = _sum(present)
    return total / len(present) if not isinstance(total, Decimal) else total / Decimal(len(present))


AGGREGATES: dict[str, Callable[[list], Any]] = {
    "sum": _sum,
    "count": lambda values: sum(1 for v in values if v is not None),
    "min": lambda values: min((v for v in values if v is not None), default=None),
    "max": lambda values: max((v for v in values if v is not None), default=None),
    "mean": _mean,
    "first": lambda values: next((v for v in values if v is not None), None),
    "last": lambda values: next((v for v in reversed(values) if v is not None), None),
    "nunique": lambda values: len({v for v in values if v is not None}),
    "list": lambda values: [v for v in values if v is not None],
}


def _parse_aggregate(name: str, spec: str, df: pd.DataFrame) -> tuple[str | None, Callable[[list], Any]]:
    found = _AGG_RE.match(spec or "")
    if not found or found["func"] not in AGGREGATES:
        raise InputError(f"table.group aggregate {name}: write func(column), e.g. sum(amount), count(); functions: "
                         f"{', '.join(AGGREGATES)}; got {spec!r}")
    column = found["col"].strip("'\"` ") or None
    if column is None and found["func"] != "count":
        raise InputError(f"table.group aggregate {name}: {found['func']}() needs a column, e.g. {found['func']}(amount)")
    if column is not None:
        _require_columns(df, [column], f"table.group aggregate {name}")
    return column, AGGREGATES[found["func"]]


class GroupParams(StepParams):
    """Group rows by key columns and aggregate: ``sum``, ``count``, ``min``, ``max``, ``mean``,
    ``first``, ``last``, ``nunique``, ``list``. Sums of amounts stay exact (Decimal). Rows with a
    blank key form their own group.

    ```yaml
    - id: totals
      table.group:
        table: "{{ steps.ledger.table }}"
        by: [account, currency]
        aggregate: {total: "sum(amount)", lines: "count()", last_date: "max(date)"}
    ```
    """

    table: Any = Field(description="the table: \"{{ steps.<id>.table }}\" or a list of rows")
    by: list[str] | str = Field(description="key columns")
    aggregate: dict[str, str] = Field(description="new column: func(column), e.g. total: sum(amount), n: count()")


@step("table.group", GroupParams, repeatable=True, outputs=TABLE_OUTPUTS)
def group(ctx, params: GroupParams) -> dict:
    df = as_frame(params.table)
    by = _listify(params.by)
    _require_columns(df, by, "table.group by")
    specs = {name: _parse_aggregate(name, spec, df) for name, spec in params.aggregate.items()}
    columns = {c: [_plain(v) for v in df[c].tolist()] for c in set(by) | {c for c, _ in specs.values() if c}}
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(*(columns[c] for c in by)) if by else [()] * len(df)):
        groups.setdefault(tuple(_key(k) for k in key), []).append(i)
    out: dict[str, list] = {c: [] for c in by}
    out.update({name: [] for name in specs})
    for positions in groups.values():
        first = positions[0]
        for c in by:
            out[c].append(columns[c][first])
        for name, (column, func) in specs.items():
            values = [columns[column][i] for i in positions] if column else [1] * len(positions)
            try:
                out[name].append(func(values))
            except TypeError as exc:
                raise InputError(f"table.group aggregate {name}: column {column!r} mixes kinds of values ({exc})") from None
    result = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in out.items()})
    result = _tidy_dtypes(result)
    return table_outputs(result)


def _tidy_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas strings and whole-number columns as ints, like sheet.read gives."""
    for c in df.columns:
        values = [v for v in df[c].tolist() if v is not None]
        if values and all(isinstance(v, str) for v in values):
            df[c] = df[c].astype("str")
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            df[c] = df[c].astype("Int64" if len(values) < len(df) else "int64")
    return df


# ---- table.join -----------------------------------------------------------------------------------

class JoinParams(StepParams):
    """Join two tables on key columns; rows without a partner are reported, never lost silently.

    ```yaml
    - id: matched
      table.join:
        left: "{{ steps.ledger.table }}"
        right: "{{ steps.bank.table }}"
        on: [reference]            # or left_on: [voucher], right_on: [ref]
        how: left                  # inner | left | right | outer
        cardinality: many_to_one   # fail if a bank reference repeats
    - log: "{{ steps.matched.unmatched_left_count }} ledger lines have no bank line"
    ```
    """

    left: Any = Field(description="left table")
    right: Any = Field(description="right table")
    on: list[str] | str | None = Field(None, description="key columns with the same name on both sides")
    left_on: list[str] | str | None = Field(None, description="key columns of the left table")
    right_on: list[str] | str | None = Field(None, description="key columns of the right table")
    how: Literal["inner", "left", "right", "outer"] = Field("inner", description="which rows to keep")
    suffixes: list[str] = Field(["", "_right"], min_length=2, max_length=2,
                                description="added to clashing column names (left, right)")
    cardinality: Literal["one_to_one", "one_to_many", "many_to_one", "many_to_many"] | None = Field(
        None, description="fail if a key repeats more than this allows (one_to_one: unique on both sides)")


@step("table.join", JoinParams, repeatable=True, outputs={
    **TABLE_OUTPUTS,
    "unmatched_left": "left rows with no partner (list of mappings)",
    "unmatched_right": "right rows with no partner (list of mappings)",
    "unmatched_left_count": "how many left rows had no partner",
    "unmatched_right_count": "how many right rows had no partner",
})
def join(ctx, params: JoinParams) -> dict:
    left, right = as_frame(params.left, "left"), as_frame(params.right, "right")
    if params.on is not None:
        left_on = right_on = _listify(params.on)
    else:
        left_on, right_on = _listify(params.left_on), _listify(params.right_on)
    if not left_on or len(left_on) != len(right_on):
        raise InputError("table.join: give on: [columns], or left_on and right_on with the same number of columns")
    _require_columns(left, left_on, "table.join left")
    _require_columns(right, right_on, "table.join right")
    lkeys = pd.DataFrame({f"__k{i}": left[c].map(_key) for i, c in enumerate(left_on)})
    rkeys = pd.DataFrame({f"__k{i}": right[c].map(_key) for i, c in enumerate(right_on)})
    for i, (lc, rc) in enumerate(zip(left_on, right_on)):
        lk, rk = _kind_of(lkeys[f"__k{i}"]), _kind_of(rkeys[f"__k{i}"])
        if lk and rk and lk != rk:
            raise InputError(f"table.join: key {lc!r} holds {lk} on the left but {rc!r} holds {rk} on the right, so "
                             "nothing could match; read them with the same types: (e.g. text)")
    key_names = list(lkeys.columns)
    lwork = pd.concat([left.reset_index(drop=True), lkeys.reset_index(drop=True).astype(object)], axis=1)
    rwork = pd.concat([right.reset_index(drop=True), rkeys.reset_index(drop=True).astype(object)], axis=1)
    if params.on is not None:
        rwork = rwork.drop(columns=[c for c in right_on])
    try:
        merged = lwork.merge(rwork, how=params.how, on=key_names, suffixes=tuple(params.suffixes),
                             indicator="__side", validate=params.cardinality)
    except pd.errors.MergeError as exc:
        side = "left" if "left dataset" in str(exc) else "right" if "right dataset" in str(exc) else "one"
        raise InputError(f"table.join: a key appears more than once in the {side} table, which cardinality: "
                         f"{params.cardinality} does not allow") from None
    except ValueError as exc:
        raise InputError(f"table.join: {exc}") from None
    lonly = lwork[~_present(lkeys, rkeys)].drop(columns=key_names)
    ronly = rwork[~_present(rkeys, lkeys)].drop(columns=key_names)
    if params.on is not None:
        # the shared key columns come from whichever side has the row
        for i, c in enumerate(left_on):
            from_right = merged["__side"] == "right_only"
            if from_right.any():
                original = right.reset_index(drop=True)[c]
                lookup = dict(zip(rkeys[f"__k{i}"].tolist(), original.tolist()))
                merged.loc[from_right, c] = merged.loc[from_right, f"__k{i}"].map(lookup)
    merged = merged.drop(columns=key_names + ["__side"])
    return table_outputs(merged, unmatched_left=to_rows(lonly), unmatched_right=to_rows(ronly),
                         unmatched_left_count=int(len(lonly)), unmatched_right_count=int(len(ronly)))


def _present(keys: pd.DataFrame, other: pd.DataFrame) -> np.ndarray:
    other_set = set(map(tuple, other.itertuples(index=False, name=None)))
    return np.array([tuple(k) in other_set for k in keys.itertuples(index=False, name=None)], dtype=bool)


def _kind_of(series: pd.Series) -> str | None:
    kinds = set()
    for value in series.tolist()[:1000]:
        if value is None:
            continue
        if isinstance(value, str):
            kinds.add("text")
        elif isinstance(value, Decimal):
            kinds.add("numbers")
        elif isinstance(value, (date, datetime)):
            kinds.add("dates")
        else:
            kinds.add(type(value).__name__)
    return kinds.pop() if len(kinds) == 1 else None


# ---- table.pivot ----------------------------------------------------------------------------------

class PivotParams(StepParams):
    """Spread one column's values into columns (a pivot table), aggregating a value column.

    ```yaml
    - id: by_currency
      table.pivot:
        table: "{{ steps.ledger.table }}"
        index: [account]
        columns: currency
        values: amount
        aggregate: sum
        fill: 0
    ```
    """

    table: Any = Field(description="the table: \"{{ steps.<id>.table }}\" or a list of rows")
    index: list[str] | str = Field(description="row key columns")
    columns: str = Field(description="the column whose values become new columns")
    values: str = Field(description="the column to aggregate")
    aggregate: Literal["sum", "count", "min", "max", "mean", "first", "last", "nunique"] = Field(
        "sum", description="how to combine several values in one cell")
    fill: Any = Field(None, description="value for empty cells (e.g. 0); blank when omitted")


@step("table.pivot", PivotParams, repeatable=True, outputs=TABLE_OUTPUTS)
def pivot(ctx, params: PivotParams) -> dict:
    df = as_frame(params.table)
    index = _listify(params.index)
    _require_columns(df, index + [params.columns, params.values], "table.pivot")
    func = AGGREGATES[params.aggregate]
    cells: dict[tuple, dict[Any, list]] = {}
    labels: dict[Any, None] = {}
    first_key: dict[tuple, tuple] = {}
    idx_values = [[_plain(v) for v in df[c].tolist()] for c in index]
    col_values = [_plain(v) for v in df[params.columns].tolist()]
    values = [_plain(v) for v in df[params.values].tolist()]
    for i in range(len(df)):
        raw_key = tuple(col[i] for col in idx_values)
        key = tuple(_key(k) for k in raw_key)
        first_key.setdefault(key, raw_key)
        label = "" if col_values[i] is None else (col_values[i].isoformat() if isinstance(col_values[i], (date, datetime))
                                                   else str(col_values[i]).strip())
        labels.setdefault(label, None)
        cells.setdefault(key, {}).setdefault(label, []).append(values[i])
    fill = params.fill
    if isinstance(fill, (int, float)) and not isinstance(fill, bool) and any(isinstance(v, Decimal) for v in values):
        fill = Decimal(repr(fill)) if isinstance(fill, float) else Decimal(fill)
    clash = [label for label in labels if label in index]
    if clash:
        raise InputError(f"table.pivot: value {clash[0]!r} of column {params.columns!r} is also an index column name")
    out: dict[str, list] = {c: [] for c in index}
    out.update({label: [] for label in sorted(labels, key=str)})
    for key, by_label in cells.items():
        for c, v in zip(index, first_key[key]):
            out[c].append(v)
        for label in out:
            if label in index:
                continue
            out[label].append(func(by_label[label]) if label in by_label else fill)
    result = _tidy_dtypes(pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in out.items()}))
    return table_outputs(result)


def sheet_error(exc: Exception) -> Exception:
    """Map a ``sheets`` library error to the runtime's error tree (used by sheet steps)."""
    from sheets.errors import SheetError, SheetLocked

    if isinstance(exc, SheetError):
        message = exc.message
        if exc.expected and "expected" not in message:
            message += f" (expected {exc.expected})"
        if isinstance(exc, SheetLocked):
            return TransientError(f"{exc.file}: {message}" if exc.file else message)
        return InputError(message, file=exc.file, sheet=exc.sheet, row=exc.row, column=exc.column)
    return BusinessError(str(exc))
