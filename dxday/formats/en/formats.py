"""The English interface reads typed dates as the Vietnamese one does (house rule 15:
dd/mm/yyyy), so a date never changes meaning with the language switch; Django's English
display formats are kept."""

from django.conf.locale.en.formats import *  # noqa: F403 - Django's display formats kept

from dxday.formats.vi.formats import (  # noqa: F401 - Django reads these names
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    TIME_INPUT_FORMATS,
)
