from django.urls import path

from . import views

# Included under /accounts/ (the UMKM's account pages), where the page has always been.
urlpatterns = [
    path("partners/", views.partner_consents, name="partner_consents"),
]
