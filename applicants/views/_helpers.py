from django.contrib import messages
from django.core.paginator import Paginator

from lsp.errors import DomainError


def attempt(request, service, success_message=None, **kwargs):
    """Call ``service(**kwargs)``; on a refused action show why and return None."""
    try:
        result = service(**kwargs)
    except DomainError as error:
        messages.error(request, str(error))
        return None
    if success_message:
        messages.success(request, success_message)
    return result


def form_errors_to_messages(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def paginate(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
