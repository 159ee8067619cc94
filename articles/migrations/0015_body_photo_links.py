"""Article.photos_in_body: which stories' bodies show which photos, so the photo library's "who shows this
photo?" is an index look-up instead of a read of every body (seconds at 50,000 stories)."""

from django.db import migrations, models


def link_existing_bodies(apps, schema_editor):
    from articles.body import all_photo_ids, elements  # pure functions of the body's HTML

    Article = apps.get_model("articles", "Article")
    Photo = apps.get_model("articles", "Photo")
    Link = Article.photos_in_body.through
    stories = Article.objects.filter(body__contains="data-").values_list("pk", "body")
    wanted = {pk: set(all_photo_ids(elements(html))) for pk, html in stories.iterator(chunk_size=2000)}
    existing = set(Photo.objects.filter(pk__in=set().union(*wanted.values())).values_list("pk", flat=True))
    Link.objects.bulk_create(
        (Link(article_id=pk, photo_id=photo) for pk, ids in wanted.items() for photo in sorted(ids & existing)),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_sec_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="photos_in_body",
            field=models.ManyToManyField(
                blank=True,
                editable=False,
                help_text="The photos the body shows (its photos and galleries), kept from the body by every save.",
                related_name="in_bodies",
                to="articles.photo",
            ),
        ),
        migrations.RunPython(link_existing_bodies, migrations.RunPython.noop),
    ]
