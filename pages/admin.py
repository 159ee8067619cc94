from django.contrib import admin

from pages.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "in_footer", "footer_order", "updated_at"]
    list_editable = ["in_footer", "footer_order"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body"]}),
        ("Where it shows", {"fields": ["in_footer", "footer_order", "description"]}),
    ]
