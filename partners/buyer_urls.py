from django.urls import path

from . import views

# Included under /buyers/, beside the firm's other settings pages.
urlpatterns = [
    path("companies/<int:pk>/api-keys/", views.buyer_api_keys, name="buyer_api_keys"),
]
