"""The newspaper's own pages (about us, contact, corrections policy...): editable in the admin, linked in the
footer of every public page.

Like django.contrib.flatpages, without its sites framework: installing django.contrib.sites would make
every feed and sitemap take its host name from a Site row ("example.com") instead of the request.
"""

from django.db import models
from django.urls import reverse
from django_prose_editor.fields import ProseEditorField

from articles import freshness
from articles.html import sanitize
from articles.models import EDITOR_EXTENSIONS
from articles.validators import clean_text_fields


class Page(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The page's address: /pages/<slug>/, e.g. about or contact."
    )
    body = ProseEditorField(
        blank=True,
        extensions=EDITOR_EXTENSIONS,
        sanitize=sanitize,
        help_text="Paragraphs, sub-headings, quotes, lists and links.",
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="One sentence for search engines and link previews."
    )
    in_footer = models.BooleanField(default=True, help_text="Link this page in the footer of every page.")
    footer_order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["footer_order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        self.body = sanitize(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:page", args=[self.slug])


def footer_links() -> list[tuple[str, str]]:
    """(title, address) of the footer's pages, kept in each worker until a page is saved."""

    def read():
        freshness.depends_on("pages")
        return [(page.title, page.get_absolute_url()) for page in Page.objects.filter(in_footer=True)]

    return freshness.fragment(("footer-pages",), read)


freshness.shown_everywhere("pages")


def page_changed(sender, instance, **kwargs):
    """Signal receiver: a page was saved or deleted; every public page shows the footer's links."""
    freshness.changed("pages", f"page{instance.pk}")
