"""Events of the campaigns app, for the apps above it (the public portal renews its cache).

Sent after the change is committed, so a receiver never sees a change that was rolled back.
"""

from django.dispatch import Signal

# A campaign's public face changed: settings, recipients, documents. Sent with ``campaign``.
campaign_changed = Signal()
