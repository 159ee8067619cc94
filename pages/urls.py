from django.urls import path

from articles.freshness import public_page
from pages import views

app_name = "pages"

urlpatterns = [
    path("<slug:slug>/", public_page(views.page), name="page"),
]
