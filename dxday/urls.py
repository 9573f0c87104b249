from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dxday.api.views import api
from dxday.ops.views import healthz

admin.site.site_header = _("dxday administration")
admin.site.site_title = "dxday"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("dxday.accounts.urls")),
    path("plans/", include("dxday.plans.urls")),
    path("results/", include("dxday.results.urls")),
    path("backoffice/", include("dxday.backoffice.urls")),
    path("", include("dxday.public.urls")),
]

handler500 = "dxday.ops.views.server_error"
