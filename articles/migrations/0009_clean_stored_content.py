"""Clean what was stored before the security review's fixes (#17): control characters, impossible dates and
images from other sites.

Rows saved before 0008 may hold C0 control characters (feeds and the news sitemap then fail as invalid XML),
dates such as year 1 or 9999 (the admin, sitemaps and feeds fail turning them into local time, so no editor
could even open the story to fix it) and tracking pixels in bodies. Control characters are removed; an
impossible date is cleared, and a published story that loses its publication or embargo date goes back to
draft, so nothing becomes public that was not; bodies holding images pass the sanitizer again. Rows are
written with update(): no signal, no revision, the stale-save counter moves on.
"""


from django.db import migrations, models
from django.db.models import F, Q
from django.utils import timezone

CONTROL_CHARACTERS = r"[\x01-\x08\x0b\x0c\x0e-\x1f]"
MODELS = ("Section", "Author", "Tag", "Photo", "Article", "Byline", "Correction")
DATES = {"Article": ("published_at", "embargo_until", "revised_at"), "Correction": ("created_at",)}


def clean(apps, schema_editor):
    from articles.html import sanitize
    from articles.validators import EARLIEST_DATE, latest_date, strip_control_characters

    for name in MODELS:
        model = apps.get_model("articles", name)
        texts = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        dirty = Q()
        for field in texts:
            dirty |= Q(**{f"{field}__regex": CONTROL_CHARACTERS})
        for row in model.objects.filter(dirty).values("pk", *texts).iterator():
            pk = row.pop("pk")
            model.objects.filter(pk=pk).update(
                **{f: strip_control_characters(v) for f, v in row.items() if v}
            )
    Article = apps.get_model("articles", "Article")
    for row in Article.objects.filter(body__contains="<img").values("pk", "body").iterator():
        cleaned = sanitize(row["body"])
        if cleaned != row["body"]:
            Article.objects.filter(pk=row["pk"]).update(body=cleaned, version=F("version") + 1)
    earliest, latest = EARLIEST_DATE, latest_date()
    for name, fields in DATES.items():
        model = apps.get_model("articles", name)
        for field in fields:
            impossible = Q(**{f"{field}__lt": earliest}) | Q(**{f"{field}__gte": latest})
            rows = model.objects.filter(impossible)
            if name == "Article" and field in ("published_at", "embargo_until"):
                rows.filter(status="published").update(status="draft", version=F("version") + 1)
            if name == "Correction":
                rows.update(created_at=timezone.now())  # a note needs a date; now is when it is seen
            else:
                rows.update(**{field: None})


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_security_dates_embargo_permission")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
