"""Friendly error pages (HTML for pages, JSON for the API) and the health check."""

from django.http import JsonResponse
from django.shortcuts import render


def _respond(request, status: int, title: str, text: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=status)
    return render(
        request, "error.html", {"status": status, "title": title, "text": text}, status=status
    )


def bad_request(request, exception=None):
    return _respond(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request, exception=None):
    text = (
        str(exception)
        if exception and str(exception)
        else ("Your role in this program does not allow this.")
    )
    return _respond(request, 403, "Not allowed", text)


def page_not_found(request, exception=None):
    return _respond(
        request, 404, "Not found", "There is no such page, or it is not shared with you."
    )


def server_error(request):
    return _respond(
        request,
        500,
        "Something went wrong",
        "The error has been logged. Please try again in a moment.",
    )
