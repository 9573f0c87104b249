"""Model fields that apply the text rules at the database boundary."""

from django.db import models

from dxday.lib.text import nfc


class NFCMixin:
    """Normalises to NFC whenever a value is cleaned or written, whatever wrote it."""

    def to_python(self, value):
        value = super().to_python(value)
        return nfc(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return nfc(value) if isinstance(value, str) else value


class NFCCharField(NFCMixin, models.CharField):
    pass


class NFCTextField(NFCMixin, models.TextField):
    pass
