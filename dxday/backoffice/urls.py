from django.urls import path

from dxday.backoffice import history, people, results, rounds, setup, views
from dxday.scanner import views as scanner_views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("history/", history.history, name="history"),
    path("<int:year>/", views.tracking, name="tracking"),
    path("<int:year>/bulk-accept/", views.bulk_accept, name="bulk_accept"),
    path("<int:year>/plans/<str:org_code>/", views.review, name="review"),
    path("<int:year>/results/", results.tracking, name="results"),
    path("<int:year>/results/bulk-accept/", results.bulk_accept,
         name="results_bulk_accept"),
    path("<int:year>/results/remind/", results.remind, name="results_remind"),
    path("<int:year>/results/<str:org_code>/", results.review, name="results_review"),
    path("<int:year>/reports/", views.reports, name="reports"),
    path("<int:year>/bulk.xlsx", views.bulk_workbook, name="bulk_workbook"),
    path("<int:year>/bulk/", views.bulk_import, name="bulk_import"),
    path("<int:year>/kit/", scanner_views.dashboard, name="kit"),
    path("<int:year>/kit/scan/", scanner_views.scan_now, name="kit_scan"),
    path("<int:year>/kit/targets/<int:pk>/", scanner_views.target_history, name="kit_target"),
    path("kit/results/<int:pk>/crop.png", scanner_views.result_crop, name="kit_crop"),
    path("campaigns/new/", setup.campaign_new, name="campaign_new"),
    path("<int:year>/setup/", setup.campaign_setup, name="campaign_setup"),
    path("<int:year>/recipients/", setup.campaign_recipients, name="campaign_recipients"),
    path("<int:year>/call/", setup.campaign_call, name="campaign_call"),
    path("<int:year>/reminders/", setup.reminders, name="reminders"),
    path("<int:year>/extensions/", setup.extensions, name="extensions"),
    path("<int:year>/round/", rounds.round_page, name="round"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/<str:fmt>/", views.report_file, name="report_file"),
    path("people/", people.people, name="people"),
    path("people/invite/", people.people_invite, name="people_invite"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/<int:pk>/two-factor/", people.person_two_factor, name="person_two_factor"),
    path("units/", people.units, name="units"),
    path("units/<str:code>/", people.unit, name="unit"),
    path("units/<str:code>/contacts/<int:pk>/", people.unit_contact, name="unit_contact"),
]
