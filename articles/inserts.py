"""A model's INSERT statement written once per field list, not compiled again for every new row.

Django compiles a new row's INSERT through its query compiler at every save(): for the stories, authors,
tags and photos an import adds, about a third of the import's time (docs/benchmarks.md, "Eighth session").
Models set `_do_insert = inserts.do_insert`; save() is otherwise untouched: their save() methods, pre_save()
of every field (auto_now), get_db_prep_save() of every value (but a str or None a Django field would pass on
unchanged) and the signals all run as before. A value that is an expression (`Now()`, a database default)
takes Django's own path.

`add(instance)` goes one step further for a caller that has done the model's save() work itself
(Article.add_cleaned; the importer's new authors and tags, their texts cleaned): the row is inserted without
Django's generic save path (Model.save, save_base, _save_table), with the same values, pre_save() of every
field and both signals ("Tenth session").
"""

from django.db import connections, router, transaction
from django.db.models import CharField, DateTimeField, Field, ForeignKey, TextField
from django.db.models.signals import post_save, pre_save

_statements: dict[tuple, tuple[str, bool, list]] = {}


def _statement(model, fields, returning_fields, connection) -> tuple[str, bool, list]:
    """(the INSERT, whether Django's path is needed instead: returned values it would convert, and for
    each field whether a None or a str goes to the database as it is)."""
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
        found = _statements[key] = (sql, converted, [_null_or_text_as_is(field) for field in fields])
    return found


def _null_or_text_as_is(field) -> tuple[bool, bool]:
    """(None is stored as NULL, a str is stored as it is) for `field`, known from its class's methods.

    Django's text fields (CharField, TextField and subclasses changing none of their conversions, such as
    SlugField) hand a str or None to the database unchanged, its DateTimeField (not auto_now) and
    ForeignKey a None; a new story has ten such texts and five such empty values.
    """
    cls = type(field)
    plain = cls.get_db_prep_save is Field.get_db_prep_save and cls.pre_save is Field.pre_save
    text = (
        plain
        and cls.get_db_prep_value is Field.get_db_prep_value
        and cls.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value)
        and cls.to_python in (CharField.to_python, TextField.to_python)
    )
    date = (
        cls.get_db_prep_save is Field.get_db_prep_save
        and cls.pre_save is DateTimeField.pre_save
        and not (field.auto_now or field.auto_now_add)
        and cls.get_db_prep_value is DateTimeField.get_db_prep_value
        and cls.get_prep_value is DateTimeField.get_prep_value
        and cls.to_python is DateTimeField.to_python
    )
    link = cls.get_db_prep_save is ForeignKey.get_db_prep_save and cls.pre_save is Field.pre_save
    return (text or date or link, text)


def do_insert(instance, manager, using, fields, returning_fields, raw):
    """Model._do_insert with the statement kept: the same values, the same returned columns."""
    connection = connections[using]
    sql, django_only, as_is = _statement(type(instance), fields, returning_fields, connection)
    params = []
    for field, (null_as_is, text_as_is) in zip(fields, as_is, strict=True):
        if null_as_is:
            value = getattr(instance, field.attname)  # what Field.pre_save() gives
            if value is None or (text_as_is and type(value) is str):
                params.append(value)
                continue
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


_insert_fields: dict[type, list] = {}


def add(instance, *, using: str | None = None) -> None:
    """Insert a new instance as save_base() does for a model of one table with an automatic primary key:
    pre_save sent, the row written by do_insert (auto_now set there), the returned key assigned, post_save
    sent with created=True. The model's own save() is not called: the caller does its work."""
    model = type(instance)
    meta = model._meta
    assert instance._state.adding and instance.pk is None and not meta.parents and not meta.proxy
    instance._prepare_related_fields_for_save(operation_name="save")  # refuses an unsaved section, photo...
    using = using or router.db_for_write(model, instance=instance)
    fields = _insert_fields.get(model)
    if fields is None:
        fields = _insert_fields[model] = [
            f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field
        ]
    pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    returning = meta.db_returning_fields
    with transaction.mark_for_rollback_on_error(using=using):
        returned = do_insert(instance, model._base_manager, using, fields, returning, raw=False)
    if returned:
        instance._assign_returned_values(returned[0], returning)
    instance._state.db = using
    instance._state.adding = False
    post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)
