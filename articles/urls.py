from django.urls import path

from articles import api, feeds, views
from articles.freshness import public_page

app_name = "articles"
# The query parameters a page reads: the only ones in its cache key (articles/freshness/pages.py).
PAGED = ("page",)

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("latest/", public_page(views.LatestView.as_view(), PAGED), name="latest"),
    path("section/<slug:slug>/", public_page(views.SectionView.as_view(), PAGED), name="section"),
    path("author/<slug:slug>/", public_page(views.AuthorView.as_view(), PAGED), name="author"),
    path("tag/<slug:slug>/", public_page(views.TagView.as_view(), PAGED), name="tag"),
    path("<int:year>/<int:month>/<int:day>/<slug:slug>/", public_page(views.article), name="article"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("views/<int:pk>/", views.beacon, name="beacon"),
    path("search/", public_page(views.search, ("q", "page")), name="search"),
    path("feeds/rss/", public_page(feeds.LatestFeed()), name="feed_rss"),
    path("feeds/atom/", public_page(feeds.LatestAtomFeed()), name="feed_atom"),
    path("section/<slug:slug>/rss/", public_page(feeds.SectionFeed()), name="section_rss"),
    path("section/<slug:slug>/atom/", public_page(feeds.SectionAtomFeed()), name="section_atom"),
    path("author/<slug:slug>/rss/", public_page(feeds.AuthorFeed()), name="author_rss"),
    path("author/<slug:slug>/atom/", public_page(feeds.AuthorAtomFeed()), name="author_atom"),
    path("tag/<slug:slug>/rss/", public_page(feeds.TagFeed()), name="tag_rss"),
    path("tag/<slug:slug>/atom/", public_page(feeds.TagAtomFeed()), name="tag_atom"),
    path("api/ninjs/", public_page(api.stories, PAGED), name="api_stories"),
    path("api/ninjs/<int:pk>/", public_page(api.story), name="api_story"),
]
