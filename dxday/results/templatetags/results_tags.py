"""Template helpers of results for pages of other apps (the unit's home lists its plans and,
once a plan is accepted, its results)."""

from django import template

from dxday.results.models import Result

register = template.Library()


@register.simple_tag
def results_of(campaign, organisation):
    """The unit's results for the campaign, or None when not started."""
    return (Result.objects.filter(campaign=campaign, organisation=organisation)
            .only("pk", "status", "on_time").first())
