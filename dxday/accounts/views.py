"""Log in by email, invitations and password reset (Django's views), the profile with tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dxday.accounts.models import ApiToken
from dxday.accounts.services import token_create, token_revoke


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(label=gettext_lazy("Email"),
                                widget=forms.EmailInput(attrs={"autofocus": True,
                                                               "autocomplete": "email"}))


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
