from django.urls import path

from . import views

app_name = "schemes"

urlpatterns = [
    path("", views.scheme_list, name="list"),
]
