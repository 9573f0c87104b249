"""The results form: HTML field names ⇄ the results document, with the plan form's helpers
(dxday.plans.forms) given the results schema's sections.

Each row that answers the accepted plan carries its number there in a hidden ``planned``
field; a row added with "Add an activity that was not planned" has none. The one validator
(dxday.results.validation) then judges the document.
"""

from django.utils.translation import gettext_lazy as _

from dxday.plans.forms import blank_row, document_from_post, field_errors, problem_label
from dxday.plans.forms import problem_links as plan_problem_links
from dxday.results.schema import SECTIONS

SECTION_NAMES = tuple(s.name for s in SECTIONS)
# The sections whose rows answer rows of the accepted plan.
ANSWERING = ("activities", "initiatives")
DOCUMENT = _("Signed results document")
WHOLE = _("The results as a whole")
ADD_LABELS = {
    "activities": _("Add an activity that was not planned"),
    "initiatives": _("Add an initiative that was not planned"),
    "communications": _("Add a communication action"),
    "display_urls": _("Add a display address"),
}

__all__ = ["ADD_LABELS", "ANSWERING", "SECTION_NAMES", "blank_result_row", "field_errors",
           "problem_links", "result_problem_label", "results_from_post"]


def blank_result_row(section: str) -> dict:
    return blank_row(section, sections=SECTIONS)


def results_from_post(post) -> dict:
    """The results document (values still as typed) from a submitted form."""
    return document_from_post(post, sections=SECTIONS)


def result_problem_label(path: str) -> str:
    return problem_label(path, sections=SECTIONS, document=str(DOCUMENT), whole=str(WHOLE))


def problem_links(problems, *, editable: bool = True) -> list[dict]:
    """Problems as the results page's error summary lists them."""
    return plan_problem_links(problems, editable=editable, sections=SECTIONS,
                              document=str(DOCUMENT), whole=str(WHOLE))
