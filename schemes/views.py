from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def scheme_list(request):
    return render(request, "schemes/scheme_list.html", {"schemes": []})
