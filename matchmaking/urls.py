from django.urls import path

from . import views

app_name = "matchmaking"

urlpatterns = [
    path("", views.buyer_overview, name="buyer_overview"),
    path(
        "requirements/<int:pk>/",
        views.requirement_matches,
        name="requirement_matches",
    ),
    path(
        "requirements/<int:pk>/suppliers/<int:supplier_pk>/decision/",
        views.decide,
        name="decide",
    ),
    path("requirements/<int:pk>/compare/", views.compare, name="compare"),
    path("readiness/", views.readiness_overview, name="readiness_overview"),
    path("mine/", views.my_matches, name="my_matches"),
    path("mine/readiness/", views.my_readiness, name="my_readiness"),
    path("suppliers/<int:pk>/", views.supplier_matches, name="supplier_matches"),
    path("suppliers/<int:pk>/readiness/", views.supplier_readiness, name="supplier_readiness"),
]
