"""Log in by email, invitations and password reset (Django's views), the profile with tokens,
two-factor set-up and codes for agency staff."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from dxday.accounts.models import ApiToken
from dxday.accounts.services import token_create, token_revoke
from dxday.lib.urls import site_url


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(label=gettext_lazy("Email"),
                                widget=forms.EmailInput(attrs={"autofocus": True,
                                                               "autocomplete": "email"}))


def _login_rate(group, request) -> str:
    return settings.RATELIMIT_LOGIN


@method_decorator(ratelimit(key="ip", rate=_login_rate, method="POST", block=True),
                  name="post")
class LoginView(auth_views.LoginView):
    """Email and password; at most RATELIMIT_LOGIN attempts a minute from one address (on top
    of django-axes' lockout of an account after repeated failures)."""

    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """The reset mail's link is built from SITE_URL, never from the request's Host header (a
    forged Host would otherwise send the account's token to another site)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"site_url": site_url("")}
        return super().form_valid(form)


class InvitationView(auth_views.PasswordResetConfirmView):
    """Accepting an invitation is choosing a first password with a one-time link."""

    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The user's account and API tokens: create one (shown once) or revoke one."""
    new_key = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:100]
        _token, new_key = token_create(user=request.user, name=name or _("web"))
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/profile.html", {"tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


# --- two-factor authentication ---------------------------------------------------------------


class OTPTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Six-digit code"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


def _next_url(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("backoffice:home" if request.user.is_staff_reviewer else "plans:home")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Pair an authenticator app: scan the QR code (or type the key), then give one code."""
    import base64

    import segno
    from django_otp import login as otp_login

    from dxday.accounts.services import otp_device_confirm, otp_device_start, otp_has_device

    if otp_has_device(user=request.user):
        return redirect(_with_next("accounts:otp_verify", request))
    device = otp_device_start(user=request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp_device_confirm(user=request.user, device=device,
                              token=form.cleaned_data["otp_token"]):
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect(_next_url(request))
        form.add_error("otp_token", _("This code is not right. Check the time on your phone "
                                      "and enter the code now shown."))
    secret = base64.b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000",
                                                                 light="#fff")
    return render(request, "accounts/otp_setup.html", {
        "form": form, "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": qr_svg, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify_view(request):
    """The second step of logging in for agency staff: a code from the authenticator app."""
    from django_otp import login as otp_login

    from dxday.accounts.services import otp_has_device, otp_verify

    if not otp_has_device(user=request.user):
        return redirect(_with_next("accounts:otp_setup", request))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp_verify(user=request.user, token=form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("otp_token", _("This code is not right or has already been used; "
                                      "after several wrong codes, wait a little."))
    return render(request, "accounts/otp_verify.html", {"form": form,
                                                         "next": _next_url(request)})
