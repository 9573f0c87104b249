from django.urls import path

from dxday.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<int:year>/", views.campaign_detail, name="campaign"),
]
