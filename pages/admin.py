from django import forms
from django.contrib import admin

from articles.html import foreign_image_message, removal_messages, sanitize_reporting
from pages.models import Page


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "in_footer", "footer_order", "description"]

    def clean_body(self):
        """Sanitize the body as stories are, and say what was removed (the form shows the body as it would
        be saved, so a second save keeps it)."""
        pasted = self.cleaned_data.get("body") or ""
        body, foreign_images = sanitize_reporting(pasted)
        notes = removal_messages(pasted) + [foreign_image_message(address) for address in foreign_images]
        if notes:
            self.data = self.data.copy()
            self.data[self.add_prefix("body")] = body
            raise forms.ValidationError([*notes, "Check the page and save it again."], code="body_changed")
        return body


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageForm
    list_display = ["title", "slug", "in_footer", "footer_order", "updated_at"]
    list_editable = ["in_footer", "footer_order"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body"]}),
        ("Where it shows", {"fields": ["in_footer", "footer_order", "description"]}),
    ]
