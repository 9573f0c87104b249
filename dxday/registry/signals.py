"""Events of the registry for the apps above it (the public portal's cache and search index)."""

from django.dispatch import Signal

# An organisation was edited in the admin; sent with ``organisation``.
organisation_changed = Signal()
# The reference data were loaded; sent with ``changed`` (something was created or updated).
reference_loaded = Signal()
