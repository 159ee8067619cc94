from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from pages import models

        # A page is in every public page's footer: its save refreshes them all (not only its own page).
        for signal in (post_save, post_delete):
            signal.connect(
                models.page_changed, sender=models.Page, dispatch_uid=f"pages.changed.{id(signal)}"
            )
