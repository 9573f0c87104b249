"""The agency's pages by role, for every app's views (objects: each app's access helpers)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def agency_required(view):
    """Reviewers and admins only: anonymous → login, anyone else → 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_agency:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def reviewer_required(view):
    """The agency and province reviewers (each view narrows a province reviewer to the
    communes of its province): anonymous → login, anyone else → 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff_reviewer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    """Agency admins only (reviewers see the agency's pages but do not set campaigns up)."""

    @agency_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_agency_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
