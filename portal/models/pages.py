"""The public site: home, program pages, FAQ, articles and the contact page
(Wagtail pages, edited by the Content editor role with drafts, revisions and
scheduled publishing).

In the back office: Pages; contact messages under Forms.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify

from wagtail.admin.mail import send_mail
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase

UNKNOWN_PROGRAM_CODE = (
    "No program or loan product has the code “{code}”. Use the code shown in "
    "the back office under Programs or Loan products (e.g. GIP or EE)."
)


class HomePage(Page):
    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = [
        "portal.ProgramPage",
        "portal.FAQPage",
        "portal.ArticleIndexPage",
        "portal.ContactPage",
    ]
    max_count = 1

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["programs"] = ProgramPage.objects.live().public().child_of(self)
        context["articles"] = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-date", "-pk")[:3]
        )
        context["news_index"] = (
            ArticleIndexPage.objects.live().public().child_of(self).first()
        )
        context["faq"] = FAQPage.objects.live().public().child_of(self).first()
        context["contact"] = ContactPage.objects.live().public().child_of(self).first()
        return context


def program_record(code: str) -> Any:
    """The programs.Program or loans.LoanProduct with this code, or None."""
    from loans.models import LoanProduct
    from programs.models import Program

    if not code:
        return None
    return (
        Program.objects.filter(code=code).first()
        or LoanProduct.objects.filter(code=code).first()
    )


class ProgramPage(Page):
    """A program's public page: what it offers, who qualifies, how to apply.

    The eligibility summary, the incentive table and a loan's rate, amounts
    and terms come from the program's or loan product's own record
    (program_code), never retyped here; the rich text is the prose around them.
    """

    program_code = models.CharField(
        max_length=30,
        blank=True,
        help_text="Code of the program (e.g. GIP) or loan product (e.g. EE) this "
        "page describes: its eligibility, incentives or loan terms are shown "
        "from that record.",
    )
    summary = models.CharField(max_length=300)
    body = RichTextField(blank=True)
    eligibility = RichTextField(
        blank=True,
        help_text="Anything to add to the eligibility summary, which is shown "
        "from the program's own rules.",
    )
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
        index.SearchField("how_to_apply"),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []

    def clean(self) -> None:
        super().clean()
        self.program_code = self.program_code.strip()
        if self.program_code and program_record(self.program_code) is None:
            raise ValidationError(
                {"program_code": UNKNOWN_PROGRAM_CODE.format(code=self.program_code)}
            )

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from loans.models import LoanProduct
        from portal.site.calculator import calculator_for
        from programs.models import Program
        from programs.selectors import eligibility_summary, incentive_table

        context = super().get_context(request, *args, **kwargs)
        record = program_record(self.program_code)
        context["program"] = record if isinstance(record, Program) else None
        context["product"] = record if isinstance(record, LoanProduct) else None
        # A closed program or withdrawn product keeps its page but takes no
        # applications.
        context["closed"] = record is not None and not record.is_active
        if isinstance(record, Program):
            today = timezone.localdate()
            context["closed"] = not (
                record.is_active and record.starts_on <= today <= record.ends_on
            )
            context["eligibility_lines"] = eligibility_summary(record)
            context["incentives"] = incentive_table(record)
        if isinstance(record, LoanProduct):
            form, estimate = calculator_for(record, request.GET)
            context["calculator"] = form
            context["estimate"] = estimate
        return context


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
        index.SearchField("intro"),
        index.RelatedFields(
            "questions",
            [
                index.SearchField("topic"),
                index.SearchField("question"),
                index.SearchField("answer"),
            ],
        ),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from portal.selectors import faq_topics

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:200]
        context["query"] = query
        context["topics"] = faq_topics(self, query)
        return context


class FAQItem(Orderable):
    page = ParentalKey(FAQPage, on_delete=models.CASCADE, related_name="questions")
    topic = models.CharField(
        max_length=100, help_text="Questions with the same topic are shown together."
    )
    question = models.CharField(max_length=300)
    answer = RichTextField()

    panels = [FieldPanel("topic"), FieldPanel("question"), FieldPanel("answer")]

    def __str__(self) -> str:
        return self.question

    @property
    def anchor(self) -> str:
        """The question's id on the FAQ page, for deep links (#how-long-...)."""
        return slugify(self.question)[:80] or f"question-{self.pk}"


class ArticleIndexPage(Page):
    """News, articles and tutorials, newest first, filtered by tag (?tag=)."""

    intro = RichTextField(blank=True)
    per_page = 10

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ArticlePage"]

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        articles = (
            ArticlePage.objects.live()
            .public()
            .child_of(self)
            .prefetch_related("tags")
            .order_by("-date", "-pk")
        )
        tag = request.GET.get("tag", "").strip()[:100]
        if tag:
            articles = articles.filter(tags__slug=tag)
        context["tag"] = tag
        context["tag_name"] = (
            ArticlePageTag.objects.filter(tag__slug=tag)
            .values_list("tag__name", flat=True)
            .first()
            if tag
            else None
        )
        context["articles"] = Paginator(articles, self.per_page).get_page(
            request.GET.get("page")
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleKind(models.TextChoices):
    NEWS = "news", "News"
    TUTORIAL = "tutorial", "How-to guide"
    ARTICLE = "article", "Article"


class ArticlePage(Page):
    date = models.DateField(default=timezone.localdate)
    kind = models.CharField(
        max_length=10, choices=ArticleKind.choices, default=ArticleKind.NEWS
    )
    summary = models.CharField(max_length=300)
    body = RichTextField()
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["portal.ArticleIndexPage"]
    subpage_types: list[str] = []


class ContactFormField(AbstractFormField):
    page = ParentalKey(
        "portal.ContactPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class ContactPage(AbstractEmailForm):
    """The office's hours and address (Settings › Office) and a contact form
    built with Wagtail's form builder: messages are kept in the back office
    (Forms) and e-mailed to the office."""

    intro = RichTextField(blank=True)
    thank_you_text = RichTextField(
        blank=True, help_text="Shown after a message is sent."
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "to_address",
                    help_text="Empty: the office e-mail address in Settings › Office.",
                ),
                FieldPanel("from_address"),
                FieldPanel("subject"),
            ],
            heading="E-mail to the office",
        ),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from portal.models.office import OfficeSettings

        context = super().get_context(request, *args, **kwargs)
        context["office"] = OfficeSettings.for_request(request)
        return context

    def recipients(self) -> list[str]:
        """The page's own addresses, else the office's e-mail address."""
        from portal.models.office import OfficeSettings

        own = [a.strip() for a in self.to_address.split(",") if a.strip()]
        if own:
            return own
        site = self.get_site()
        office = OfficeSettings.for_site(site) if site else None
        return [office.email] if office and office.email else []

    def process_form_submission(self, form: Any) -> Any:
        # The form builder stores the message (back office: Forms); then it
        # goes to the office by e-mail.
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self
        )
        recipients = self.recipients()
        if recipients:
            # Answering the e-mail answers the visitor (their e-mail field).
            reply_to = [
                form.cleaned_data[name]
                for name, field in form.fields.items()
                if isinstance(field, forms.EmailField) and form.cleaned_data.get(name)
            ]
            send_mail(
                self.subject or f"Website message: {self.title}",
                self.render_email(form),
                recipients,
                self.from_address or None,
                reply_to=reply_to or None,
            )
        return submission

    def serve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        from portal.site.contact import RATE_LIMITED, contact_allowed

        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        status = 200
        if form.is_valid():
            if contact_allowed(request):
                submission = self.process_form_submission(form)
                return self.render_landing_page(request, submission, *args, **kwargs)
            form.add_error(None, RATE_LIMITED)
            status = 429
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(
            request, self.get_template(request), context, status=status
        )
