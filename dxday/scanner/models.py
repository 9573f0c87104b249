"""Kit files per campaign, the URLs to check, and every check's result with its evidence."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dxday.campaigns.models import Campaign
from dxday.registry.models import Organisation


def kit_path(instance, filename):
    return f"kit/{instance.campaign.year}/{instance.variant}/{filename}"


def crop_path(instance, filename):
    return f"kit-evidence/{instance.target.campaign.year}/{filename}"


class KitFile(models.Model):
    class Variant(models.TextChoices):
        COLOUR = "colour", _("Colour logo")
        WHITE = "white", _("White logo")
        BANNER = "banner", _("Banner")
        NEGATIVE = "negative", _("Hard negative (never counts as the logo)")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kit_files",
                                 verbose_name=_("campaign"))
    variant = models.CharField(_("variant"), max_length=16, choices=Variant.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=kit_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity-kit file")
        verbose_name_plural = _("identity-kit files")
        ordering = ["campaign", "variant", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "sha256"],
                                               name="kit_file_once")]

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]

    @property
    def is_negative(self):
        return self.variant == self.Variant.NEGATIVE


class ScanTarget(models.Model):
    class Kind(models.TextChoices):
        PORTAL = "portal", _("Portal")
        E_NEWSPAPER = "e_newspaper", _("E-newspaper")
        APP = "app", _("App")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        PLAN = "plan", _("Declared in the plan")
        REGISTRY = "registry", _("Registered website")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scan_targets",
                                 verbose_name=_("campaign"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="scan_targets", verbose_name=_("organisation"))
    url = models.URLField(_("URL"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    active = models.BooleanField(_("active"), default=True)
    last_verdict = models.CharField(_("last verdict"), max_length=8, blank=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("scan target")
        verbose_name_plural = _("scan targets")
        ordering = ["organisation__name", "url"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organisation", "url"],
                                               name="scan_target_once")]

    def __str__(self):
        return self.url


class ScanResult(models.Model):
    class Verdict(models.TextChoices):
        PRESENT = "present", _("Displayed")
        ABSENT = "absent", _("Not displayed")
        ERROR = "error", _("Could not check")

    target = models.ForeignKey(ScanTarget, on_delete=models.CASCADE, related_name="results",
                               verbose_name=_("target"))
    checked_at = models.DateTimeField(_("checked at"), db_index=True)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    score = models.FloatField(_("score"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, blank=True)
    final_url = models.URLField(_("final URL"), max_length=2000, blank=True)
    image_url = models.CharField(_("matching image"), max_length=2000, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    bbox = models.JSONField(_("bounding box"), null=True, blank=True)
    crop = models.FileField(_("crop"), upload_to=crop_path, blank=True, max_length=300)
    error = models.TextField(_("error"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    scanner_version = models.CharField(_("scanner version"), max_length=40)

    class Meta:
        verbose_name = _("scan result")
        verbose_name_plural = _("scan results")
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"{self.target} {self.verdict} {self.checked_at:%Y-%m-%d %H:%M}"
