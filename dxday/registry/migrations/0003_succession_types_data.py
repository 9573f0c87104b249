"""Existing registries get what the reference data now say (decision 0015):

1. bodies that simply continued through 2025 and had two records ("BNG-2022" ending 28/02/2025,
   "BNG" from 01/03/2025, linked to each other) become one record: everything that pointed at
   the old record (plans, campaign recipients, users, documents…) is repointed to the surviving
   one, found by walking the models of every app; where that would break a uniqueness (a
   campaign with a plan from both records), the two records are kept and their link becomes
   ``continued``, never shown as a change;
2. every link gets its type (merged, split, renamed) and the splits get their missing parts,
   each saying what passed;
3. commune-level units get their kind from their official name: xã, phường, đặc khu.

Written against the historical models only (the reference data may change later); the same
steps run on SQLite and PostgreSQL.
"""

import datetime

from django.db import migrations
from django.db.models import Q

OLD = "-2022"
CONTINUED = ("BQP", "BCA", "BNG", "BTP", "BCT", "BVHTTDL", "BGDDT", "BYT", "NHNN", "TTCP",
             "VPCP", "DTNVN", "DTHVN", "TTXVN", "VHLKHCNVN", "VHLKHXHVN",
             "01", "04", "11", "12", "14", "20", "22", "38", "40", "42")
CENTRAL_START = datetime.date(2025, 3, 1)

# (predecessor, successor) → (type, note); a link missing here stays "merged" (the default).
LINKS = {
    ("BTTTT-2022", "BKHCN"): ("split", "bưu chính, viễn thông, công nghệ thông tin, chuyển đổi "
                                       "số (gồm Cục Chuyển đổi số quốc gia) và các lĩnh vực "
                                       "còn lại"),
    ("BTTTT-2022", "BVHTTDL"): ("split", "báo chí, phát thanh, truyền hình, thông tin điện tử, "
                                         "xuất bản, in, phát hành"),
    ("BLDTBXH-2022", "BNV"): ("split", "lao động, việc làm, tiền lương, bảo hiểm xã hội, an "
                                       "toàn lao động, người có công"),
    ("BLDTBXH-2022", "BGDDT"): ("split", "giáo dục nghề nghiệp"),
    ("BLDTBXH-2022", "BYT"): ("split", "bảo trợ xã hội, trẻ em, phòng, chống tệ nạn xã hội"),
    ("UBDT-2022", "BDTTG"): ("renamed", "Thành lập trên cơ sở Ủy ban Dân tộc, tiếp nhận thêm "
                                        "quản lý nhà nước về tín ngưỡng, tôn giáo từ Bộ Nội vụ"),
    ("46-2022", "46"): ("renamed", "Trở thành thành phố trực thuộc trung ương"),
    ("BKHDT-2022", "BTC"): ("merged", ""),
    ("BNNPTNT-2022", "BNNMT"): ("merged", ""),
    ("BTNMT-2022", "BNNMT"): ("merged", ""),
    ("BGTVT-2022", "BXD"): ("merged", ""),
    ("BQLLCTHCM-2022", "BQP"): ("merged", "Trở thành cơ quan thuộc Bộ Quốc phòng"),
    ("BHXH-2022", "BTC"): ("merged", "Trở thành cơ quan thuộc Bộ Tài chính"),
    ("UBQLVNN-2022", "BTC"): ("merged", "Quyền đại diện chủ sở hữu vốn nhà nước tại các tập "
                                        "đoàn, tổng công ty chuyển về Bộ Tài chính"),
}
COMMUNE_PREFIXES = (("Phường ", "ward"), ("Đặc khu ", "special_zone"))


def _references(apps):
    """Every (model, field name) holding a foreign key to an organisation, in every app."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if ((field.many_to_one or field.one_to_one) and field.concrete
                    and field.related_model is not None
                    and field.related_model._meta.label_lower == "registry.organisation"):
                yield model, field


def _unique_sets(model, field):
    """The field sets, containing ``field``, that must stay unique in ``model``."""
    sets = [set(u) for u in model._meta.unique_together]
    sets += [set(c.fields) for c in model._meta.constraints
             if getattr(c, "fields", None) and getattr(c, "condition", None) is None]
    if field.unique:
        sets.append({field.name})
    names = {field.name, field.attname}
    return [s for s in sets if s & names]


def _collisions(model, field, old_pk, new_pk):
    """Rows of ``old_pk`` whose repointing to ``new_pk`` would break a uniqueness."""
    clashing = []
    for fields in _unique_sets(model, field):
        others = [f for f in fields if f not in (field.name, field.attname)]
        if not others:
            if model._default_manager.filter(**{field.attname: new_pk}).exists():
                clashing += list(model._default_manager.filter(**{field.attname: old_pk}))
            continue
        taken = set(model._default_manager.filter(**{field.attname: new_pk})
                    .values_list(*others))
        for row in model._default_manager.filter(**{field.attname: old_pk}):
            if tuple(getattr(row, model._meta.get_field(f).attname) for f in others) in taken:
                clashing.append(row)
    return clashing


def merge_continued(apps, schema_editor=None):
    """Steps 1–3 above; callable from a test with the current apps."""
    Organisation = apps.get_model("registry", "Organisation")
    Succession = apps.get_model("registry", "Succession")
    references = list(_references(apps))

    for code in CONTINUED:
        old = Organisation.objects.filter(code=code + OLD).first()
        new = Organisation.objects.filter(code=code).first()
        if old is None or new is None:
            continue
        # Links between the two records are what the merge removes.
        Succession.objects.filter(Q(predecessor=old, successor=new)
                                  | Q(predecessor=new, successor=old)).delete()
        blocked = False
        for model, field in references:
            if model._meta.label_lower == "registry.succession":
                continue  # links are repointed below, dropping duplicates
            for row in _collisions(model, field, old.pk, new.pk):
                if model._meta.auto_created:
                    row.delete()  # the same membership twice (campaign recipients): keep one
                else:
                    blocked = True
        if blocked:
            # The old record is still needed on its own (for example a campaign with a plan of
            # each): keep both, say they are one body continuing.
            Succession.objects.update_or_create(
                predecessor=old, successor=new,
                defaults={"type": "continued", "date": new.valid_from or CENTRAL_START,
                          "note": ""})
            continue
        for model, field in references:
            if model._meta.label_lower == "registry.succession":
                continue
            model._default_manager.filter(**{field.attname: old.pk}).update(
                **{field.attname: new.pk})
        for link in Succession.objects.filter(Q(predecessor=old) | Q(successor=old)):
            pred = new.pk if link.predecessor_id == old.pk else link.predecessor_id
            succ = new.pk if link.successor_id == old.pk else link.successor_id
            if pred == succ or Succession.objects.filter(predecessor_id=pred,
                                                         successor_id=succ).exists():
                link.delete()
            else:
                Succession.objects.filter(pk=link.pk).update(predecessor_id=pred,
                                                             successor_id=succ)
        new.valid_from = old.valid_from  # one body, from its beginning
        new.save(update_fields=["valid_from"])
        old.delete()

    codes = {c for pair in LINKS for c in pair}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    for (pred, succ), (link_type, note) in LINKS.items():
        if pred not in orgs or succ not in orgs:
            continue
        link = Succession.objects.filter(predecessor=orgs[pred], successor=orgs[succ]).first()
        if link is None:
            sibling = Succession.objects.filter(predecessor=orgs[pred]).first()
            if sibling is None:
                continue
            link = Succession(predecessor=orgs[pred], successor=orgs[succ], date=sibling.date)
        link.type, link.note = link_type, note
        link.save()

    for prefix, kind in COMMUNE_PREFIXES:
        Organisation.objects.filter(kind="commune", name__startswith=prefix).update(kind=kind)


def backwards(apps, schema_editor):
    """Merged records are not split again; the commune kinds go back to one kind."""
    Organisation = apps.get_model("registry", "Organisation")
    Organisation.objects.filter(kind__in=["ward", "special_zone"]).update(kind="commune")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_succession_type_and_commune_kinds"),
    ]

    operations = [
        migrations.RunPython(merge_continued, backwards),
    ]
