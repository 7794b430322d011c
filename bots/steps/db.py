"""Database steps: ``db.query``, ``db.execute``, ``db.upsert`` (SQLAlchemy Core).

The connection URL is a SQLAlchemy URL, normally from a secret (its password never reaches a
log line: the run masks secrets, and URLs are shown with the password hidden). A bare file
path means a SQLite database file. Parameters are always bound (``:name`` in the SQL), never
formatted into it. Each step is one transaction: it commits as a whole or not at all.

```yaml
secrets: [WAREHOUSE_DB]
steps:
  - id: open_orders
    db.query:
      url: "{{ secrets.WAREHOUSE_DB }}"
      sql: "SELECT id, customer, total FROM orders WHERE status = :status"
      params: {status: open}
  - db.execute:
      url: "{{ secrets.WAREHOUSE_DB }}"
      sql: "UPDATE orders SET status = 'sent' WHERE id = :id"
      params: "{{ steps.open_orders.rows }}"
  - id: upsert
    db.upsert:
      url: "{{ secrets.WAREHOUSE_DB }}"
      table: customers
      rows: "{{ steps.customers.items }}"
      key: [code]
```
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from bots.errors import BusinessError, InputError, TransientError
from bots.registry import StepParams, step

#: keys per SELECT when looking up existing rows (stays under SQLite's bound-parameter limit)
LOOKUP_CHUNK = 500

_engines: dict[str, Any] = {}
_engines_lock = threading.Lock()


def engine_for(url: str):
    """One pooled engine per URL for the process (connecting is the slow part of a small query)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    with _engines_lock:
        if url in _engines:
            return _engines[url]
        target = url
        if "://" not in url:
            target = f"sqlite:///{Path(url).expanduser()}"
        try:
            parsed = make_url(target)
        except ArgumentError:
            raise BusinessError("database URL is not a valid SQLAlchemy URL (dialect://user:password@host/db,"
                                " or a SQLite file path)") from None
        try:
            engine = create_engine(parsed, pool_pre_ping=True)
        except Exception as exc:  # a missing driver (ModuleNotFoundError), an unknown dialect
            raise BusinessError(f"database {shown_url(target)}: {type(exc).__name__}: {exc}") from None
        if engine.dialect.name == "sqlite":
            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):  # concurrent runs: wait for the lock, don't fail
                dbapi_connection.execute("PRAGMA busy_timeout=30000")
        _engines[url] = engine
        return engine


def shown_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database URL>"


def _db_error(exc: Exception, url: str, what: str) -> Exception:
    """Classify a driver error: a lost or refused connection is transient, the SQL is not."""
    from sqlalchemy.exc import OperationalError

    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    message = f"{what} on {shown_url(url)}: {text}"
    if isinstance(exc, OperationalError) and getattr(exc, "connection_invalidated", False):
        return TransientError(message)
    if isinstance(exc, OperationalError) and any(w in text.lower() for w in (
            "could not connect", "connection refused", "database is locked", "server closed", "timeout", "timed out")):
        return TransientError(message)
    return BusinessError(message)


class QueryParams(StepParams):
    """Read rows with a SELECT; parameters are bound.

    ```yaml
    - id: late
      db.query:
        url: "{{ secrets.ERP_DB }}"
        sql: "SELECT code, name FROM customers WHERE updated > :since"
        params: {since: "{{ vars.since }}"}
    ```
    """

    url: str = Field(description="SQLAlchemy URL (from a secret) or a SQLite file path")
    sql: str = Field(description="the statement; values as :name placeholders")
    params: dict[str, Any] = Field(default_factory=dict, description="values for the placeholders")


@step("db.query", QueryParams, outputs={
    "rows": "list of mappings (column: value)",
    "table": "the rows as a DataFrame",
    "count": "number of rows",
})
def query(ctx, params: QueryParams) -> dict:
    import pandas as pd
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    engine = engine_for(params.url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(params.sql), params.params)
            columns = list(result.keys())
            rows = [dict(zip(columns, row)) for row in result]
    except SQLAlchemyError as exc:
        raise _db_error(exc, str(engine.url), "db.query") from None
    return {"rows": rows, "table": pd.DataFrame(rows, columns=columns), "count": len(rows)}


class ExecuteParams(StepParams):
    """Run INSERT/UPDATE/DELETE (or DDL) once, or once per parameter set, in one transaction.

    ```yaml
    - db.execute:
        url: "{{ secrets.ERP_DB }}"
        sql: "UPDATE orders SET status = :status WHERE id = :id"
        params: [{id: 1, status: sent}, {id: 2, status: sent}]
    ```
    """

    url: str = Field(description="SQLAlchemy URL (from a secret) or a SQLite file path")
    sql: str = Field(description="the statement; values as :name placeholders")
    params: dict[str, Any] | list[dict[str, Any]] = Field(default_factory=dict,
                                                          description="one parameter set, or a list (one execution each)")


@step("db.execute", ExecuteParams, outputs={"rowcount": "rows the statement changed (summed over parameter sets)"})
def execute(ctx, params: ExecuteParams) -> dict:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    engine = engine_for(params.url)
    batch = params.params if isinstance(params.params, list) else [params.params]
    try:
        with engine.begin() as connection:
            if isinstance(params.params, list):
                if not batch:
                    return {"rowcount": 0}
                result = connection.execute(text(params.sql), batch)
            else:
                result = connection.execute(text(params.sql), params.params)
            rowcount = max(result.rowcount, 0)
    except SQLAlchemyError as exc:
        raise _db_error(exc, str(engine.url), "db.execute") from None
    return {"rowcount": rowcount}


class UpsertParams(StepParams):
    """Insert new rows and update changed ones, matched on key columns; unchanged rows untouched.

    Running it twice with the same rows changes nothing the second time (``unchanged`` counts
    them). Values are converted to the column's type first (``"2026-03-01"`` for a DATE column,
    ``"12.50"`` for a NUMERIC one); a value that does not fit names its row and column.

    ```yaml
    - id: sync
      db.upsert:
        url: "{{ secrets.ERP_DB }}"
        table: customers
        rows: "{{ steps.crm.items }}"
        key: [code]
    ```
    """

    url: str = Field(description="SQLAlchemy URL (from a secret) or a SQLite file path")
    table: str = Field(description="the table (schema.table for another schema)")
    rows: Any = Field(description="list of mappings, or a table (DataFrame)")
    key: list[str] = Field(min_length=1, description="columns that identify a row")
    columns: list[str] | None = Field(None, description="only these columns (default: the keys of the rows)")

    @field_validator("key", mode="before")
    @classmethod
    def _listify(cls, v):
        return [v] if isinstance(v, str) else v


class _Columns:
    """The incoming rows column by column: a table's own columns (no row mappings built for
    them), or a list of mappings read one column at a time."""

    def __init__(self, rows: Any):
        self._frame = None
        self._records: list[dict] = []
        if rows is None:
            self.names: list[str] = []
            self.count = 0
        elif hasattr(rows, "to_dict") and hasattr(rows, "columns"):
            self._frame = rows
            self.names = [str(c) for c in rows.columns]
            self.count = len(rows)
        elif isinstance(rows, list) and all(isinstance(r, dict) for r in rows):
            self._records = rows
            self.names = list(dict.fromkeys(k for r in rows for k in r))
            self.count = len(rows)
        else:
            raise BusinessError("db.upsert.rows: expected a list of mappings or a table")

    def values(self, name: str) -> list:
        if self._frame is not None:
            from bots.steps.table import column_values  # blanks as None, numpy scalars as Python values

            position = self.names.index(name)
            return column_values(self._frame.iloc[:, position])
        return [record.get(name) for record in self._records]


def _converter(column):
    """A function turning an incoming value into what the column stores (or raising ValueError)."""
    from sqlalchemy import types

    kind = column.type
    if isinstance(kind, types.Boolean):
        def to_bool(v):
            if isinstance(v, bool):
                return v
            text = str(v).strip().lower()
            if text in ("1", "true", "yes", "y", "t"):
                return True
            if text in ("0", "false", "no", "n", "f"):
                return False
            raise ValueError("not a yes/no value")
        return to_bool
    if isinstance(kind, types.Integer):
        def to_int(v):
            if isinstance(v, bool):
                raise ValueError("not a whole number")
            number = Decimal(str(v).strip())
            if number != number.to_integral_value():
                raise ValueError("not a whole number")
            return int(number)
        return _native(to_int, int)
    if isinstance(kind, types.Numeric):
        def to_decimal(v):
            if isinstance(v, float):
                v = repr(v)
            return Decimal(str(v).strip())
        return _native(to_decimal, Decimal) if kind.asdecimal else (lambda v: float(to_decimal(v)))
    if isinstance(kind, types.DateTime):
        return lambda v: v if isinstance(v, datetime) else datetime.fromisoformat(str(v).strip())
    if isinstance(kind, types.Date):
        def to_date(v):
            if isinstance(v, datetime):
                return v.date()
            if isinstance(v, date):
                return v
            return date.fromisoformat(str(v).strip()[:10])
        return _native(to_date, date)
    if isinstance(kind, types.String):
        return _native(lambda v: v if isinstance(v, str) else str(v), str)
    return lambda v: v


def _native(convert, kind: type):
    """Mark ``convert`` as giving back a value of exactly ``kind`` unchanged."""
    convert.native = kind
    return convert


def _column_values(values: list, name: str, column, is_key: bool) -> list:
    """One column's values for every row, converted to what the column stores; a value that
    does not fit names its row and column. Blank text is NULL except in a key."""
    convert = _converter(column)
    native = getattr(convert, "native", None)
    if native is not None and set(map(type, values)) <= {native, type(None)} \
            and (native is not str or is_key or "" not in values):
        return values
    out = []
    for number, value in enumerate(values, start=1):
        if value is None or (value == "" and not is_key and isinstance(value, str)):
            out.append(None)
            continue
        try:
            out.append(convert(value))
        except (ValueError, TypeError, InvalidOperation):
            raise InputError(f"{value!r} does not fit column {name} ({column.type});"
                             f" fix the value or the step that produced it", row=number, column=name) from None
    return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)) and not isinstance(a, bool):
        return Decimal(str(a)) == Decimal(str(b))
    return a == b


def _existing_rows(connection, table, columns: list[str], key: list[str], key_positions: list[int],
                   keys: list[tuple]) -> dict[tuple, tuple]:
    """The stored values (``columns``) of the rows whose keys are in ``keys``, by key.

    A table not much larger than the batch (at most twice as many rows: an empty table on a first
    sync, the same rows on a second) is read whole in one query; a larger one by chunks of keys
    (``IN``), so a small batch into a big table reads only its own rows. Counting stops at the
    bound, so the probe costs little on a big table."""
    from sqlalchemy import func, literal, select, tuple_

    selected = select(*[table.c[c] for c in columns])
    bound = 2 * len(keys)
    stored = connection.execute(select(func.count()).select_from(
        select(literal(1)).select_from(table).limit(bound + 1).subquery())).scalar_one()
    existing: dict[tuple, tuple] = {}
    if stored == 0:
        return existing
    if stored <= bound:
        if len(key_positions) == 1:
            at = key_positions[0]
            return {(found[at],): tuple(found) for found in connection.execute(selected)}
        return {tuple(found[i] for i in key_positions): tuple(found) for found in connection.execute(selected)}
    key_cols = [table.c[k] for k in key]
    for start in range(0, len(keys), LOOKUP_CHUNK):
        part = keys[start:start + LOOKUP_CHUNK]
        where = key_cols[0].in_([k[0] for k in part]) if len(key_cols) == 1 else tuple_(*key_cols).in_(part)
        for found in connection.execute(selected.where(where)):
            existing[tuple(found[i] for i in key_positions)] = tuple(found)
    return existing


@step("db.upsert", UpsertParams, outputs={
    "inserted": "rows added",
    "updated": "rows whose values changed",
    "unchanged": "rows already as given",
})
def upsert(ctx, params: UpsertParams) -> dict:
    from sqlalchemy import MetaData, Table, and_, bindparam
    from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError

    incoming = _Columns(params.rows)
    engine = engine_for(params.url)
    schema, _, name = params.table.rpartition(".")
    try:
        table = Table(name, MetaData(), schema=schema or None, autoload_with=engine)
    except NoSuchTableError:
        raise BusinessError(f"db.upsert: no table {params.table!r} in {shown_url(str(engine.url))}") from None
    except SQLAlchemyError as exc:
        raise _db_error(exc, str(engine.url), "db.upsert") from None
    known = {c.name: c for c in table.columns}
    columns = params.columns or incoming.names
    for name in list(params.key) + columns:
        if name not in known:
            raise BusinessError(f"db.upsert: table {params.table!r} has no column {name!r}"
                                f" (it has {', '.join(known)})")
    columns = list(dict.fromkeys(list(params.key) + columns))
    key_positions = [columns.index(k) for k in params.key]
    # column by column: a column whose values already have the column's type passes as it is
    cells = [_column_values(incoming.values(name) if name in incoming.names else [None] * incoming.count,
                            name, known[name], name in params.key) for name in columns]
    key_cells = [cells[i] for i in key_positions]
    for values in key_cells:
        if None in values or "" in values:
            number = next(n for n, v in enumerate(values, start=1) if v is None or v == "")
            raise InputError(f"key column(s) {', '.join(params.key)} empty", row=number)
    # a key given twice: the later row wins, as a second upsert would
    clean: dict[tuple, tuple] = dict(zip(zip(*key_cells), zip(*cells)))
    value_columns = [c for c in columns if c not in params.key]
    try:
        with engine.begin() as connection:
            existing = _existing_rows(connection, table, columns, params.key, key_positions, list(clean))
            to_insert, to_update = [], []
            unchanged = 0
            for key, values in clean.items():
                current = existing.get(key)
                if current is None:
                    to_insert.append(dict(zip(columns, values)))
                elif current == values or all(_same(a, b) for a, b in zip(current, values)):
                    unchanged += 1
                else:
                    to_update.append(dict(zip(columns, values)))
            if to_insert:
                connection.execute(table.insert(), to_insert)
            if to_update and value_columns:
                statement = table.update().where(and_(*[table.c[k] == bindparam(f"key_{k}") for k in params.key]))
                statement = statement.values({c: bindparam(f"val_{c}") for c in value_columns})
                connection.execute(statement, [{**{f"key_{k}": r[k] for k in params.key},
                                                **{f"val_{c}": r[c] for c in value_columns}} for r in to_update])
            inserted, updated = len(to_insert), len(to_update)
    except SQLAlchemyError as exc:
        raise _db_error(exc, str(engine.url), "db.upsert") from None
    ctx.log(f"db.upsert {params.table}: {inserted} inserted, {updated} updated, {unchanged} unchanged")
    return {"inserted": inserted, "updated": updated, "unchanged": unchanged}
