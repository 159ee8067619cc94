from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("latest/", views.LatestView.as_view(), name="latest"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("<int:year>/<int:month>/<int:day>/<slug:slug>/", views.article, name="article"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("views/<int:pk>/", views.beacon, name="beacon"),
]
