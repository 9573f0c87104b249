"""Language selection: Vietnamese unless the visitor chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language header; a national
platform answers in Vietnamese first, and the visitor switches with the language form.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.GET.get("lang")
        if code not in self.codes:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        patch_vary_headers(response, ["Cookie"])
        translation.deactivate()
        return response
