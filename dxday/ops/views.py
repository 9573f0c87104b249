"""GET /healthz: for load balancers and monitoring."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dxday.ops.services import health


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers and a worker beat within WORKER_STALE_SECONDS, else 503
    with what is down."""
    ok, details = health()
    details["status"] = "ok" if ok else "unavailable"
    return JsonResponse(details, status=200 if ok else 503)


def server_error(request):
    """handler500. When the database is unreachable (restarting, failing over) the visitor gets
    a 503 page saying so, with Retry-After, instead of a bare error; nothing here touches the
    database, so the page itself cannot fail the same way. The web processes need no restart:
    Django opens a new connection on the next request (conn_health_checks)."""
    import sys

    from django.db import DatabaseError, InterfaceError, OperationalError
    from django.http import HttpResponse, HttpResponseServerError
    from django.template import loader

    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)) or (
            isinstance(error, DatabaseError) and "connection" in str(error).lower()):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
