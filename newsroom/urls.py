from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from articles.freshness import hole_view, public_page
from articles.sitemaps import SITEMAPS, news_sitemap

admin.site.site_header = f"{settings.SITE_NAME} — editors"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"

ROBOTS = TemplateView.as_view(template_name="robots.txt", content_type="text/plain")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", public_page(ROBOTS)),
    path("sitemap.xml", public_page(sitemap_views.index), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sitemap-news.xml", public_page(news_sitemap), name="news_sitemap"),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, ("p",)),  # Django's sitemaps page with ?p=
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("fragments/<slug:name>/", hole_view, name="hole"),  # Trending Now for Varnish's ESI
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
