"""Reads whose SQL is worked out once per process.

Turning a QuerySet into SQL (the compiler's `as_sql`) costs Python about
0.6-0.8 ms for a select with a join or two, several times what the
database then takes to answer it (0.1-0.2 ms). A record's page reads a
dozen such rows about one record (a customer's accounts, loans, liens, ...):
the SQL is the same for every customer but for the customer's key, yet the
ORM works it out anew on every page, and that was a third of the page.

`Precompiled` takes a function that builds the QuerySet from its keys. The
first read (per database connection) builds it with stand-in keys, compiles
it and keeps the SQL and what the compiler found out (columns, joins,
converters); every later read puts the real keys into the kept parameters,
runs the SQL through the connection's cursor (so query logging and counting
see it as any other query) and makes the model instances, with their
select_related rows and annotations, as Django's ModelIterable does.

What a precompiled read may depend on: only its keys (integers, such as
primary keys, or text, such as a session key), each a parameter of the SQL
or, for text, the text a LIKE pattern looks for (`number__icontains=text`:
the key goes into the pattern escaped as Django escapes it). Anything else
the build function reads (the date, a setting) would be frozen at the first
read, so it must not; nor may it use prefetch_related or a related
manager's known objects (`customer.accounts`: filter by `customer_id`
instead and put the customer on the rows). `tests/portal/test_precompiled_reads.py` proves the
rows equal the ORM's, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Stand-in keys, each one marking the place of a real key in the SQL's
# parameters. Within a 32-bit column's range and positive: Django finds
# nothing to compile for a value out of the key column's range (its SQL
# would be empty), and a positive integer field's range starts at 0.
# Up to 100: a list's page of rows is read by its keys (`pk__in`, 20 a page).
_STAND_INS = tuple(2_146_000_001 + i for i in range(100))
_TEXT_STAND_INS = tuple(f"precompiled-stand-in-{i}-7b1d" for i in range(100))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # (position in params, which key, the stand-in inside a LIKE pattern)
    slots: tuple[tuple[int, int, str | None], ...]
    compiler: Any
    flat: bool
    init_list: tuple[str, ...]
    start: int
    end: int
    populators: tuple[Any, ...]


class Precompiled:
    """A read of model rows by one or more keys, compiled once per database
    connection. `build(*keys)` returns the QuerySet; `keys` is how many
    integer keys it takes, or the kinds of its keys in order (`(str,)`)."""

    def __init__(
        self, build: Callable[..., QuerySet[Any]], keys: int | tuple[type, ...] = 1
    ) -> None:
        kinds = (int,) * keys if isinstance(keys, int) else tuple(keys)
        if not 1 <= len(kinds) <= len(_STAND_INS) or not set(kinds) <= {int, str}:
            raise ValueError(
                f"A precompiled read takes 1 to {len(_STAND_INS)} keys, "
                "each an integer or text."
            )
        self.build = build
        self.kinds = kinds
        self.keys = len(kinds)
        # One per connection object (a thread's own), dropped with it: the
        # kept compiler holds no reference to it (see _compile).
        self._by_connection: weakref.WeakKeyDictionary[Any, _Compiled] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def __call__(self, *keys: int | str, using: str = "default") -> list[Any]:
        if len(keys) != self.keys:
            raise TypeError(f"This read takes {self.keys} key(s), not {len(keys)}.")
        connection = connections[using]
        compiled = self._by_connection.get(connection)
        if compiled is None:
            compiled = self._compile(connection, using)
        params = list(compiled.params)
        for position, which, pattern in compiled.slots:
            key = self.kinds[which](keys[which])
            if pattern is not None:
                like = connection.ops.prep_for_like_query(key)
                key = params[position].replace(pattern, like)
            params[position] = key
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiled.compiler.connection = connection  # for its converters
        try:
            return self._instances(compiled, rows, using)
        finally:
            compiled.compiler.connection = None

    def _compile(self, connection: Any, using: str) -> _Compiled:
        from django.db.models.query import (
            FlatValuesListIterable,
            ModelIterable,
            get_related_populators,
        )

        stand_ins = tuple(
            (_STAND_INS if kind is int else _TEXT_STAND_INS)[i]
            for i, kind in enumerate(self.kinds)
        )
        queryset = self.build(*stand_ins)
        built: Any = queryset  # QuerySet's private parts, not in its stubs
        flat = built._iterable_class is FlatValuesListIterable
        if (
            not (flat or built._iterable_class is ModelIterable)
            or built._prefetch_related_lookups
            or built._known_related_objects
        ):
            raise ValueError(
                "A precompiled read makes model rows only (or one column, "
                "values_list(flat=True)): no values(), prefetch_related() or "
                "related manager."
            )
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = tuple(self._slots(params, stand_ins))
        if {which for _, which, _ in slots} != set(range(self.keys)):
            raise ValueError("Every key must be a parameter of the read's SQL.")
        klass_info = compiler.klass_info
        populators: tuple[Any, ...] = ()
        init_list: tuple[str, ...] = ()
        if flat:
            start, end = 0, 1
        else:
            fields = klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            init_list = tuple(
                column[0].target.attname for column in compiler.select[start:end]
            )
            populate: Any = get_related_populators  # Django 5.2's signature
            populators = tuple(populate(klass_info, compiler.select, using))
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            compiler=compiler,
            flat=flat,
            init_list=init_list,
            start=start,
            end=end,
            populators=populators,
        )
        # The compiler is lent the connection while it converts a read's
        # rows; kept with it, it would keep the connection (the dictionary's
        # key) alive after its thread ended.
        compiler.connection = None
        with self._lock:
            self._by_connection[connection] = compiled
        return compiled

    @staticmethod
    def _slots(params: Any, stand_ins: tuple[Any, ...]) -> Any:
        for position, value in enumerate(params):
            if isinstance(value, int | str) and value in stand_ins:
                yield position, stand_ins.index(value), None
            elif isinstance(value, str):
                # A LIKE pattern made from a text key (`%key%`).
                for which, stand_in in enumerate(stand_ins):
                    if isinstance(stand_in, str) and stand_in in value:
                        yield position, which, stand_in

    @staticmethod
    def _instances(compiled: _Compiled, rows: list[Any], using: str) -> list[Any]:
        # As django.db.models.query.ModelIterable.__iter__ (or, for one
        # column, FlatValuesListIterable) does.
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if compiled.flat:
            return [row[0] for row in compiler.results_iter([rows])]
        model = compiler.klass_info["model"]
        annotations = compiler.annotation_col_map
        init_list = list(compiled.init_list)
        found = []
        for row in compiler.results_iter([rows]):
            instance = model.from_db(
                using, init_list, row[compiled.start : compiled.end]
            )
            for populator in compiled.populators:
                populator.populate(row, instance)
            if annotations:
                for name, position in annotations.items():
                    setattr(instance, name, row[position])
            found.append(instance)
        return found


class PrecompiledAbout:
    """Precompiled reads of rows about a record of one of several kinds (a
    customer's, an account's or a property's loans): `paths` names, for each
    kind, the lookup from the rows to it (`customer_id`, `account_id`, ...);
    `build(path, key)` makes the QuerySet. Called with the record."""

    def __init__(
        self,
        paths: Mapping[Any, str],
        build: Callable[[str, int], QuerySet[Any]],
    ) -> None:
        self._reads = {
            kind: Precompiled(lambda key, path=path: build(path, key))
            for kind, path in paths.items()
        }

    def _read(self, record: Any) -> Precompiled | None:
        return next(
            (self._reads[k] for k in type(record).__mro__ if k in self._reads), None
        )

    def applies_to(self, record: Any) -> bool:
        return self._read(record) is not None

    def __call__(self, record: Any) -> list[Any]:
        read = self._read(record)
        if read is None:
            raise TypeError(f"Nothing is read about a {type(record).__name__}.")
        return read(record.pk)


class PrecompiledByKeys:
    """Rows by a list of keys (`build(keys)` filters `pk__in=keys`): one
    precompiled read for each number of keys, so a list's pages (20 rows,
    the last one fewer) are read with SQL worked out once. Returns the rows
    in no particular order, as `pk__in` does."""

    def __init__(self, build: Callable[[list[int]], QuerySet[Any]]) -> None:
        self.build = build
        self._by_count: dict[int, Precompiled] = {}

    def __call__(self, keys: list[int]) -> list[Any]:
        keys = list(dict.fromkeys(keys))  # each once, as pk__in reads them
        if not keys:
            return []
        if len(keys) > len(_STAND_INS):
            return list(self.build(keys))
        read = self._by_count.get(len(keys))
        if read is None:
            read = Precompiled(lambda *ks: self.build(list(ks)), keys=len(keys))
            self._by_count[len(keys)] = read
        return read(*keys)
