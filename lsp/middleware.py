from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivatePageCacheMiddleware:
    """Pages seen by a logged-in user hold personal data: never store them in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the visitor chose English with the language switch.

    The browser's Accept-Language is deliberately ignored: the portal speaks Indonesian
    first, whatever language the computer at a test site happens to be set to.
    """

    def process_request(self, request):
        request._language_before = translation.get_language()
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # Put back the thread's language: a request must not change what code running
        # after it in the same thread (a task, a test) speaks.
        before = getattr(request, "_language_before", None)
        if before:
            translation.activate(before)
        else:
            translation.deactivate()
        return response
