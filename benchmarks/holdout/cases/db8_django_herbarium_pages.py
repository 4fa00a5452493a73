"""Public pages of the university herbarium (Django 4.2, server-rendered).

Templates only read what the views put in the context, so the per-row work of a
page is whatever the model methods below do. A family page shows up to ~600
specimens; the sitemap covers ~45,000 specimens.
"""
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db import models
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

REGIONS = ("north", "south", "coast", "highlands")


class Family(models.Model):
    latin_name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)


class Collector(models.Model):
    full_name = models.CharField(max_length=120)
    institution = models.CharField(max_length=120, blank=True)


class Specimen(models.Model):
    family = models.ForeignKey(Family, related_name="specimens", on_delete=models.PROTECT)
    collector = models.ForeignKey(Collector, related_name="specimens", on_delete=models.PROTECT)
    accession = models.CharField(max_length=20, unique=True)
    epithet = models.CharField(max_length=120)
    region = models.CharField(max_length=20)
    collected_on = models.DateField()

    def get_absolute_url(self):
        return reverse("specimen", args=[self.family.slug, self.accession])

    @property
    def label(self):
        return f"{self.epithet} ({self.collector.full_name})"

    def scan_count(self):
        return self.scans.count()

    def __str__(self):
        return self.accession


class Scan(models.Model):
    specimen = models.ForeignKey(Specimen, related_name="scans", on_delete=models.CASCADE)
    resolution_dpi = models.PositiveIntegerField()
    path = models.CharField(max_length=255)


class FamilyPage:
    """Rows of one family's table, in the order the template prints them."""

    def __init__(self, family: Family):
        self.family = family

    def __iter__(self):
        for spec in self.family.specimens.all().order_by("epithet"):
            yield {
                "label": spec.label,  # expect: L2
                "scans": spec.scans.count(),  # expect: L2
                "region": spec.region,
            }


def family_page(request, slug):
    family = get_object_or_404(Family, slug=slug)
    return render(request, "herbarium/family.html", {"family": family, "rows": list(FamilyPage(family))})


def collector_page(request, pk):
    collector = get_object_or_404(Collector, pk=pk)
    specimens = collector.specimens.select_related("family").order_by("-collected_on")
    rows = [(s.accession, s.family.latin_name, s.collected_on) for s in specimens]  # expect-none
    return render(request, "herbarium/collector.html", {"collector": collector, "rows": rows})


def region_page(request, region):
    specimens = Specimen.objects.filter(region=region).select_related("collector", "family")
    rows = []
    for spec in specimens:
        rows.append(
            {
                "url": spec.get_absolute_url(),  # expect-none
                "label": spec.label,  # expect-none
                "scans": spec.scan_count(),  # expect: L2
            }
        )
    return render(request, "herbarium/region.html", {"rows": rows})


def region_index(request):
    counts = {r: Specimen.objects.filter(region=r).count() for r in REGIONS}  # expect-none
    return render(request, "herbarium/regions.html", {"counts": counts})


def recent_accessions(request):
    recent = Specimen.objects.order_by("-collected_on")[:50]
    return render(request, "herbarium/recent.html", {"names": [str(s) for s in recent]})  # expect-none


class SpecimenSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Specimen.objects.order_by("pk")

    def location(self, item):
        return reverse("specimen", args=[item.family.slug, item.accession])  # expect: L2


class FamilySitemap(Sitemap):
    def items(self):
        return Family.objects.order_by("latin_name")

    def location(self, item):
        return reverse("family", args=[item.slug])  # expect-none


class ScanGallery:
    def __init__(self, specimen: Specimen):
        self.specimen = specimen

    @cached_property
    def scans(self):
        return list(self.specimen.scans.order_by("-resolution_dpi"))

    def best(self):
        return self.scans[0] if self.scans else None  # expect-none

    def paths(self):
        return [s.path for s in self.scans]  # expect-none


def family_overview(request):
    families = Family.objects.order_by("latin_name")
    rows = []
    for fam in families:
        first = fam.specimens.order_by("collected_on").first()  # expect: L2
        rows.append((fam.latin_name, first.collected_on if first else None))
    return render(request, "herbarium/overview.html", {"rows": rows})
