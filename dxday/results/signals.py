"""Events of the results app for the apps above it (the public portal's cache and search
index). Each is sent with ``result``; no receiver decides anything about the results."""

from django.dispatch import Signal

# In the transaction, after accepted results were copied to the published tables.
results_published = Signal()
# After the commit: submitted (only the tracking figures moved); published or returned.
results_submitted, results_changed = Signal(), Signal()
