"""Date input formats of the Vietnamese interface. Django's own vi locale defines none, so its
default, which tries %m/%d/%Y, read "01/10/2027" as 10 January and refused "15/09/2027".
Dates are typed dd/mm/yyyy (ISO also accepted); month-first never. The display formats stay
Django's vi ones, merged with these."""

from django.conf.locale.vi.formats import *  # noqa: F403 - Django's display formats kept

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
FIRST_DAY_OF_WEEK = 1  # Monday
