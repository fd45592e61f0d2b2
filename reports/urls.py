from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("print/", views.print_view, name="print"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("verification/", views.queue, name="queue"),
    path("verification/<str:kind>/<int:pk>/decide/", views.decide, name="decide"),
]
