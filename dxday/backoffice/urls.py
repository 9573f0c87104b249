from django.urls import path

from dxday.backoffice import views
from dxday.scanner import views as scanner_views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("history/", views.history, name="history"),
    path("<int:year>/", views.tracking, name="tracking"),
    path("<int:year>/bulk-accept/", views.bulk_accept, name="bulk_accept"),
    path("<int:year>/plans/<str:org_code>/", views.review, name="review"),
    path("<int:year>/reports/", views.reports, name="reports"),
    path("<int:year>/bulk.xlsx", views.bulk_workbook, name="bulk_workbook"),
    path("<int:year>/bulk/", views.bulk_import, name="bulk_import"),
    path("<int:year>/kit/", scanner_views.dashboard, name="kit"),
    path("<int:year>/kit/scan/", scanner_views.scan_now, name="kit_scan"),
    path("<int:year>/kit/targets/<int:pk>/", scanner_views.target_history, name="kit_target"),
    path("kit/results/<int:pk>/crop.png", scanner_views.result_crop, name="kit_crop"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/<str:fmt>/", views.report_file, name="report_file"),
]
