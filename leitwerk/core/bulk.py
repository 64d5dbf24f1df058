"""Many new rows of one model, with their history records, without a model instance per row.

`bulk_create` plus django-simple-history's `bulk_history_create` builds two model instances
per row and prepares every value through the ORM; for the 10,000 rows of a 1,000-row plan
import that was about two thirds of the import's time (issue 21). `RowWriter` takes plain
values, allocates the primary keys up front (so children can point at their parents before
anything is written, and the history records can name their rows) and writes the rows and
their "+" history records in batches: on PostgreSQL with COPY, elsewhere (SQLite) with one
`executemany` per batch and per table.

What the writer guarantees, like `bulk_create_with_history`:

* every concrete field gets a value: the given one, else the field's default, `auto_now` /
  `auto_now_add` fields the writer's `now`;
* a tenant model's row without a municipality is refused (raises `ValueError`), as the tenant
  guard would refuse the query that wrote it;
* a model with `HistoricalRecords` gets one "+" record per row (history user and date as
  given, no change reason), unless `SIMPLE_HISTORY_ENABLED` is off;
* the statements run through the connection's execute wrappers and appear in its query log,
  so tests that count or fail writes see them.

It writes in the caller's transaction and does not open one: call it inside
`transaction.atomic()` (the imports do). It sends no signals and calls no `save()`: use it only
for models whose writes have no other side effects than their history.

On SQLite the keys are allocated after the highest key in use; that is safe because SQLite
lets one transaction write at a time, and because a writer writes its buffered rows before it
allocates the next block. Use one writer per model at a time there.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from .models import TenantModel

# Rows per statement: a larger batch holds more rows in memory at once, a smaller one costs
# a round trip more often; 2,000 keeps both small for the imports' sizes.
BATCH = 2000

# Field types whose Python values psycopg writes correctly as they are: their ORM preparation
# (`get_db_prep_save`) was most of the insert's Python time and changes nothing for them.
_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,  # and DateTimeField, its subclass; aware datetimes as timezone.now gives
    models.DecimalField,
    models.IntegerField,
    models.TextField,
)


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The model's django-simple-history record model, None without history (or switched off)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return None
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager is None:
        return None
    found: type[models.Model] = getattr(model, manager).model
    return found


class RowWriter:
    """New rows of `model`, buffered and written in batches with their history records."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        history_user: Any = None,
        now: dt.datetime | None = None,
        batch: int = BATCH,
        own_keys: bool = False,
    ) -> None:
        self.model = model
        self.batch = batch
        self.now = now or timezone.now()
        self.postgres = connection.vendor == "postgresql"
        self.fields = list(model._meta.concrete_fields)
        self.pk_attname = model._meta.pk.attname
        self.history = history_model(model)
        # Keys are allocated by the writer when something must name the row before it is
        # written: its history record, or (`own_keys`) a child row such as a nested idea.
        # Other rows take their key from the database.
        self.own_keys = own_keys or self.history is not None
        if not self.own_keys:
            self.fields = [f for f in self.fields if f.attname != self.pk_attname]
        self.attnames = [f.attname for f in self.fields]
        self.index = {name: n for n, name in enumerate(self.attnames)}
        self.converters = [self._converter(f) for f in self.fields]
        # A new row starts as the defaults, converted once; `add` puts in the given values.
        self.template = [
            default if convert is None else convert(default)
            for default, convert in zip(
                (self._default(f) for f in self.fields), self.converters, strict=True
            )
        ]
        tenant = issubclass(model, TenantModel)
        self.tenant_index = self.index["municipality_id"] if tenant else None
        self.history_columns: list[str] = []
        self.history_row: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None
        if self.history is not None:
            self._plan_history(history_user)
        self.rows: list[tuple[Any, ...]] = []
        self.keys: list[int] = []
        self.handed_out = 0
        self.expected = 0
        self.written = 0

    # --- values ---------------------------------------------------------------------------

    def _default(self, field: models.Field[Any, Any]) -> Any:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        # The default, else "" or None as Django fills a new instance. Taken once: mutable
        # defaults (list, dict) are converted per row, never changed.
        return field.get_default()

    def _converter(self, field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        if isinstance(field, models.JSONField):
            encoder = field.encoder

            def to_json(value: Any) -> Any:
                return None if value is None else json.dumps(value, cls=encoder)

            return to_json
        if self.postgres and (isinstance(field, _PLAIN_FIELDS) or field.is_relation):
            return None
        # SQLite (and any other field type): the ORM's own preparation, value by value.
        return functools.partial(_prep, field)

    def _plan_history(self, history_user: Any) -> None:
        """The history record's columns: first those copied from the row (by position), then
        those the same for every record (type "+", person, date)."""
        assert self.history is not None
        tracked = {f.attname for f in self.history.tracked_fields}  # type: ignore[attr-defined]
        user_id = getattr(history_user, "pk", None) if history_user is not None else None
        constants = {
            "history_date": self.now,
            "history_type": "+",
            "history_change_reason": None,
            "history_user_id": user_id,
        }
        history_pk = self.history._meta.pk.attname
        copied: list[tuple[str, int]] = []
        fixed: list[tuple[str, Any]] = []
        for f in self.history._meta.concrete_fields:
            if f.attname == history_pk:
                continue
            if f.attname in tracked:
                copied.append((f.column, self.index[f.attname]))
            elif f.attname == "history_relation_id":
                copied.append((f.column, self.index[self.pk_attname]))
            else:
                value = constants[f.attname] if f.attname in constants else self._default(f)
                convert = self._converter(f)
                fixed.append((f.column, value if convert is None else convert(value)))
        self.history_columns = [c for c, _ in copied] + [c for c, _ in fixed]
        take = operator.itemgetter(*(n for _, n in copied))
        same = tuple(v for _, v in fixed)
        self.history_row = lambda row: take(row) + same

    # --- adding ---------------------------------------------------------------------------

    def add(self, values: dict[str, Any]) -> int | None:
        """Buffer one row (field attnames to Python values); returns its key when the writer
        allocates it (models with history), else None."""
        if self.own_keys and values.get(self.pk_attname) is None:
            values[self.pk_attname] = self._next_key()
        row = self.template.copy()
        index, converters = self.index, self.converters
        for name, value in values.items():
            n = index[name]
            convert = converters[n]
            row[n] = value if convert is None else convert(value)
        if self.tenant_index is not None and row[self.tenant_index] is None:
            raise ValueError(f"{self.model._meta.label}: Zeile ohne Kommune.")
        self.rows.append(tuple(row))
        if len(self.rows) >= self.batch:
            self.flush()
        key: int | None = values.get(self.pk_attname)
        return key

    def add_instance(self, obj: models.Model) -> None:
        """Buffer an unsaved model instance; it gets its key and counts as saved, as after
        `bulk_create`."""
        values = {name: getattr(obj, name) for name in self.attnames}
        for name in ("created_at", "updated_at"):
            if name in values and values[name] is None:
                values[name] = self.now
                setattr(obj, name, self.now)
        key = self.add(values)
        if key is not None:
            setattr(obj, self.pk_attname, key)
        obj._state.adding = False
        obj._state.db = connection.alias

    def add_all(self, rows: Iterable[dict[str, Any]]) -> None:
        for values in rows:
            self.add(values)

    # --- keys -----------------------------------------------------------------------------

    def expect(self, count: int) -> None:
        """At least `count` more rows will be added: their keys are allocated in one block.

        Without it the blocks grow from 32 keys by doubling; a key costs the database a
        sequence step, so blocks much larger than needed are not free.
        """
        self.expected += count

    def _next_key(self) -> int:
        if not self.keys:
            # SQLite allocates after the highest key written: the buffered rows go first.
            self.flush()
            wanted = self.expected - self.handed_out
            size = wanted if wanted > 0 else max(32, self.handed_out)
            self.keys = self._allocate(min(self.batch, size))
            self.keys.reverse()
        self.handed_out += 1
        return self.keys.pop()

    def _allocate(self, count: int) -> list[int]:
        table = connection.ops.quote_name(self.model._meta.db_table)
        column = self.model._meta.pk.column
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, column, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(
                # Table and column names come from the model, never from input.
                f"SELECT MAX({connection.ops.quote_name(column)}) FROM {table}"  # noqa: S608
            )
            highest = cursor.fetchone()[0] or 0
            cursor.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = %s", [self.model._meta.db_table]
            )
            found = cursor.fetchone()
            # AUTOINCREMENT never hands out a key again, not even that of a deleted row.
            start = max(highest, found[0] if found else 0) + 1
            return list(range(start, start + count))

    # --- writing --------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the buffered rows and their history records."""
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        columns = [f.column for f in self.fields]
        self._write(self.model._meta.db_table, columns, rows)
        if self.history is not None and self.history_row is not None:
            history = [self.history_row(row) for row in rows]
            self._write(self.history._meta.db_table, self.history_columns, history)
        self.written += len(rows)

    def _write(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        qn = connection.ops.quote_name
        names = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            if not self.postgres:
                marks = ", ".join(["%s"] * len(columns))
                # Table and column names come from the models, never from input.
                sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)
                return
            sql = f"COPY {qn(table)} ({names}) FROM STDIN"
            raw = cursor.cursor  # psycopg's own cursor under Django's wrapper

            def copy(sql: str, params: Any, many: bool, context: dict[str, Any]) -> None:
                with raw.copy(sql) as out:
                    for row in rows:
                        out.write_row(row)

            _run_wrapped(copy, sql, cursor)


def _prep(field: models.Field[Any, Any], value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _run_wrapped(executor: Callable[..., Any], sql: str, cursor: Any) -> None:
    """Run `executor` as Django runs a query: through the connection's execute wrappers (tests
    fail or count writes with them) and into the query log when queries are logged."""
    for wrapper in reversed(connection.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    started = time.monotonic()
    try:
        # psycopg's errors as Django's (IntegrityError, DataError …), as for any other query.
        with connection.wrap_database_errors:
            executor(sql, None, False, {"connection": connection, "cursor": cursor})
    finally:
        if connection.queries_logged:
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
