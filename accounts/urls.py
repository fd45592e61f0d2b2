from django.urls import path

from . import notification_views, privacy_views, views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("privacy/", privacy_views.privacy_notice, name="privacy_notice"),
    path("privacy/accept/", privacy_views.privacy_accept, name="privacy_accept"),
    path("data/", privacy_views.data_export, name="account_data_export"),
    path("delete/", privacy_views.account_delete, name="account_delete"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notification_views.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "unsubscribe/<str:token>/",
        notification_views.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
]
