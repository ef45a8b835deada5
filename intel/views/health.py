"""Probes for load balancers and orchestrators, and the page a request gets when the database is away.

``/healthz`` says the process answers (restart it if not); ``/readyz`` says it can reach
the database (send it traffic if so). Neither needs a login, a session or a transaction:
they must answer while the database is down, and cost nothing when it is up.
"""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache

from intel.api.errors import RETRY_AFTER_SECONDS, ServiceUnavailable

# What a database that cannot be reached (stopped, restarting, refusing connections, a connection
# cut in the middle of a request) raises through Django.
DATABASE_AWAY = (OperationalError, InterfaceError)


@login_not_required
@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """The process is up; says nothing about the database."""
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
@never_cache
@transaction.non_atomic_requests
def readyz(request):
    """The database answers a query: 200, else 503 saying so."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse(
            "database unreachable\n",
            content_type="text/plain",
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """Django's 500 handler: a database that cannot be reached is answered 503, which says to come back.

    The request's transaction was rolled back whole, so nothing it meant to save was half
    saved; the answer says so. Neither answer touches the database (no session, no user),
    and an API URL gets the API's JSON error body instead of a page.
    """
    away = isinstance(sys.exc_info()[1], DATABASE_AWAY)
    status = 503 if away else 500
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if away else {}
    if request.path.startswith("/api/"):
        if away:
            body = {"detail": ServiceUnavailable.default_detail, "code": ServiceUnavailable.default_code}
        else:
            body = {"detail": "A server error occurred. It was logged.", "code": "error"}
        return JsonResponse(body, status=status, headers=headers)
    template = loader.get_template("503.html" if away else "500.html")
    return HttpResponse(template.render(), status=status, headers=headers)
