from django.urls import path

from dxday.results import views

app_name = "results"
urlpatterns = [
    path("<int:year>/<str:org_code>/", views.results_edit, name="results"),
]
