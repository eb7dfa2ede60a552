"""The public site's demo pages for Riverton Municipal Utilities: the home
page's intro, one page per demo program and loan product, the FAQ, news and
guides, and the contact page.

Idempotent: each page is found by its slug first and left as it is (an
editor's later changes are kept). `home_page()` runs before the apps' demos
(which need a site); `load_pages()` after them, because a program page names
a program that must already exist (ProgramPage.clean refuses unknown codes).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from wagtail.models import Page, Site
from wagtail.search import index

from portal.models.pages import (
    ArticleIndexPage,
    ArticlePage,
    ContactFormField,
    ContactPage,
    FAQItem,
    FAQPage,
    HomePage,
    ProgramPage,
)

HOME_INTRO = (
    "<p>Riverton Municipal Utilities helps its customers pay for insulation, "
    "heat pumps, efficient furnaces and connections to the city's water and "
    "sewer mains: low-interest and zero-interest loans repaid on your utility "
    "bill, rebates on efficient equipment, and grants for seniors and "
    "households with low incomes.</p>"
)

HOW_TO_APPLY_LOAN = (
    "<p>Get a written proposal from your contractor first. Then log in to your "
    "account and apply online: you can save the application and finish it "
    "later. You can also apply in person at the Customer Finance Office.</p>"
)
HOW_TO_APPLY_REBATE = (
    "<p>Keep your itemized invoice and the model number of what was installed. "
    "Log in to your account and apply online within 90 days of installation, "
    "attaching the invoice. We may inspect the installation before paying.</p>"
)
# Programs whose way in differs from the usual rebate claim.
HOW_TO_APPLY_BY_CODE = {
    "FA": "<p>Apply online or call the Customer Finance Office. We check your "
    "age or disability and your household income, then arrange the work with "
    "an approved contractor. There is nothing to repay.</p>",
    "KAI": "<p>Talk to your account manager before you order equipment: the "
    "incentive is agreed in writing before the project starts.</p>",
}

# slug, title, code, summary, body (the rules and amounts come from the record)
PROGRAM_PAGES: list[tuple[str, str, str, str, str]] = [
    (
        "energy-efficiency-loans",
        "Energy-efficiency loans",
        "EE",
        "Low-interest loans for insulation, heat pumps and windows, repaid "
        "in monthly installments on your utility bill.",
        "<p>An energy-efficiency loan pays your contractor for improvements that "
        "lower your bills: attic and wall insulation, air sealing, heat pumps, "
        "high-efficiency furnaces and ENERGY STAR windows. You repay in equal "
        "monthly installments on your utility bill.</p><p>Installing solar "
        "panels or an ENERGY STAR roof? See "
        "the solar and roofing loan, which lends more over a longer term.</p>",
    ),
    (
        "solar-and-roofing-loans",
        "Solar and roofing loans",
        "EE-SOLAR",
        "Larger loans over a longer term for solar photovoltaic systems and "
        "ENERGY STAR roofing.",
        "<p>Solar panels and cool roofs pay for themselves over many years, so "
        "this loan can be repaid over up to 120 months.</p>",
    ),
    (
        "water-sewer-connection-loans",
        "Water and sewer connection loans",
        "WS",
        "Spread the cost of connecting your home to the public water or sewer "
        "system over monthly payments on your utility bill.",
        "<p>When the city extends a water or sewer main to your street, "
        "connecting your home and closing the old well or septic system can "
        "cost several thousand dollars. This loan spreads the cost over up to "
        "ten years at a low fixed rate.</p>",
    ),
    (
        "zero-interest-loans",
        "Zero-interest loans",
        "ZI",
        "Borrow for energy improvements and pay no interest at all: a loan "
        "guaranteed by the state.",
        "<p>The state guarantees these loans, so the utility can lend without "
        "charging interest. You repay exactly what you borrowed, in equal "
        "monthly installments.</p>",
    ),
    (
        "gas-incentive-program",
        "Gas Incentive Program",
        "GIP",
        "Rebates for high-efficiency gas furnaces and tankless water heaters.",
        "<p>Replacing an old furnace or water heater? A high-efficiency model "
        "uses less gas every winter, and the Gas Incentive Program pays part of "
        "the price back.</p>",
    ),
    (
        "residential-energy-efficiency",
        "Residential Energy Efficiency rebates",
        "REE",
        "Rebates for attic insulation, heat pumps and ENERGY STAR windows in "
        "homes with electric service.",
        "<p>Most homes in Riverton lose more heat through the attic than "
        "anywhere else. These rebates pay part of the cost of insulation, "
        "efficient heat pumps and new windows.</p>",
    ),
    (
        "key-account-initiatives",
        "Key Account Initiatives",
        "KAI",
        "Custom incentives for efficiency projects at the utility's largest "
        "commercial customers.",
        "<p>Your account manager works with you on lighting, motors, "
        "refrigeration and controls projects and calculates the incentive "
        "before you commit.</p>",
    ),
    (
        "financial-assistance",
        "Financial Assistance",
        "FA",
        "Grants and rebates for customers 60 and over, customers with "
        "disabilities and households with low incomes.",
        "<p>A weatherization grant pays for insulation and air sealing so your "
        "home stays warm for less. It is a grant: there is nothing to repay.</p>",
    ),
]

# topic, question, answer
FAQ: list[tuple[str, str, str]] = [
    (
        "Loans",
        "Who can apply for an energy-efficiency loan?",
        "<p>Residential customers with an active account in good standing "
        "who own the property.</p>",
    ),
    (
        "Loans",
        "How are loan payments collected?",
        "<p>Your monthly installment appears as its own line on your utility "
        "bill, and you pay it together with the bill.</p>",
    ),
    (
        "Loans",
        "Can I pay my loan off early?",
        "<p>Yes, at any time and without a penalty. Ask the office for a payoff "
        "letter, which states the exact amount due on a given day.</p>",
    ),
    (
        "Loans",
        "Does the calculator show my final payment?",
        "<p>The calculator uses the same arithmetic as your repayment schedule. "
        "Your actual loan may differ by a few cents, and fees are not included.</p>",
    ),
    (
        "Rebates",
        "How long does a rebate take?",
        "<p>Most rebates are paid within 6 weeks of an approved inspection, "
        "by check or as a credit on your bill.</p>",
    ),
    (
        "Rebates",
        "What documents do I need for a rebate?",
        "<p>The itemized invoice from your contractor showing the model number, "
        "the installation date and the price paid. Some measures also need the "
        "equipment's specification sheet.</p>",
    ),
    (
        "Rebates",
        "Can I get a rebate for equipment I installed myself?",
        "<p>For insulation and windows, yes: attach the receipts for the "
        "materials. Furnaces, water heaters and heat pumps must be installed by "
        "a licensed contractor.</p>",
    ),
    (
        "Liens",
        "Is a lien placed on my home?",
        "<p>Loans above the product's lien threshold are secured by a lien "
        "that is released when the loan is paid off.</p>",
    ),
    (
        "Liens",
        "I am refinancing my mortgage. What happens to the utility's lien?",
        "<p>Your new lender can ask us to subordinate the lien, that is, to let "
        "the new mortgage come first. Lenders request it on the lenders' page; "
        "we decide within ten working days.</p>",
    ),
    (
        "Liens",
        "When is the lien released?",
        "<p>When the loan is paid in full, we record a release with the county "
        "clerk, usually within 30 days, and send you a copy.</p>",
    ),
    (
        "Payments",
        "What happens if a payment is returned?",
        "<p>The payment is reversed and a returned-payment fee is added.</p>",
    ),
    (
        "Payments",
        "Can my bill be paid automatically?",
        "<p>Yes. Enroll in AutoPay and we draw the full amount of each bill, "
        "including any loan installment, from your bank account on the due "
        "date.</p>",
    ),
    (
        "Payments",
        "I cannot pay this month. What should I do?",
        "<p>Call the office before the due date. We can often agree a payment "
        "arrangement that avoids late fees and keeps your account in good "
        "standing.</p>",
    ),
]

# slug, title, kind, date, summary, body, tags
ARTICLES: list[tuple[str, str, str, date, str, str, list[str]]] = [
    (
        "new-heat-pump-rebates",
        "New heat pump rebates this winter",
        "news",
        date(2026, 10, 1),
        "Residential customers can now get up to $1,500 back.",
        "<p>Heat pumps rated SEER2 16 or better now qualify for a rebate of 30% "
        "of the installed cost, up to $1,500 per home. Apply within 90 days of "
        "installation.</p>",
        ["Rebates", "Heat pumps"],
    ),
    (
        "how-to-read-your-loan-on-your-bill",
        "How to read your loan on your utility bill",
        "tutorial",
        date(2026, 9, 15),
        "Where your installment, the remaining balance and any fees appear.",
        "<p>Your loan has its own section on the bill. The <b>installment</b> is "
        "the amount due this month; the <b>principal balance</b> is what you "
        "still owe; fees appear on a line of their own.</p><ol><li>Find the "
        "Loan section under your charges.</li><li>Check the due date: it is "
        "the same as the bill's.</li><li>Pay the bill's total to keep the loan "
        "current.</li></ol>",
        ["Loans", "Billing"],
    ),
    (
        "seal-your-attic-before-winter",
        "Seal and insulate your attic before winter",
        "article",
        date(2026, 8, 20),
        "The cheapest heat is the heat you keep: why the attic comes first.",
        "<p>Warm air rises and escapes through gaps around lights, pipes and the "
        "attic hatch. Sealing those gaps and bringing insulation up to R-30 "
        "often cuts heating bills by a tenth.</p>",
        ["Insulation", "Rebates"],
    ),
    (
        "water-main-extension-on-river-road",
        "Water main extension on River Road",
        "news",
        date(2026, 7, 6),
        "Homes on River Road can connect to city water from September; "
        "connection loans are available.",
        "<p>The new main reaches River Road in September. Owners who connect "
        "within a year can spread the cost with a water and sewer connection "
        "loan.</p>",
        ["Water and sewer", "Loans"],
    ),
    (
        "applying-for-a-rebate-step-by-step",
        "Applying for a rebate, step by step",
        "tutorial",
        date(2026, 6, 2),
        "What to keep from your contractor, and how to apply online.",
        "<ol><li>Keep the itemized invoice.</li><li>Log in and choose Apply for "
        "a rebate.</li><li>Attach the invoice and submit.</li><li>We tell you "
        "if we need an inspection.</li></ol>",
        ["Rebates"],
    ),
]

CONTACT_TOPICS = "Loans\nRebates\nLiens\nPayments and billing\nSomething else"
# label, field type, required, choices, help text
CONTACT_FIELDS: list[tuple[str, str, bool, str, str]] = [
    ("Your name", "singleline", True, "", ""),
    ("E-mail", "email", True, "", "We answer to this address."),
    (
        "Account number",
        "singleline",
        False,
        "",
        "Optional: the six-digit number on your bill.",
    ),
    ("Topic", "dropdown", True, CONTACT_TOPICS, ""),
    ("Message", "multiline", True, "", ""),
]


def home_page() -> HomePage:
    """The site's root page and the default site (made once)."""
    root = Page.get_first_root_node()
    if root is None:
        # Wagtail's migrations create the default locale and the tree's root;
        # a flushed database (`manage.py flush`, transactional tests) has
        # neither.
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Locale

        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Riverton Municipal Utilities", slug="home-page", intro=HOME_INTRO
        )
        root.add_child(instance=home)
        _publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    # Wagtail's placeholder welcome page is replaced by the home page.
    Page.objects.filter(depth=2, content_type__model="page").exclude(
        pk=home.pk
    ).delete()
    return home


def _publish(page: Page) -> None:
    # A first revision, so the editor's history starts with the demo text,
    # and the page in the search index with its questions and tags.
    page.save_revision().publish()
    index.insert_or_update_object(page)


def _add(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    _publish(page)
    return page


def _program_pages(home: HomePage) -> None:
    from loans.models import LoanProduct
    from programs.models import Program

    for slug, title, code, summary, body in PROGRAM_PAGES:
        if ProgramPage.objects.filter(slug=slug).exists():
            continue
        is_loan = LoanProduct.objects.filter(code=code).exists()
        if not is_loan and not Program.objects.filter(code=code).exists():
            continue  # that app's demo is not installed
        _add(
            home,
            ProgramPage(
                title=title,
                slug=slug,
                program_code=code,
                summary=summary,
                body=body,
                how_to_apply=HOW_TO_APPLY_BY_CODE.get(
                    code, HOW_TO_APPLY_LOAN if is_loan else HOW_TO_APPLY_REBATE
                ),
            ),
        )


def _faq(home: HomePage) -> None:
    if FAQPage.objects.filter(slug="faq").exists():
        return
    faq = FAQPage(
        title="Frequently asked questions",
        slug="faq",
        intro="<p>Answers about loans, rebates, liens and payments.</p>",
    )
    for order, (topic, question, answer) in enumerate(FAQ):
        faq.questions.add(
            FAQItem(topic=topic, question=question, answer=answer, sort_order=order)
        )
    _add(home, faq)


def _articles(home: HomePage) -> None:
    news = ArticleIndexPage.objects.filter(slug="news").first()
    if news is None:
        news = _add(
            home,
            ArticleIndexPage(
                title="News and guides",
                slug="news",
                intro="<p>Program news, how-to guides and advice on saving "
                "energy and water at home.</p>",
            ),
        )
    for slug, title, kind, day, summary, body, tags in ARTICLES:
        existing = ArticlePage.objects.filter(slug=slug).first()
        if existing is not None:
            if existing.get_parent().pk != news.pk:
                # Articles used to sit under the home page itself.
                existing.move(news, pos="last-child")
            continue
        article = ArticlePage(
            title=title, slug=slug, kind=kind, date=day, summary=summary, body=body
        )
        article.tags.add(*tags)
        _add(news, article)


def _contact(home: HomePage) -> None:
    if ContactPage.objects.exists():
        return
    contact = ContactPage(
        title="Contact us",
        slug="contact",
        intro="<p>Questions about a loan, a rebate, a lien or a payment? Write "
        "to the Customer Finance Office, call us, or visit during opening "
        "hours.</p>",
        thank_you_text="<p>Thank you, we answer within two working days.</p>",
        subject="Message from the website",
    )
    for order, (label, field_type, required, choices, help_text) in enumerate(
        CONTACT_FIELDS
    ):
        contact.form_fields.add(
            ContactFormField(
                label=label,
                field_type=field_type,
                required=required,
                choices=choices,
                help_text=help_text,
                sort_order=order,
            )
        )
    _add(home, contact)


def load_pages() -> None:
    home = HomePage.objects.first() or home_page()
    if not home.intro:
        home.intro = HOME_INTRO
        _publish(home)
    _program_pages(home)
    _faq(home)
    _articles(home)
    _contact(home)
