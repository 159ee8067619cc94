"""A model's INSERT statement written once per field list, not compiled again for every new row.

Django compiles a new row's INSERT through its query compiler at every save(): for the stories, authors and
tags an import adds, about a third of the import's time (docs/benchmarks.md, "Eighth session"). Models
set `_do_insert = inserts.do_insert`; save() is otherwise untouched: their save() methods, pre_save() of
every field (auto_now), get_db_prep_save() of every value and the signals all run as before. A value that is
an expression (`Now()`, a database default) takes Django's own path.
"""

from django.db import connections

_statements: dict[tuple, tuple[str, bool]] = {}


def _statement(model, fields, returning_fields, connection) -> tuple[str, bool]:
    """(the INSERT, whether Django's path is needed instead: returned values it would convert)."""
    key = (model, tuple(fields), tuple(returning_fields), connection.alias)
    found = _statements.get(key)
    if found is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
        converted = False
        if returning_fields:
            sql += " RETURNING " + ", ".join(quote(field.column) for field in returning_fields)
            columns = [field.get_col(model._meta.db_table) for field in returning_fields]
            converted = not connection.features.can_return_columns_from_insert or any(
                connection.ops.get_db_converters(column) or column.get_db_converters(connection)
                for column in columns
            )
        found = _statements[key] = (sql, converted)
    return found


def do_insert(instance, manager, using, fields, returning_fields, raw):
    """Model._do_insert with the statement kept: the same values, the same returned columns."""
    connection = connections[using]
    sql, django_only = _statement(type(instance), fields, returning_fields, connection)
    params = []
    for field in fields:
        value = getattr(instance, field.attname) if raw else field.pre_save(instance, add=True)
        if hasattr(value, "resolve_expression"):
            django_only = True
            break
        params.append(field.get_db_prep_save(value, connection=connection))
    if django_only:
        return manager._insert(
            [instance], fields=fields, returning_fields=returning_fields, using=using, raw=raw
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [cursor.fetchone()] if returning_fields else []
