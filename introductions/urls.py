from django.urls import path

from . import quotation_views, views
from .conversation import views as conversation

app_name = "introductions"

urlpatterns = [
    path("", views.introduction_list, name="list"),
    path(
        "request/<int:requirement_pk>/<int:supplier_pk>/",
        views.introduction_request,
        name="request",
    ),
    path("interest/<int:requirement_pk>/", views.introduction_interest, name="interest"),
    path("<int:pk>/", views.introduction_detail, name="detail"),
    path("<int:pk>/accept/", views.introduction_accept, name="accept"),
    path("<int:pk>/decline/", views.introduction_decline, name="decline"),
    path("<int:pk>/withdraw/", views.introduction_withdraw, name="withdraw"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.introduction_attachment,
        name="attachment",
    ),
    path("<int:pk>/messages/", conversation.thread, name="thread"),
    path("<int:pk>/messages/files/<int:file_pk>/", conversation.message_file, name="message_file"),
    path("conversations/", conversation.conversation_overview, name="conversations"),
    path("<int:pk>/partnership/", views.partnership_start, name="partnership_start"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership"),
    path("<int:pk>/quotation/", quotation_views.quotation_submit, name="quotation_submit"),
    path("quotations/<int:pk>/", quotation_views.quotation_detail, name="quotation"),
    path(
        "quotations/<int:pk>/withdraw/",
        quotation_views.quotation_withdraw,
        name="quotation_withdraw",
    ),
    path(
        "quotations/<int:pk>/shortlist/",
        quotation_views.quotation_shortlist,
        name="quotation_shortlist",
    ),
    path(
        "quotations/<int:pk>/files/<int:file_pk>/",
        quotation_views.quotation_file,
        name="quotation_file",
    ),
    path(
        "requirements/<int:requirement_pk>/quotations/",
        quotation_views.quotation_compare,
        name="quotation_compare",
    ),
    path(
        "requirements/<int:requirement_pk>/quotations/award/",
        quotation_views.quotation_award,
        name="quotation_award",
    ),
    path(
        "requirements/<int:requirement_pk>/quotations/close/",
        quotation_views.quotation_round_close,
        name="quotation_round_close",
    ),
]
