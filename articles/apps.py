from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate, post_save


class ArticlesConfig(AppConfig):
    default = True  # this module also holds the admin's config, which is not the default
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from articles import body, freshness, roles

        # Pillow itself refuses to decode bigger images anywhere in the app, not only in the upload form.
        Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
        post_migrate.connect(roles.sync_after_migrate, sender=self)
        # A restored version is saved raw, past Article.save(): its body-photo links follow it here.
        post_save.connect(
            body.links_after_raw_save, sender="articles.Article", dispatch_uid="body-photo-links"
        )
        # A save or delete of what readers see makes the pages showing it stale (commands and importers too).
        freshness.connect_signals()
        # The right column (Trending Now, "Just in") is a hole of cached pages, at /fragments/rail/ too (ESI).
        import articles.templatetags.look  # noqa: F401


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """The admin, with the editors' dashboard on its index page."""

    default = False
    default_site = "articles.dashboard.NewsroomAdminSite"


class LoginLockoutsConfig(AxesAppConfig):
    """django-axes, named for what editors unlock there."""

    verbose_name = "Login lockouts"
