"""Request-scoped context: a request id that every audit event of the request carries."""

from audit.context import new_request_id, request_id_var


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_request_id()
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class LanguageMiddleware:
    """简体中文 unless the user picked another language with the switch (a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: office PCs with an
    English system browser must still show the Chinese interface.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        from django.conf import settings

        self.default = settings.LANGUAGE_CODE
        self.cookie_name = settings.LANGUAGE_COOKIE_NAME
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        from django.utils import translation

        language = request.COOKIES.get(self.cookie_name)
        if language not in self.available:
            language = self.default
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
