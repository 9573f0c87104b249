"""The DCAT-AP 3 catalogue: the served JSON-LD read as RDF (rdflib, context inline: no network)
and validated by pyshacl against the shapes in shapes/dcat-ap-3.ttl; the shapes are shown to
bite; every figure is compared with the database's rows."""

import copy
import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

from dxday.campaigns.models import Campaign
from dxday.plans.models import Activity, Plan

pytestmark = [pytest.mark.django_db,
              # rdflib's own JSON-LD parser, not this code
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]
SHAPES = Path(__file__).parent / "shapes" / "dcat-ap-3.ttl"
# Plain namespaces: rdflib's closed ones warn when pytest looks at the module's names.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
# IRIs of the vocabularies the catalogue refers to; every other IRI is the site's own.
VOCABULARIES = (EU, IANA, "http://purl.org/adms/", "mailto:", "http://www.w3.org/",
                "http://xmlns.com/foaf/", "http://purl.org/dc/terms/", "http://data.europa.eu/r5r/")
OTHER_SITE = "https://dxday.example.gov.vn"


def served(client) -> dict:
    response = client.get("/api/v1/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def as_graph(body: dict) -> Graph:
    assert isinstance(body["@context"], dict)  # inline: parsing fetches nothing
    return Graph().parse(data=json.dumps(body), format="json-ld")


def shacl(body: dict) -> tuple[bool, str]:
    conforms, _, text = validate(as_graph(body), shacl_graph=Graph().parse(SHAPES),
                                 inference="none", allow_warnings=False)
    return conforms, text


def published_campaigns() -> list[Campaign]:
    """Campaigns with an accepted plan, past any embargo, computed from the plans."""
    now = timezone.now()
    years = set(Plan.objects.filter(status=Plan.Status.ACCEPTED)
                .values_list("campaign__year", flat=True))
    return [c for c in Campaign.objects.filter(year__in=years).order_by("-year")
            if c.publish_from is None or c.publish_from <= now]


def the(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_the_served_catalogue_conforms_to_dcat_ap_3(client, published):
    conforms, text = shacl(served(client))
    assert conforms, text


def test_datasets_and_figures_come_from_the_published_plans(client, published):
    graph = as_graph(served(client))
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    campaigns = published_campaigns()
    datasets = list(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == len(campaigns) == 2
    ids = {str(the(graph, d, DCTERMS.identifier)): d for d in datasets}
    assert set(ids) == {f"dxday-{c.year}" for c in campaigns}
    local = timezone.get_default_timezone()
    for c in campaigns:
        dataset = ids[f"dxday-{c.year}"]
        times = list(Plan.objects.filter(campaign=c, status=Plan.Status.ACCEPTED)
                     .values_list("reviewed_at", flat=True))
        issued, modified = the(graph, dataset, DCTERMS.issued), the(graph, dataset,
                                                                    DCTERMS.modified)
        assert issued.datatype == XSD.date and modified.datatype == XSD.dateTime
        assert issued.toPython() == min(times).astimezone(local).date()
        assert modified.toPython() == max(times).replace(microsecond=0)
        period = the(graph, dataset, DCTERMS.temporal)
        assert the(graph, period, DCAT.startDate) == Literal(c.window_start, datatype=XSD.date)
        assert the(graph, period, DCAT.endDate) == Literal(c.window_end, datatype=XSD.date)
        titles = {t.language: str(t) for t in graph.objects(dataset, DCTERMS.title)}
        assert titles["vi"] == c.title and str(c.year) in titles["en"]
        assert the(graph, dataset, DCTERMS.language) == URIRef(f"{EU}language/VIE")
        assert the(graph, dataset, DCTERMS.spatial) == URIRef(f"{EU}country/VNM")
        assert URIRef(f"{EU}data-theme/GOVE") in set(graph.objects(dataset, DCAT.theme))
        publisher = the(graph, dataset, DCTERMS.publisher)
        assert str(the(graph, publisher, FOAF.name)) == c.organiser.name
        # Every distribution: its file answers, in the media type it declares.
        distributions = list(graph.objects(dataset, DCAT.distribution))
        files = [(table, fmt) for table in ("activities", "initiatives", "activity_results",
                                            "initiative_results")
                 for fmt in ("", ".csv", ".xlsx")] + [("activities", ".ics")]
        assert len(distributions) == len(files)
        for distribution in distributions:
            url = str(the(graph, distribution, DCAT.accessURL))
            media = str(the(graph, distribution, DCAT.mediaType)).removeprefix(IANA)
            assert str(the(graph, distribution, DCTERMS.format)).startswith(f"{EU}file-type/")
            assert the(graph, distribution, DCTERMS.license) == URIRef(
                f"{EU}licence/CC_BY_4_0")
            response = client.get(url.removeprefix(settings.SITE_URL.rstrip("/")))
            assert response.status_code == 200, url
            assert response["Content-Type"].split(";")[0] == media, url
        served_files = {str(the(graph, d, DCAT.accessURL)).rsplit("/", 1)[1]
                        for d in distributions}
        assert served_files == {f"{table}{fmt}" for table, fmt in files}
    # The catalogue's dates span its datasets'.
    accepted = Plan.objects.filter(status=Plan.Status.ACCEPTED,
                                   campaign__in=campaigns).values_list("reviewed_at", flat=True)
    assert the(graph, catalogue, DCTERMS.modified).toPython() == max(accepted).replace(
        microsecond=0)
    assert the(graph, catalogue, DCTERMS.issued).toPython() == min(accepted).astimezone(
        local).date()
    languages = set(graph.objects(catalogue, DCTERMS.language))
    assert languages == {URIRef(f"{EU}language/VIE"), URIRef(f"{EU}language/ENG")}
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {v.language for v in graph.objects(catalogue, predicate)} == {"vi", "en"}


def test_a_campaign_without_published_plans_has_no_dataset(client, published):
    Plan.objects.filter(campaign__year=2022).update(status=Plan.Status.RETURNED)
    body = served(client)
    assert [d["dct:identifier"] for d in body["dcat:dataset"]] == ["dxday-2026"]
    published.publish_from = timezone.now() + datetime.timedelta(days=1)
    published.save()
    from dxday.public.cache import publication_changed

    publication_changed()
    assert served(client)["dcat:dataset"] == []


def test_the_contact_point(client, published, settings):
    graph = as_graph(served(client))
    by_year = {str(the(graph, d, DCTERMS.identifier)): d
               for d in graph.subjects(RDF.type, DCAT.Dataset)}
    old = Campaign.objects.get(year=2022)
    contact = the(graph, by_year["dxday-2022"], DCAT.contactPoint)
    assert the(graph, contact, VCARD.hasEmail) == URIRef(f"mailto:{old.contact_email}")
    assert str(the(graph, contact, VCARD.fn)) == old.contact_unit
    settings.OPEN_DATA_CONTACT_EMAIL = "dulieumo@dxday.example.gov.vn"
    from dxday.public.cache import publication_changed

    publication_changed()
    graph = as_graph(served(client))
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        contact = the(graph, dataset, DCAT.contactPoint)
        assert the(graph, contact, VCARD.hasEmail) == URIRef(
            "mailto:dulieumo@dxday.example.gov.vn")


@pytest.mark.parametrize(("break_it", "path"), [
    ("no publisher", "dct:publisher"), ("language as text", "dct:language"),
    ("format as text", "dct:format"), ("untyped date", "dct:modified"),
    ("no English title", "dct:title"), ("no access URL", "dcat:accessURL"),
    ("publisher without a name", "foaf:name"),
])
def test_the_shapes_bite(client, published, break_it, path):
    body = served(client)
    assert shacl(body)[0]
    broken = copy.deepcopy(body)
    dataset = broken["dcat:dataset"][0]
    distribution = dataset["dcat:distribution"][0]
    if break_it == "no publisher":
        del broken["dct:publisher"]
    elif break_it == "language as text":
        broken["dct:language"] = "vi"
    elif break_it == "format as text":
        distribution["dct:format"] = "CSV"
    elif break_it == "untyped date":
        dataset["dct:modified"] = dataset["dct:modified"]["@value"]
    elif break_it == "no English title":
        dataset["dct:title"] = [t for t in dataset["dct:title"] if t["@language"] == "vi"]
    elif break_it == "no access URL":
        del distribution["dcat:accessURL"]
    elif break_it == "publisher without a name":
        del broken["dct:publisher"]["foaf:name"]
        for d in broken["dcat:dataset"]:  # the same agent, described again in each dataset
            if d["dct:publisher"]["@id"] == broken["dct:publisher"]["@id"]:
                del d["dct:publisher"]["foaf:name"]
    conforms, text = shacl(broken)
    assert not conforms, break_it
    assert f"Result Path: {path}" in text, text


@override_settings(SITE_URL=OTHER_SITE)
def test_every_iri_of_the_site_starts_with_site_url(client, published):
    body = served(client)
    assert shacl(body)[0]
    graph = as_graph(body)
    iris = {node for triple in graph for node in triple if isinstance(node, URIRef)}
    own = {str(i) for i in iris if not str(i).startswith(VOCABULARIES)}
    assert own and all(i.startswith(OTHER_SITE + "/") for i in own), sorted(own)
    assert not any("127.0.0.1" in str(i) for i in iris)
    # The catalogue, each dataset, each distribution and its URLs are the site's own.
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(datasets) == len(published_campaigns())
    for node in [*graph.subjects(RDF.type, DCAT.Catalog), *datasets, *distributions]:
        assert str(node).startswith(OTHER_SITE + "/")
    for distribution in distributions:
        for url in graph.objects(distribution, DCAT.accessURL):
            assert str(url).startswith(OTHER_SITE + "/api/v1/campaigns/")


def test_without_a_window_the_period_is_that_of_the_activities(client, published):
    published.window_start = published.window_end = None
    published.save()
    rows = Activity.objects.public().filter(campaign=published, start__isnull=False)
    first = min(rows.values_list("start", flat=True))
    last = max((a.end or a.start) for a in rows)
    graph = as_graph(served(client))
    dataset = URIRef(f"{settings.SITE_URL}/api/v1/campaigns/2026/datapackage.json")
    period = the(graph, dataset, DCTERMS.temporal)
    assert the(graph, period, DCAT.startDate) == Literal(first, datatype=XSD.date)
    assert the(graph, period, DCAT.endDate) == Literal(last, datatype=XSD.date)
    assert (first, last) == (datetime.date(2026, 10, 5), datetime.date(2026, 10, 10))
