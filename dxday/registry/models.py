"""The registry: organisations (who receives a campaign), their links in time, and documents."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dxday.lib.fields import NFCCharField, NFCTextField


class OrganisationQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "OrganisationQuerySet":
        """Organisations that exist on ``day``: valid_from ≤ day ≤ valid_to, open ends allowed."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def central(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=Organisation.CENTRAL_KINDS)

    def provincial(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=Organisation.PROVINCIAL_KINDS)

    def commune_level(self) -> "OrganisationQuerySet":
        """Xã, phường and đặc khu: the units below a province since 01/07/2025."""
        return self.filter(kind__in=Organisation.COMMUNE_KINDS)


class Organisation(models.Model):
    """A body that can receive a campaign: ministry, agency, province, commune…

    ``valid_to`` is the last day the body existed (inclusive); a body that was merged, split
    or renamed ends there and points to its successor(s). A body that simply continued is one
    record with no end date and no link (see docs/decisions/0015-succession-types.md).
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        MINISTERIAL_AGENCY = "ministerial_agency", _("Ministerial-level agency")
        GOVERNMENT_AGENCY = "government_agency", _("Government agency")
        PROVINCE = "province", _("Province")
        CITY = "city", _("Centrally-run city")
        # The official division type of a commune-level unit (xã, phường, đặc khu).
        COMMUNE = "commune", _("Commune")
        WARD = "ward", _("Ward")
        SPECIAL_ZONE = "special_zone", _("Special zone")
        OTHER = "other", _("Other")

    CENTRAL_KINDS = (Kind.MINISTRY, Kind.MINISTERIAL_AGENCY, Kind.GOVERNMENT_AGENCY)
    PROVINCIAL_KINDS = (Kind.PROVINCE, Kind.CITY)
    COMMUNE_KINDS = (Kind.COMMUNE, Kind.WARD, Kind.SPECIAL_ZONE)

    code = models.CharField(
        _("code"), max_length=32, unique=True,
        help_text=_("Stable identifier: the statistics office's code for provinces and "
                    "communes, the document-symbol abbreviation for central bodies."),
    )
    official_code = models.CharField(
        _("official code"), max_length=16, blank=True,
        help_text=_("The statistics office's code, where one exists (codes are reused "
                    "across reorganisations, so it is not unique over time)."),
    )
    name = NFCCharField(_("name"), max_length=255)
    short_name = NFCCharField(_("short name"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("Last day of existence (inclusive)."))
    successors = models.ManyToManyField(
        "self", through="Succession", symmetrical=False, blank=True,
        related_name="predecessors", verbose_name=_("successors"),
    )
    note = NFCTextField(_("note"), blank=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"], name="org_kind_code")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="org_valid_from_before_valid_to",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class SuccessionQuerySet(models.QuerySet):
    def changes(self) -> "SuccessionQuerySet":
        """The links that tell a change: everything but ``continued``, which is never shown."""
        return self.exclude(type=Succession.Type.CONTINUED)


class Succession(models.Model):
    """``predecessor`` passed (wholly or in part, see ``type``) to ``successor`` on ``date``.

    merged: several bodies became one (each predecessor links to the one successor);
    split: one body passed to several, each link's ``note`` says what passed there;
    renamed: the same body under a new name or status (Thừa Thiên Huế → Thành phố Huế);
    continued: a body that did not change but had to get a new record; never shown as a change.
    """

    class Type(models.TextChoices):
        MERGED = "merged", _("merged")
        SPLIT = "split", _("split")
        RENAMED = "renamed", _("renamed")
        CONTINUED = "continued", _("continued")

    predecessor = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                    related_name="successions_out",
                                    verbose_name=_("predecessor"))
    successor = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                  related_name="successions_in", verbose_name=_("successor"))
    type = models.CharField(_("type"), max_length=16, choices=Type.choices,
                            default=Type.MERGED)
    date = models.DateField(_("date"), help_text=_("First day of the successor's role."))
    note = NFCCharField(_("note"), max_length=500, blank=True,
                        help_text=_("For a split: what passed to this successor."))

    objects = SuccessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")),
                                   name="succession_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date:%d/%m/%Y})"


class Website(models.Model):
    class Kind(models.TextChoices):
        PORTAL = "portal", _("Portal")
        E_NEWSPAPER = "e_newspaper", _("E-newspaper")
        APP = "app", _("App")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="websites", verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    url = models.URLField(_("URL"), max_length=500)
    note = NFCCharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("website")
        verbose_name_plural = _("websites")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url"], name="website_once")
        ]

    def __str__(self) -> str:
        return self.url


class Contact(models.Model):
    """A person to reach at an organisation; the focal contact is the campaign's addressee."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="contacts", verbose_name=_("organisation"))
    name = NFCCharField(_("name"), max_length=255)
    position = NFCCharField(_("position"), max_length=255, blank=True)
    unit = NFCCharField(_("unit"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_focal = models.BooleanField(_("focal contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """An administrative document: decision, dispatch, plan, report…"""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution (Nghị quyết)")
        DECREE = "decree", _("Decree (Nghị định)")
        DECISION = "decision", _("Decision (Quyết định)")
        DISPATCH = "dispatch", _("Official dispatch (Công văn)")
        PLAN = "plan", _("Plan (Kế hoạch)")
        REPORT = "report", _("Report (Báo cáo)")
        CIRCULAR = "circular", _("Circular (Thông tư)")
        OTHER = "other", _("Other")

    number = NFCCharField(_("number and symbol"), max_length=64,
                          help_text=_('For example "4644/BTTTT-CĐSQG".'))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    issuer = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="documents", verbose_name=_("issuing body"))
    issuer_text = NFCCharField(_("issuer"), max_length=255, blank=True,
                               help_text=_("As written on the document."))
    signer = NFCCharField(_("signer"), max_length=255, blank=True)
    title = NFCTextField(_("summary (trích yếu)"))
    recipients_text = NFCTextField(_("recipients"), blank=True)
    body = NFCTextField(_("full text"), blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "date"], name="document_number_date")
        ]

    def __str__(self) -> str:
        return self.number
