"""The PDF read back: what a council member reads, and what a screen reader needs."""

import io
import subprocess
import sys

import pikepdf
import pytest
from django.conf import settings

from analysis.models import Analysis, Answer
from factors.models import FactorAssessment
from keyfigures.models import Indicator, IndicatorAggregateValue, IndicatorValue
from keyfigures.services.imports import import_indicator_file
from reference.models import LanguageForm, Municipality, SuccessFactor
from reports.management.commands.load_recommendation_rules import load_recommendation_rules
from reports.services import render_report_html, render_report_pdf
from tests import module_data
from tests.pdf_text import page_texts, pdf_text, squeeze
from tests.reports.conftest import add_indicator_values, answer, fill, rolled_back
from tests.reports.pdf_layout import pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """This round, the personas and the rules' texts, made once for the module's tests (each
    test's own changes are rolled back before the next, tests/module_data.py)."""
    with module_data.made_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        world = module_data.usual_world()
        load_recommendation_rules()
        yield world


@pytest.fixture
def analysis(made_once, db):
    return Analysis.objects.get(pk=made_once.analysis)


@pytest.fixture
def round_(analysis):
    return analysis.round


@pytest.fixture
def rules(made_once):
    """The rules' texts, loaded once (`made_once`)."""


@pytest.fixture
def personas(made_once, db):
    return module_data.personas()


@pytest.fixture(scope="module")
def filled_pdf(made_once, django_db_blocker) -> bytes:
    """Fauske's filled analysis as one PDF, laid out once for the tests that only read it."""
    with rolled_back(django_db_blocker):
        analysis = Analysis.objects.get(pk=made_once.analysis)
        fill(analysis)
        add_indicator_values(analysis.municipality)
        return render_report_pdf(analysis)


def test_pdf_names_the_municipality_round_and_all_six_factors(filled_pdf):
    text = squeeze(pdf_text(filled_pdf))
    assert "Foranalyse for Fauske" in text
    assert "Foranalyse 2026" in text
    for factor in SuccessFactor.objects.all():
        assert factor.name_nb in text


def test_the_cover_names_the_municipality_in_norwegian_and_sami_with_its_number(filled_pdf):
    cover = squeeze(page_texts(filled_pdf)[0])
    assert "Kommune Fauske – Fuossko" in cover
    assert "Kommunenummer 1841" in cover
    assert "Fauske - Fuossko" not in cover and "1841 Fauske" not in cover


def test_the_cover_puts_each_label_on_the_line_of_its_value(filled_pdf):
    (cover,) = [p for p in pdf_pages(filled_pdf) if p.number == 1]
    rows = {row.text for row in cover.body_rows}
    for label_and_value in [
        "Kommune Fauske – Fuossko",
        "Kommunenummer 1841",
        "Fylke Nordland",
        "Runde Foranalyse 2026",
        "Godkjenning Ikke godkjent",
    ]:
        assert label_and_value in rows
    # A save counter ("Versjon av analysen 7") told a reader nothing; the cover says who
    # approved it and when instead.
    assert not any(row.startswith("Versjon") for row in rows)


def test_the_edition_is_named_once(filled_pdf):
    text = squeeze(pdf_text(filled_pdf))
    assert (
        "Spørreskjema: Boligsosial oversikt – foranalyse, 1. utgave. Runde: Foranalyse 2026."
        in (text)
    )
    assert "utgave 1" not in text and "1. utgave, 1. utgave" not in text


def test_the_summary_names_the_three_most_important_recommendations(filled_pdf):
    summary = squeeze(
        next(text for text in page_texts(filled_pdf) if "Viktigste anbefalinger" in text)
    )
    main = summary.split("Viktigste anbefalinger", 1)[1]
    # By priority (RecommendationRule.order): the plan, central responsibility, a formal body.
    titles = [
        "Lag en boligpolitisk plan med operative mål",
        "Legg det strategiske ansvaret sentralt i kommunen",
        "Opprett et formelt samarbeidsorgan på tvers av enhetene",
    ]
    positions = [main.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Forankre arbeidet i økonomiplan" not in main
    assert "Involver brukerorganisasjonene" not in main
    assert "5 anbefalinger til står i kapitlet Anbefalinger" in main


def test_pdf_holds_the_recommendations_with_their_reasons_and_sources(filled_pdf):
    text = squeeze(pdf_text(filled_pdf))
    for title in [
        "Lag en boligpolitisk plan med operative mål",
        "Opprett et formelt samarbeidsorgan på tvers av enhetene",
        "Legg det strategiske ansvaret sentralt i kommunen",
        "Forankre arbeidet i økonomiplan og årsbudsjett",
        "Involver brukerorganisasjonene",
        "Gjør forankringen til en fast oppgave",
        "Involver politikerne tidlig",
        "Bruk oversikten i planstrategien",
    ]:
        assert title in text
    assert "Hvorfor:" in text and "§ 5" in text
    # The reasons cite the municipality's direct answers, not only its scores.
    assert "Kommunen har ikke operative mål som kan følges opp og måles." in text
    assert "Arbeidet er ikke finansiert i årsbudsjettet og økonomiplanen." in text
    assert "Ansvaret for det strategiske arbeidet er spredt på flere enheter." in text
    assert "seed" not in text.lower()
    assert "Kilde: «Organisering og planlegging av boligsosialt arbeid i norske kommuner»" in text


def test_pdf_holds_the_action_plan_by_priority_with_unit_owner_deadline_cost_and_status(
    filled_pdf,
):
    text = squeeze(pdf_text(filled_pdf))
    plan = text[text.index("Hvem gjør hva innen når") :]
    for header in ("Tiltak", "Prioritet", "Ansvarlig", "Frist", "Kostnad", "Status"):
        assert header in plan
    first = plan.index("Utarbeide en boligsosial handlingsplan")
    second = plan.index("Skriftlige tildelingskriterier")
    assert first < second  # high priority before medium
    row = plan[first:second]
    for cell in ("Høy", "NAV-kontoret", "Kari Nordmann, boligkoordinator", "30.11.2026"):
        assert cell in row
    assert "350" in row and "Kommunens budsjett" in row and "Startet" in row
    assert "Nytt i denne runden" in row


def test_without_measures_the_plan_chapter_says_so_and_starts_no_page(analysis, rules):
    html = render_report_html(analysis, for_pdf=True)
    assert 'id="plan" class="chapter is-empty"' in html
    assert "Kommunen har ingen tiltak i tiltaksplanen ennå." in html


def test_every_page_says_side_n_av_m(filled_pdf):
    pages = page_texts(filled_pdf)
    total = len(pages)
    assert total > 5
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} av {total}" in text


def test_pdf_is_tagged_with_language_and_title(filled_pdf):
    with pikepdf.open(io.BytesIO(filled_pdf)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "nb"
        assert str(pdf.docinfo["/Title"]) == "Foranalyse 2026 – Fauske kommune"
        assert pdf.open_metadata()["dc:title"] == "Foranalyse 2026 – Fauske kommune"


def test_a_nynorsk_pdf_says_so_in_its_language_tag(filled):
    with pikepdf.open(io.BytesIO(render_report_pdf(filled, language="nn"))) as pdf:
        assert str(pdf.Root.Lang) == "nn"


def test_the_pdf_follows_the_municipalitys_written_form_by_default(filled):
    Municipality.objects.filter(pk=filled.municipality_id).update(
        language_form=LanguageForm.NYNORSK
    )
    filled.municipality.refresh_from_db()
    with pikepdf.open(io.BytesIO(render_report_pdf(filled))) as pdf:
        assert str(pdf.Root.Lang) == "nn"


def test_making_the_pdf_starts_no_browser_or_other_process(filled, monkeypatch):
    """The chart is exported in-process (plotly-print): no Chromium per chart, or at all."""
    import asyncio
    import subprocess

    # Importing WeasyPrint finds its libraries once per process, and ctypes may ask
    # `ldconfig -p` where they are: that is no browser, and the first test of a worker to lay
    # out a PDF paid it (this one, alone or first, failed).
    import weasyprint  # noqa: F401

    def refuse(*args, **kwargs):
        raise AssertionError(f"a process was started: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(asyncio, "create_subprocess_exec", refuse)
    assert render_report_pdf(filled).startswith(b"%PDF")


def structure_elements(pdf: bytes) -> list[tuple[str, str]]:
    """Every element of the PDF's structure tree as (type, alt text)."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        stack = [doc.Root.StructTreeRoot]
        seen = set()
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
                continue
            if node.objgen != (0, 0):
                seen.add(node.objgen)
            if "/S" in node:
                found.append((str(node.S), str(node.get("/Alt", ""))))
            if "/K" in node:
                stack.append(node.K)
    return found


def test_pdf_is_pdf_ua_with_tagged_headings_tables_and_a_chart_with_alt_text(filled_pdf):
    with pikepdf.open(io.BytesIO(filled_pdf)) as doc:
        assert "pdfuaid" in str(doc.Root.Metadata.read_bytes())
    elements = structure_elements(filled_pdf)
    types = {kind for kind, _alt in elements}
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure"} <= types
    alts = [alt for kind, alt in elements if kind == "/Figure"]
    assert any("Forankring og eierskap: 2" in alt for alt in alts)


def test_an_independent_pdf_ua_checker_finds_nothing(filled_pdf, tmp_path):
    """pdfua (PyPI) runs the machine-checkable rules of PDF/UA-1 and WCAG 2.1: no error, no
    warning, not even the table headers' scope WeasyPrint leaves out
    (boligsosial/pdf_tagging.py)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(filled_pdf)
    result = subprocess.run(  # noqa: S603 (our own interpreter, our own file)
        [sys.executable, "-m", "pdfua", "check", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert "errors=0 warnings=0" in result.stdout


def test_every_table_header_in_the_pdf_says_whether_it_heads_a_column_or_a_row(filled_pdf):
    document = pikepdf.open(io.BytesIO(filled_pdf))
    scopes = []
    seen = set()

    def walk(element):
        if isinstance(element, pikepdf.Array):
            for child in element:
                walk(child)
        elif isinstance(element, pikepdf.Dictionary):
            if element.is_indirect:
                if element.objgen in seen:
                    return
                seen.add(element.objgen)
            if element.get("/S") == "/TH":
                scopes.append(str(element.A.get("/Scope")))
            if "/K" in element:
                walk(element.K)

    walk(document.Root.StructTreeRoot.K)
    assert scopes and set(scopes) <= {"/Column", "/Row"}
    assert "/Row" in scopes and "/Column" in scopes


def test_key_figures_compare_with_county_and_country_and_hide_small_counts(filled):
    add_indicator_values(filled.municipality)
    # The official country figures, as a statistics file's "0 Hele landet" row gives them.
    for code, value in [("kommunale-boliger-per-1000", "21.4"), ("midlertidig-botilbud", "4216")]:
        IndicatorAggregateValue.objects.create(
            indicator=Indicator.objects.get(code=code), county=None, year=2024, value=value
        )
    html = render_report_html(filled, for_pdf=True).replace("\xa0", " ")
    # Fauske's latest year (2024) is 20.0, not 2023's 10.0; its count of 2 is "under 3".
    assert "20,0" in html and "10,0" not in html
    assert "under 3" in html
    # The country is the official figure, not a sum of the three imported municipalities.
    assert "21,4" in html and "4 216" in html and "542" not in html
    # Nordland has figures from 2 of its 41 municipalities: no county figure, its coverage.
    assert "2 av 41 kommuner" in html
    assert "Fiktive tall." not in html


def test_the_key_figure_sources_name_a_table_only_where_one_is_known(filled):
    add_indicator_values(filled.municipality)
    html = render_report_html(filled, for_pdf=True)
    assert (
        'Kilder: <a href="https://www.ssb.no/statbank/table/12008/">SSB (KOSTRA), tabell 12008'
        "</a>; SSB (KOSTRA), statistikken Kommunale boliger." in html
    )
    assert "ikke angitt" not in html


def test_a_value_newer_than_its_closed_table_is_not_labelled_with_that_table(filled):
    indicator = Indicator.objects.get(code="sosialhjelp-andel")
    assert indicator.source_table_until == 2022
    for year in (2022, 2023):
        IndicatorValue.objects.create(
            indicator=indicator, municipality=filled.municipality, year=year, value=4
        )
    html = render_report_html(filled, for_pdf=True)
    assert "12210" not in html
    assert "SSB (KOSTRA), statistikken Sosialhjelp" in html


def test_demo_key_figures_say_they_are_fictitious_in_the_report(filled):
    path = settings.BASE_DIR / "fixtures" / "imports" / "demo-fiktive-tall-nokkeltall.csv"
    import_indicator_file(data=path.read_bytes(), filename=path.name)
    assert "Fiktive tall." in render_report_html(filled, for_pdf=True)


def test_without_key_figures_the_report_says_so(filled):
    assert "Ingen nøkkeltall er importert" in render_report_html(filled, for_pdf=True)


def test_an_empty_analysis_renders_and_says_so_section_by_section(analysis, rules):
    pdf = render_report_pdf(analysis)
    text = squeeze(pdf_text(pdf))
    for sentence in [
        "Ingen av de seks suksessfaktorene er vurdert ennå.",
        "Ingen nøkkeltall er importert",
        "Profilen tegnes når minst én faktor er vurdert.",
        "Egenvurderingen er ikke fylt ut ennå.",
        "Kartet «Hvem gjør hva» er ikke fylt ut ennå.",
        "Ingen samarbeidsorganer er registrert.",
        "Tildelingen er ikke beskrevet ennå.",
        "Ingen prosjekter er registrert som aktive i rundens periode.",
        "Ingen spørsmål er besvart ennå.",
        "Det er ikke skrevet noe forslag til vedtak for denne rapporten.",
        "Ikke sendt inn ennå",
    ]:
        assert sentence in text, sentence
    assert "Bruk oversikten i planstrategien" in text
    # No pages of "Not answered" after saying nothing is answered; the empty chapters share
    # pages: cover, contents, summary, three pages for the rest, and one for the method and
    # its sources, which are there however little is answered.
    assert "Ikke besvart" not in text
    assert len(page_texts(pdf)) <= 7


def test_empty_projects_and_recommendations_do_not_start_a_page_of_their_own(analysis, rules):
    html = render_report_html(analysis, for_pdf=True)
    assert 'id="projects" class="chapter is-empty"' in html
    from reports.models import RecommendationRule

    RecommendationRule.objects.filter(key="planstrategi").update(is_active=False)
    html = render_report_html(analysis, for_pdf=True)
    assert 'id="recommendations" class="chapter is-empty"' in html
    assert "Ingen av anbefalingsreglene slår til på svarene så langt." in html


def test_a_part_of_the_questionnaire_with_no_answers_is_named_once(filled_pdf):
    text = squeeze(pdf_text(filled_pdf))
    # The cooperation part's one question is unanswered; the other parts have answers.
    assert "Deler uten svar ennå: Samarbeid." in text
    assert "Hvordan samarbeider kommunen med statlige aktører" not in text


def test_html_and_script_in_answers_are_escaped_in_the_page_and_the_pdf(filled, client_for):
    answer(filled, "eksisterende-planer", '<script>alert("x")</script><b>fet</b>')
    FactorAssessment.objects.filter(analysis=filled, factor__number=1).update(
        status="<img src=x onerror=alert(1)>"
    )
    html = render_report_html(filled, for_pdf=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html
    page = client_for("planner").get(f"/rapport/{filled.pk}/").content.decode()
    assert "<script>alert" not in page and "<b>fet</b>" not in page
    text = pdf_text(render_report_pdf(filled))
    assert '<script>alert("x")</script>' in text.replace("\n", "")


def test_a_factor_without_a_score_is_shown_as_not_scored(filled):
    FactorAssessment.objects.filter(analysis=filled, factor__number=4).update(score=None)
    text = squeeze(pdf_text(render_report_pdf(filled)))
    assert "4. Økonomiske ressurser ikke vurdert" in text  # the summary's table
    assert "Økonomiske ressurser: ikke vurdert" in text or "(ikke vurdert)" in text


@pytest.mark.parametrize(
    ("number", "full_name"),
    [("5612", "Guovdageaidnu – Kautokeino"), ("5636", "Unjárga – Nesseby")],
)
def test_sami_municipality_names_come_through(round_, rules, number, full_name):
    analysis = Analysis.objects.get(round=round_, municipality__number=number)
    Answer.objects.filter(analysis=analysis).delete()
    answer(analysis, "eksisterende-planer", "Plan for Guovdageaidnu ja Unjárga: čđŋšŧž ÁČĐŊŠŦŽ")
    text = pdf_text(render_report_pdf(analysis))
    assert f"Kommune {full_name}" in squeeze(text)
    assert "čđŋšŧž ÁČĐŊŠŦŽ" in text


def test_the_demo_notice_is_on_the_cover_of_a_demo_analysis(filled):
    filled.is_demo = True
    filled.save()
    first_page = page_texts(render_report_pdf(filled))[0]
    assert "Demodata" in first_page


def test_projects_active_in_the_rounds_period_are_shown_and_older_ones_left_out(filled):
    from analysis.models import Project

    html = render_report_html(filled, for_pdf=True)
    assert "Bo trygt 0" in html
    assert "Avsluttet prosjekt fra før" not in html
    round_ = filled.round
    for project in Project.objects.filter(municipality=filled.municipality):
        shown = project.name in html
        assert shown == project.is_active_between(round_.opens_on, round_.closes_on)


def test_the_user_organisations_view_is_shown_beside_the_municipalitys(filled):
    html = render_report_html(filled, for_pdf=True)
    assert "Brukerorganisasjonens syn" in html
    assert "Leieboerforeningen" in html and "Vi vil bli spurt tidligere." in html


def test_without_a_user_organisation_the_section_is_left_out(analysis, rules):
    from tests.reports.conftest import fill

    fill(analysis, with_users=False)
    html = render_report_html(analysis, for_pdf=True)
    assert "Brukerorganisasjonens syn" not in html


def test_responsibility_gaps_are_highlighted(filled):
    html = render_report_html(filled, for_pdf=True)
    assert "Ingen eier" in html and "Flere eiere" in html
    assert 'class="gap-row"' in html


def test_an_analysis_not_approved_carries_the_draft_mark_on_every_page(filled_pdf):
    pages = page_texts(filled_pdf)
    assert all("UTKAST – ikke godkjent" in text for text in pages)


def test_an_approved_analysis_carries_no_draft_mark(filled):
    Analysis.objects.filter(pk=filled.pk).update(status="approved")
    filled.refresh_from_db()
    text = pdf_text(render_report_pdf(filled))
    assert "UTKAST" not in text


def test_the_pdf_opens_with_main_findings_in_prose_with_numbers_as_words(filled_pdf):
    pages = [squeeze(text) for text in page_texts(filled_pdf)]
    findings = next(text for text in pages[2:] if "Hovedfunn" in text)
    assert "Kommunen vurderer seg i snitt til 2,2 av 5" in findings
    assert "svakest på «Brukermedvirkning» (1)" in findings
    assert "Analysen gir åtte anbefalinger; den viktigste: Lag en boligpolitisk plan" in findings
    assert "Tiltaksplanen har to tiltak. Alle er fortsatt åpne." in findings
