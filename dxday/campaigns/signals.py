"""Events of the campaigns app, for the apps above it (the public portal renews its cache).

Sent after the change is committed, so a receiver never sees a change that was rolled back.
"""

from django.dispatch import Signal

# A campaign's public face changed: settings, recipients, documents. Sent with ``campaign``.
campaign_changed = Signal()
# In the transaction that sets a province round's deadline (opened or changed). Sent with
# ``provincial_round``; the plans app sets its communes' on time / late against it.
round_deadline_set = Signal()
