"""Accounts: adduser, invitations, tokens, lockout, password reset."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from dxday.accounts.models import ApiToken, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_adduser_reads_the_password_from_a_pipe(monkeypatch, client):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    out = io.StringIO()
    call_command("adduser", "Editor@DaNang.example.vn", role="editor", org="48", stdout=out)
    user = User.objects.get(email="editor@danang.example.vn")
    assert (user.role, user.organisation.code) == ("editor", "48")
    assert user.check_password(PASSWORD)
    assert client.post("/accounts/login/", {"username": "editor@danang.example.vn",
                                            "password": PASSWORD}).status_code == 302


def test_adduser_on_a_terminal_sends_a_one_time_invitation(monkeypatch, smtp, client):
    monkeypatch.setattr("sys.stdin", Terminal())
    call_command("adduser", "reviewer@cdsqg.example.vn", role="reviewer", stdout=io.StringIO())
    user = User.objects.get(email="reviewer@cdsqg.example.vn")
    assert not user.has_usable_password()
    [message] = smtp.messages
    assert message["to"] == ["reviewer@cdsqg.example.vn"]
    link = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message["body"])[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    target = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(target, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # One time only.
    again = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in again


@pytest.mark.parametrize(("args", "message"), [
    (["x@example.vn", "--role", "editor"], "organisation"),
    (["x@example.vn", "--role", "editor", "--org", "NOPE"], "NOPE"),
    (["not-an-email", "--role", "reviewer"], "email"),
])
def test_adduser_refuses_bad_input(monkeypatch, args, message):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(CommandError, match=message):
        call_command("adduser", *args, stdout=io.StringIO())
    assert not User.objects.exists()


def test_adduser_refuses_a_weak_password_and_a_duplicate(monkeypatch, editor_a):
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="password"):
        call_command("adduser", "weak@example.vn", role="reviewer", stdout=io.StringIO())
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(CommandError, match="email"):
        call_command("adduser", editor_a.email, role="reviewer", stdout=io.StringIO())


def test_token_command_prints_a_working_token_last(editor_a, campaign, bearer):
    out = io.StringIO()
    call_command("token", editor_a.email, stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("dxd_")
    assert bearer(key).get("campaigns/2026/plans/48")[0] == 200
    token = ApiToken.objects.get(user=editor_a)
    assert token.key_hash != key and key not in token.hint
    with pytest.raises(CommandError):
        call_command("token", "nobody@example.vn", stdout=io.StringIO())


def test_tokens_on_the_profile_page(client, editor_a, campaign, bearer):
    client.force_login(editor_a)
    html = client.post("/accounts/profile/", {"name": "máy chủ tỉnh"}).content.decode()
    key = re.search(r'value="(dxd_[^"]+)"', html)[1]
    assert bearer(key).get("campaigns/2026/plans/48")[0] == 200
    token = ApiToken.objects.get(user=editor_a)
    assert "máy chủ tỉnh" in client.get("/accounts/profile/").content.decode()
    assert key not in client.get("/accounts/profile/").content.decode()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert bearer(key).get("campaigns/2026/plans/48")[0] == 401


def test_someone_elses_token_cannot_be_revoked(client, editor_a, editor_b):
    from dxday.accounts.services import token_create

    token, _key = token_create(user=editor_a)
    client.force_login(editor_b)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_lockout_after_repeated_failures(client, editor_a, editor_b, settings):
    statuses = [client.post("/accounts/login/", {"username": editor_a.email,
                                                 "password": "wrong"}).status_code
                for _ in range(settings.AXES_FAILURE_LIMIT)]
    # Four failures answer with the form again; the fifth locks the account out.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post("/accounts/login/", {"username": editor_a.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Only that account is locked from that address: a colleague still logs in.
    other = client.post("/accounts/login/", {"username": editor_b.email, "password": PASSWORD})
    assert other.status_code == 302


def test_password_reset_by_email(client, editor_a, smtp):
    client.post("/accounts/password-reset/", {"email": editor_a.email})
    [message] = smtp.messages
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message["body"])[1]
    form = client.get(link, follow=True)
    target = form.redirect_chain[-1][0]
    client.post(target, {"new_password1": "Mot-mat-khau-moi-2026",
                         "new_password2": "Mot-mat-khau-moi-2026"})
    editor_a.refresh_from_db()
    assert editor_a.check_password("Mot-mat-khau-moi-2026")


def test_editor_must_have_an_organisation_in_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="x@example.vn", role="editor")
