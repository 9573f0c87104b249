"""Language selection, and the page for requests refused by a rate limit.

Language: Vietnamese unless the visitor chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language header; a national
platform answers in Vietnamese first, and the visitor switches with the language form.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.GET.get("lang")
        code = chosen if chosen in self.codes else request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME)
        if code not in self.codes:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if chosen in self.codes and chosen != request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            # The header's language links (?lang=en) work without a form, so pages stay
            # cacheable; the choice is remembered like Django's set_language does.
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, max_age=365 * 86400,
                                samesite="Lax")
        response.headers.setdefault("Content-Language", code)
        patch_vary_headers(response, ["Cookie"])
        translation.deactivate()
        return response


def ratelimited(request, exception):
    """RATELIMIT_VIEW: 429 with a message in the visitor's language."""
    from django.http import HttpResponse
    from django.utils.translation import gettext as _

    response = HttpResponse(_("Too many attempts from your address. Wait a minute and try "
                              "again."), status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "60"
    return response


class RejectNulMiddleware:
    """A NUL character in the path, a query parameter or a posted form field is refused with
    400 before any view sees it: no database stores it (PostgreSQL refuses it outright) and no
    person types it. The API's refusal is JSON, like its other errors."""

    MESSAGE = ("Yêu cầu chứa ký tự không hợp lệ (NUL) ở “%(field)s” nên bị từ chối; "
               "không có gì thay đổi.\n"
               "The request contains an invalid character (NUL) in “%(field)s” and was "
               "refused; nothing changed.\n")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = None
        if "\x00" in request.path:
            field = "(URL)"
        else:
            # A query string (filters, search boxes, page numbers) and a posted form alike.
            sources = [request.GET]
            if request.method == "POST" and request.content_type in (
                    "application/x-www-form-urlencoded", "multipart/form-data"):
                sources.append(request.POST)
            for source in sources:
                for key, values in source.lists():
                    if "\x00" in key or any("\x00" in v for v in values):
                        field = key.replace("\x00", "") or "(?)"
                        break
                if field:
                    break
        if field is not None:
            message = self.MESSAGE % {"field": field[:100]}
            if request.path.startswith("/api/"):  # the API answers in JSON, as it always does
                return JsonResponse({"detail": message.strip()}, status=400,
                                    json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
