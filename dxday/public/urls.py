from django.urls import path

from dxday.public import datasets, results, views
from dxday.public.feeds import PublishedPlansFeed
from dxday.scanner import views as scanner_views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    # The open-data pages, each at a Vietnamese and an English address (datasets.PAGES).
    path("du-lieu-mo/", datasets.open_data, {"language": "vi"}, name="open_data"),
    path("du-lieu-mo/api/", datasets.api_docs, {"language": "vi"}, name="api_docs"),
    path("en/open-data/", datasets.open_data, {"language": "en"}, name="open_data_en"),
    path("en/open-data/api/", datasets.api_docs, {"language": "en"}, name="api_docs_en"),
    path("feeds/plans.atom", PublishedPlansFeed(), name="feed"),
    path("organisations/<str:code>/", views.organisation_detail, name="organisation"),
    # A unit's plans year by year, at an address per language (views.YEARS_PAGES).
    path("don-vi/<str:code>/qua-cac-nam/", views.organisation_years, {"language": "vi"},
         name="organisation_years"),
    path("en/units/<str:code>/years/", views.organisation_years, {"language": "en"},
         name="organisation_years_en"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("campaigns/<int:year>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:year>/calendar/", views.calendar, name="calendar"),
    path("campaigns/<int:year>/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("campaigns/<int:year>/initiatives/", views.catalogue, name="catalogue"),
    path("campaigns/<int:year>/initiatives/<int:pk>/", views.initiative_detail,
         name="initiative"),
    path("campaigns/<int:year>/map/", views.map_view, name="map"),
    # Results (issue 18), each page at a Vietnamese and an English address (results.py).
    path("campaigns/<int:year>/results/", results.campaign_results, {"language": "vi"},
         name="results"),
    path("en/campaigns/<int:year>/results/", results.campaign_results, {"language": "en"},
         name="results_en"),
    path("campaigns/<int:year>/results/<str:code>/", results.unit_results, {"language": "vi"},
         name="unit_results"),
    path("en/campaigns/<int:year>/results/<str:code>/", results.unit_results,
         {"language": "en"}, name="unit_results_en"),
    path("campaigns/<int:year>/kit/", scanner_views.kit_page, name="kit"),
    path("campaigns/<int:year>/kit/files/<int:pk>/", scanner_views.kit_file, name="kit_file"),
]
