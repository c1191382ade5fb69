"""Fast multi-row INSERTs for the importers: Django's bulk_create without its per-value compiler.

Profiling a 50,000-child CIN census import showed about three quarters of its CPU in
``bulk_create``'s SQL compilation (``SQLInsertCompiler.as_sql``: expression resolution and
parameter preparation, several Python calls per value), against a few per cent in the database
itself. ``insert_instances`` writes the same rows with the same field preparation
(``Field.pre_save`` for auto_now fields, ``Field.get_db_prep_save`` for every value), one
``INSERT ... VALUES (...), (...) RETURNING pk`` per batch, and sets the new primary keys on the
instances as ``bulk_create`` does. Like ``bulk_create`` it runs no ``save()`` and sends no
signals; unlike it, it handles only what the importers need: one concrete model, no
multi-table inheritance, no conflict clauses.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import ForeignObject, Model
from django.db.models.base import ModelState


@cache
def _blueprint(
    model: type[Model],
) -> tuple[dict[str, Any], list[tuple[str, Callable[[], Any]]], dict[str, str]]:
    """Per model: constant defaults, callable defaults, and field name or attname -> attname."""
    constant: dict[str, Any] = {}
    computed: list[tuple[str, Callable[[], Any]]] = []
    relations: dict[str, str] = {}
    for f in model._meta.concrete_fields:
        relations[f.attname] = f.attname
        if f.has_default() and callable(f.default):
            computed.append((f.attname, f.get_default))
        else:
            constant[f.attname] = f.get_default()
        if isinstance(f, ForeignObject):
            relations[f.name] = f.attname
    return constant, computed, relations


def build[M: Model](model: type[M], /, **values: Any) -> M:
    """A new, unsaved instance of ``model`` without ``Model.__init__``, for insert_instances.

    ``__init__`` (signals, descriptor calls, per-field defaults) was about half the write
    time of a large import. Values are given by field name or attname; a related object given
    by name contributes its primary key, which must already be set. No pre_init/post_init
    signals are sent: none of the imported models listens to them.
    """
    constant, computed, relations = _blueprint(model)
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(constant)
    for attname, default in computed:
        state[attname] = default()
    for name, value in values.items():
        target = relations.get(name)
        if target is None:
            raise BulkInsertError(f"{model._meta.label} has no field {name!r}")
        if target == name:
            state[name] = value
        else:
            if value is not None and value.pk is None:
                raise BulkInsertError(f"{model._meta.label}.{name} points at an unsaved row")
            state[target] = None if value is None else value.pk
    return obj


class BulkInsertError(ValueError):
    """The instances cannot be inserted by this path (mixed models, an unsaved relation)."""


def insert_instances[M: Model](objs: list[M]) -> list[M]:
    """Insert ``objs`` (all of one model) and set their primary keys; returns ``objs``."""
    if not objs:
        return objs
    model = type(objs[0])
    if any(type(o) is not model for o in objs):
        raise BulkInsertError("insert_instances takes instances of one model at a time")
    meta = model._meta
    if meta.parents:
        raise BulkInsertError(f"{meta.label} uses multi-table inheritance: use bulk_create")
    connection = connections[router.db_for_write(model)]
    pk = meta.pk
    assert pk is not None
    auto_pk = getattr(pk, "db_returning", False) and all(o.pk is None for o in objs)
    fields = [f for f in meta.concrete_fields if not (auto_pk and f is pk)]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    relations = [f for f in fields if isinstance(f, ForeignObject)]
    for obj in objs:
        for rel in relations:
            if getattr(obj, rel.attname) is None and rel.is_cached(obj):
                related = rel.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise BulkInsertError(
                            f"{meta.label}.{rel.name} points at an unsaved {related._meta.label}"
                        )
                    setattr(obj, rel.attname, related.pk)
        for f in stamped:
            f.pre_save(obj, add=True)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(str(pk.column))}" if auto_pk else ""
    batch = max(1, connection.ops.bulk_batch_size(fields, objs))
    preparers = [(f.attname, f.get_db_prep_save) for f in fields]
    # Consecutive rows often repeat a value (timestamps, codes, dates): prepare it once.
    last_raw: list[Any] = [None] * len(fields)
    last_prepared: list[Any] = [None] * len(fields)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start : start + batch]
            params: list[Any] = []
            for obj in chunk:
                values = obj.__dict__
                for i, (attname, prep) in enumerate(preparers):
                    value = values[attname]
                    if value is None:
                        params.append(None)
                    elif type(value) is type(last_raw[i]) and value == last_raw[i]:
                        params.append(last_prepared[i])  # e.g. one created_at for the batch
                    else:
                        last_raw[i], last_prepared[i] = value, prep(value, connection)
                        params.append(last_prepared[i])
            # Identifiers come from the model's metadata (quoted), values are all parameters.
            values_sql = ", ".join([placeholder] * len(chunk))
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values_sql}{returning}"  # noqa: S608
            cursor.execute(sql, params)
            if auto_pk:
                for obj, row in zip(chunk, cursor.fetchall(), strict=True):
                    setattr(obj, pk.attname, row[0])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
