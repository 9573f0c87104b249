from django.urls import path

from dxday.plans import extension_views, views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/<str:org_code>/", views.plan_edit, name="plan"),
    path("<int:year>/<str:org_code>/rows/<str:section>/", views.plan_row, name="row"),
    path("<int:year>/<str:org_code>/submit/", views.plan_submit_view, name="submit"),
    path("<int:year>/<str:org_code>/carry-over/", views.plan_carry_over, name="carry_over"),
    path("<int:year>/<str:org_code>/workbook.xlsx", views.workbook_download, name="workbook"),
    path("<int:year>/<str:org_code>/workbook/", views.workbook_upload, name="workbook_upload"),
    path("<int:year>/<str:org_code>/versions/<int:number>/", views.version_detail,
         name="version"),
    path("<int:year>/<str:org_code>/versions/<int:number>/document/", views.version_document,
         name="document"),
    path("<int:year>/<str:org_code>/extension/", extension_views.extension_ask,
         name="extension"),
    path("<int:year>/<str:org_code>/diff/<int:old>/<int:new>/", views.version_diff,
         name="diff"),
]
