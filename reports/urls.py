from django.urls import path

from . import audit_views, queue_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("print/", views.print_view, name="print"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("verification/", queue_views.queue_list, name="queue"),
    path("verification/<str:kind>/<int:pk>/", queue_views.review, name="review"),
    path("verification/<str:kind>/<int:pk>/decide/", queue_views.decide, name="decide"),
    path("audit/", audit_views.audit_trail, name="audit"),
    path("audit/export.csv", audit_views.audit_trail_csv, name="audit_csv"),
]
