"""The public site: home, program pages, FAQ and articles (Wagtail pages).

In the back office: Pages.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey


class HomePage(Page):
    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["portal.ProgramPage", "portal.FAQPage", "portal.ArticlePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programs"] = ProgramPage.objects.live().public().child_of(self)
        context["articles"] = (
            ArticlePage.objects.live().public().child_of(self).order_by("-date")[:3]
        )
        return context


class ProgramPage(Page):
    """A program's public page: what it offers, who qualifies, how to apply."""

    program_code = models.CharField(
        max_length=30,
        blank=True,
        help_text="Code of the program or loan product this page describes.",
    )
    summary = models.CharField(max_length=300)
    body = RichTextField(blank=True)
    eligibility = RichTextField(blank=True)
    how_to_apply = RichTextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("program_code"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("eligibility"),
        FieldPanel("how_to_apply"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("eligibility"),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []


class FAQPage(Page):
    """Questions and answers grouped by topic; visitors can search them."""

    intro = RichTextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("questions", label="Questions"),
    ]
    search_fields = [
        *Page.search_fields,
        index.RelatedFields(
            "questions", [index.SearchField("question"), index.SearchField("answer")]
        ),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []

    def get_context(self, request, *args, **kwargs):
        from portal.selectors import faq_topics

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:200]
        context["query"] = query
        context["topics"] = faq_topics(self, query)
        return context


class FAQItem(Orderable):
    page = ParentalKey(FAQPage, on_delete=models.CASCADE, related_name="questions")
    topic = models.CharField(max_length=100)
    question = models.CharField(max_length=300)
    answer = RichTextField()

    panels = [FieldPanel("topic"), FieldPanel("question"), FieldPanel("answer")]

    def __str__(self) -> str:
        return self.question


class ArticlePage(Page):
    date = models.DateField(default=timezone.localdate)
    summary = models.CharField(max_length=300)
    body = RichTextField()

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
