from django.urls import path

from dxday.results import views

app_name = "results"
urlpatterns = [
    path("<int:year>/<str:org_code>/", views.results_edit, name="results"),
    path("<int:year>/<str:org_code>/rows/<str:section>/", views.results_row, name="row"),
    path("<int:year>/<str:org_code>/submit/", views.results_submit_view, name="submit"),
    path("<int:year>/<str:org_code>/versions/<int:number>/", views.version_detail,
         name="version"),
    path("<int:year>/<str:org_code>/versions/<int:number>/document/", views.version_document,
         name="document"),
]
