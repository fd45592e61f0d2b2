from django.urls import path

from . import import_views, team_views, views

app_name = "suppliers"

urlpatterns = [
    path("", views.supplier_list, name="list"),
    path("new/", views.supplier_create, name="create"),
    path("mine/", views.dashboard, name="dashboard"),
    path("regencies/", views.regency_options, name="regencies"),
    path("import/", import_views.import_start, name="import"),
    path("import/<uuid:public_id>/", import_views.import_job, name="import_job"),
    path("import/<uuid:public_id>/apply/", import_views.import_apply, name="import_apply"),
    path("<int:pk>/", views.supplier_detail, name="detail"),
    path("<int:pk>/edit/company/", views.edit_company, name="edit_company"),
    path("<int:pk>/edit/capabilities/", views.edit_capabilities, name="edit_capabilities"),
    path("<int:pk>/edit/certifications/", views.edit_certifications, name="edit_certifications"),
    path(
        "<int:pk>/certifications/<int:cert_pk>/delete/",
        views.delete_certification,
        name="delete_certification",
    ),
    path(
        "<int:pk>/certifications/<int:cert_pk>/document/",
        views.certificate_document,
        name="certificate_document",
    ),
    path("private/<path:name>", views.private_file, name="private_file"),
    path("<int:pk>/edit/photos/", views.edit_photos, name="edit_photos"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", views.delete_photo, name="delete_photo"),
    path("<int:pk>/verification/", views.verification, name="verification"),
    path("<int:pk>/review/", views.review_request, name="review_request"),
    path("<int:pk>/team/", team_views.team_page, name="team"),
    path("<int:pk>/team/invite/", team_views.team_invite, name="team_invite"),
    path("<int:pk>/team/leave/", team_views.team_leave, name="team_leave"),
    path(
        "<int:pk>/team/invitations/<int:invitation_pk>/revoke/",
        team_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<int:pk>/team/members/<int:member_pk>/role/",
        team_views.member_role,
        name="member_role",
    ),
    path(
        "<int:pk>/team/members/<int:member_pk>/remove/",
        team_views.member_remove,
        name="member_remove",
    ),
    path("invitations/<str:token>/", team_views.invitation_accept, name="invitation_accept"),
]
