from django.urls import path

from . import views

app_name = "manufacturers"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("companies/", views.manufacturer_list, name="manufacturer_list"),
    path("companies/new/", views.manufacturer_create, name="create"),
    path("companies/<int:pk>/", views.manufacturer_detail, name="manufacturer_detail"),
    path("companies/<int:pk>/edit/", views.manufacturer_edit, name="manufacturer_edit"),
    path("companies/<int:pk>/invite/", views.manufacturer_invite, name="manufacturer_invite"),
    path("companies/<int:pk>/verify/", views.manufacturer_verify, name="manufacturer_verify"),
    path("companies/<int:pk>/reject/", views.manufacturer_reject, name="manufacturer_reject"),
    path(
        "companies/<int:pk>/review/",
        views.manufacturer_review_request,
        name="manufacturer_review_request",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("mine/new/", views.requirement_create, name="requirement_create"),
    path("mine/<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("mine/<int:pk>/edit/", views.requirement_edit, name="requirement_edit"),
    path("mine/<int:pk>/publish/", views.requirement_publish, name="requirement_publish"),
    path("mine/<int:pk>/close/", views.requirement_close, name="requirement_close"),
    path("mine/<int:pk>/delete/", views.requirement_delete, name="requirement_delete"),
    path("mine/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "mine/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "mine/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("requirements/", views.browse, name="browse"),
    path("requirements/<int:pk>/", views.browse_detail, name="browse_detail"),
]
