"""Events of the plans app for the apps above it (the public portal's cache and search index).
Each is sent with ``plan``; no receiver decides anything about the plan."""

from django.dispatch import Signal

# In the transaction, before and after a plan's published activities and initiatives are replaced.
plan_unpublishing, plan_published = Signal(), Signal()
# After the commit: the plan was submitted (only the tracking figures moved); published or returned.
plan_submitted, plan_changed = Signal(), Signal()
