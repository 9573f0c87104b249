"""Human labels of the plan document's codes and fields (translatable)."""

from django.utils.translation import gettext_lazy as _

CHOICE_LABELS = {
    "category": {
        "conference": _("Conference, seminar"), "exhibition": _("Exhibition"),
        "communication": _("Communication campaign"), "launch": _("Launch of a service"),
        "digital_skills": _("Digital skills training"),
        "digital_consumption": _("Digital consumption, e-commerce"),
        "emulation": _("Emulation movement"), "other": _("Other"),
    },
    "format": {"in_person": _("In person"), "online": _("Online"), "hybrid": _("Hybrid")},
    "beneficiaries": {"citizens": _("Citizens"), "businesses": _("Businesses"),
                      "officials": _("Officials")},
    "channel": {"press": _("Press"), "tv": _("Television"), "radio": _("Radio"),
                "social": _("Social networks"), "sms": _("SMS"), "billboard": _("Billboard"),
                "other": _("Other")},
    "kind": {"portal": _("Portal"), "e_newspaper": _("E-newspaper"), "app": _("App"),
             "other": _("Other")},
}

FIELD_LABELS = {
    "summary": _("Summary"), "contact": _("Contact"), "name": _("Name"),
    "position": _("Position"), "phone": _("Phone"), "email": _("Email"),
    "activities": _("Activities"), "initiatives": _("Digital initiatives"),
    "communications": _("Communication actions"),
    "display_urls": _("Where the identity kit is displayed"),
    "title": _("Title"), "category": _("Category"), "start": _("Start"), "end": _("End"),
    "location": _("Location"), "province": _("Province"), "format": _("Format"),
    "audience": _("Audience"), "description": _("Description"), "url": _("Link (URL)"),
    "beneficiaries": _("Beneficiaries"), "sector": _("Sector"),
    "launch_date": _("Launch date"), "channel": _("Channel"), "date": _("Date"),
    "kind": _("Kind"),
}

SECTION_ROW_LABELS = {
    "activities": _("Activity"), "initiatives": _("Initiative"),
    "communications": _("Communication action"), "display_urls": _("Display address"),
}


def choice_label(field: str, value: str) -> str:
    return str(CHOICE_LABELS.get(field, {}).get(value, value))
