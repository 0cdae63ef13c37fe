"""A report a municipal council can use, read back from the PDF with poppler's pdftotext: the
main findings, the plan, the proposed decision, the method and its sources, a cover that says
who approved the analysis, one written form throughout, and headings that break with a hyphen
or not at all."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from analysis.models import Analysis, AnalysisStatus, SectionAssignment, StatusChange, Unit
from factors.models import FactorAssessment
from plans import selectors as plans
from plans.models import DecisionProposal
from reference.models import LanguageForm, Municipality, Section, SuccessFactor
from reports.selectors import report_context
from reports.services import render_report_html, render_report_pdf
from tests.factories import make_user, open_year
from tests.pdf_text import page_texts, pdf_text, squeeze
from tests.reports.conftest import filled_fauske, rolled_back

pytestmark = pytest.mark.django_db

APPROVED_ON = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)


def council_ready(*, nynorsk: bool = False) -> Analysis:
    """Fauske filled (inside `rolled_back`), with two earlier rounds of scores, a unit given a
    section, a proposed decision from the draft, and approved by the region's adviser."""
    analysis = filled_fauske()
    if nynorsk:
        Municipality.objects.filter(pk=analysis.municipality_id).update(
            language_form=LanguageForm.NYNORSK
        )
    for year, scores in ((2024, (1, 1, 2, 2, 3, 1)), (2025, (1, 2, 2, None, 4, 1))):
        earlier = Analysis.objects.get(round=open_year(year), municipality=analysis.municipality)
        for factor, score in zip(SuccessFactor.objects.order_by("number"), scores, strict=True):
            FactorAssessment.objects.create(analysis=earlier, factor=factor, score=score)
    planner = make_user("planlegger", role=Role.EDITOR, municipality="1841")
    adviser = make_user(
        "radgiver",
        role=Role.ADVISER,
        region="Statsforvalteren i Nordland",
        first_name="Rita",
        last_name="Rådgiver",
    )
    SectionAssignment.objects.create(
        analysis=analysis,
        section=Section.objects.filter(questionnaire=analysis.round.questionnaire).first(),
        unit=Unit.objects.create(municipality=analysis.municipality, name="Eiendomsforvaltningen"),
    )
    analysis = Analysis.objects.select_related("municipality", "round").get(pk=analysis.pk)
    DecisionProposal.objects.create(
        analysis=analysis, text=plans.decision_draft(analysis), updated_by=planner
    )
    for before, after, who, when in (
        (
            AnalysisStatus.IN_PROGRESS,
            AnalysisStatus.SUBMITTED,
            planner,
            APPROVED_ON.replace(day=10),
        ),
        (AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED, adviser, APPROVED_ON),
    ):
        StatusChange.objects.create(
            analysis=analysis, from_status=before, to_status=after, changed_by=who, changed_at=when
        )
    Analysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.APPROVED,
        submitted_at=APPROVED_ON.replace(day=10),
        approved_at=APPROVED_ON,
    )
    return Analysis.objects.get(pk=analysis.pk)


@pytest.fixture(scope="module")
def council_pdf(django_db_setup, django_db_blocker) -> bytes:
    """The approved analysis in bokmål, laid out once for the tests that only read it."""
    with rolled_back(django_db_blocker):
        return render_report_pdf(council_ready())


@pytest.fixture(scope="module")
def nynorsk_pdf(django_db_setup, django_db_blocker) -> bytes:
    """The same for a nynorsk municipality, in its own written form (the default)."""
    with rolled_back(django_db_blocker):
        return render_report_pdf(council_ready(nynorsk=True))


def test_the_pdf_holds_main_findings_the_plan_the_proposed_decision_and_the_method(
    council_pdf,
):
    text = pdf_text(council_pdf, order="reading")
    contents = squeeze(page_texts(council_pdf, order="reading")[1])
    for chapter in ("Hovedfunn", "Tiltaksplan", "Forslag til vedtak", "Metode og bakgrunn"):
        assert chapter in contents
        assert re.search(rf"^{chapter}$", text, re.M), f"no chapter heading {chapter}"
    flat = squeeze(text)
    assert "1. Kommunestyret tar «Foranalyse 2026» for Fauske kommune til orientering." in flat
    assert "2. Kommunestyret slutter seg til tiltaksplanen med to tiltak" in flat
    # In order: the findings first, the plan, the decision, the method, then the appendix.
    order = [
        text.index("\nHovedfunn\n"),
        text.index("\nTiltaksplan\n"),
        text.index("\nForslag til vedtak\n"),
        text.index("\nMetode og bakgrunn\n"),
        text.index("\nVedlegg: alle svar\n"),
    ]
    assert order == sorted(order)


def test_the_method_says_who_took_part_when_which_edition_and_what_it_rests_on(
    council_pdf,
):
    text = squeeze(pdf_text(council_pdf, order="reading"))
    start = text.index("Metode og bakgrunn Foranalysen er")
    method = text[start : text.index("Vedlegg: alle svar", start)]
    assert "Eiendomsforvaltningen, Helse og omsorg, NAV-kontoret" in method
    assert "Ga sitt syn: Leieboerforeningen." in method
    assert "Foranalyse 2026, åpen fra 1. januar 2026 til 31. desember 2026" in method
    assert "Sendt inn 10. november 2026" in method
    assert "20. november 2026, av Rita Rådgiver, Statsforvalteren i Nordland" in method
    assert "spørreskjemaet Boligsosial oversikt – foranalyse, 1. utgave." in method
    # The sources stored with the questions and the factors, shown at last.
    assert "Husbanken: «Boligsosial oversikt»" in method
    assert "NOU 2011:15 «Rom for alle»" in method and "«Bolig for velferd»" in method
    assert "(8 spørsmål)" in method
    # Nobody takes the 1–5 scale for an official one.
    assert (
        "Modenhetsskalaen fra 1 til 5 er dette verktøyets egen skala, ikke en offisiell" in method
    )
    assert "verken Husbanken eller noe annet offentlig organ har fastsatt den" in method


def test_the_cover_says_who_approved_the_analysis_and_when_and_carries_no_draft_mark(
    council_pdf,
):
    text = pdf_text(council_pdf, order="reading")
    cover = squeeze(page_texts(council_pdf, order="reading")[0])
    assert "Kommune Fauske – Fuossko" in cover
    assert "Status Godkjent" in cover
    assert (
        "Godkjenning Godkjent av Rita Rådgiver, Statsforvalteren i Nordland, 20. november 2026"
        in (cover)
    )
    assert "Versjon" not in cover
    assert "UTKAST" not in text


def test_a_nynorsk_report_is_nynorsk_on_its_cover_and_in_the_new_chapters(nynorsk_pdf):
    text = pdf_text(nynorsk_pdf, order="reading")
    cover = squeeze(page_texts(nynorsk_pdf, order="reading")[0])
    # The title as stored (in bokmål, or in nynorsk where the reference data has it), with
    # the edition once, in nynorsk.
    assert re.search(r"Spørjeskjema (Bolig|Bustad)sosial oversikt – foranalyse, 1\. utgåve", cover)
    assert "utgave" not in cover and "1. utgåve, 1. utgåve" not in cover
    assert "Godkjend av Rita Rådgiver, Statsforvalteren i Nordland, 20. november 2026" in cover
    flat = squeeze(text)
    decision = flat[
        flat.index("Framlegg til vedtak 1.") : flat.index("Metode og bakgrunn Foranalysen")
    ]
    assert "1. Kommunestyret tek «Foranalyse 2026» for Fauske kommune til orientering." in decision
    assert "Kommunestyret sluttar seg til tiltaksplanen med to tiltak: eitt med høg prioritet" in (
        decision
    )
    start = flat.index("Metode og bakgrunn Foranalysen")
    method = flat[start : flat.index("Vedlegg: alle svar", start)]
    assert "Modningsskalaen frå 1 til 5" in method and "ikkje ein offisiell skala" in method
    # The sources too: titles as they were published, the words around them in nynorsk.
    assert "(tilrådingane)" in method
    own = cover + decision + method
    for bokmal in (
        "anbefalingene",
        "utgave",
        "ikke",
        "ennå",
        "Forslag",
        "Godkjent",
        "Sist endret",
        "Hvem",
        "Enheter",
        "bygger",
        "Spørsmålene",
        " tar ",
        "slutter",
        "tiltakene",
    ):
        assert bokmal not in own, bokmal


def test_column_headings_break_with_a_hyphen_or_not_at_all(council_pdf):
    """table-layout: fixed gives "Møtehyppighet" and "Brukerorganisasjon" narrow columns; the
    document's language (lang="nb") and `hyphens: auto` split them where Norwegian does."""
    text = pdf_text(council_pdf, order="reading")
    for word in ("Møtehyppighet", "Brukerorganisasjon"):
        joined = re.sub(r"[‐-]\n", "", text)
        assert word in joined
        for line in text.splitlines():
            last = line.strip().split(" ")[-1] if line.strip() else ""
            if len(last) >= 4 and word.startswith(last) and last != word:
                pytest.fail(f"{word!r} broken without a hyphen after {last!r}")


def test_the_pdf_with_the_new_chapters_passes_an_independent_pdf_ua_check(council_pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(council_pdf)
    result = subprocess.run(  # noqa: S603 (our own interpreter, our own file)
        [sys.executable, "-m", "pdfua", "check", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert "errors=0 warnings=0" in result.stdout


# --- The page -----------------------------------------------------------------------------------


def test_without_a_proposal_the_report_says_so_and_offers_editors_to_write_one(client_for, filled):
    write = reverse("plans:decision_proposal", args=[filled.pk])
    page = client_for("planner").get(reverse("reports:report", args=[filled.pk])).text
    assert "Det er ikke skrevet noe forslag til vedtak for denne rapporten." in page
    assert write in page
    for persona in ("reader", "adviser"):
        page = client_for(persona).get(reverse("reports:report", args=[filled.pk])).text
        assert "Det er ikke skrevet noe forslag til vedtak for denne rapporten." in page
        assert write not in page


def test_the_pdf_html_sets_its_language_and_prints_the_proposal_as_written(filled, planner):
    DecisionProposal.objects.create(
        analysis=filled, text="1. Kommunestyret tar saken til orientering.", updated_by=planner
    )
    with translation.override("nn"):
        html = render_report_html(filled, for_pdf=True)
    assert '<html lang="nn">' in html
    assert '<section id="decision"' in html
    assert "1. Kommunestyret tar saken til orientering." in html


def test_the_edition_is_said_once_in_the_reports_language(filled):
    """Whatever language the title itself is stored in (bokmål only, or each language with
    its own "1. utgave", "1. utgåve", "1st edition"), the label names the edition once, in
    the report's language."""
    context = report_context(filled)
    expected = {"nb": "1. utgave", "nn": "1. utgåve", "en": "1. edition"}
    for language, edition in expected.items():
        with translation.override(language):
            label = context.questionnaire_label
        assert label.endswith(f", {edition}")
        assert label.count(edition) == 1
        others = [e for lang, e in expected.items() if lang != language]
        assert not any(other in label for other in others), label
        assert "1st edition" not in label


def test_an_unsent_analysis_is_neither_submitted_nor_approved_in_the_method(filled):
    context = report_context(filled)
    assert (context.submission, context.approval) == (None, None)
    # Sent back after an approval: the old approval is not shown as if it stood.
    StatusChange.objects.create(
        analysis=filled,
        from_status=AnalysisStatus.SUBMITTED,
        to_status=AnalysisStatus.APPROVED,
        changed_at=timezone.now(),
    )
    Analysis.objects.filter(pk=filled.pk).update(status=AnalysisStatus.SENT_BACK)
    context = report_context(Analysis.objects.get(pk=filled.pk))
    assert context.approval is None


def test_a_recommendations_source_is_cited_in_the_reports_language():
    """The rules' citations in nynorsk and English too: "frå NOU", not "fra NOU"."""
    from django.utils import translation

    from reports.management.commands.load_recommendation_rules import (
        load_recommendation_rules,
    )
    from reports.models import RecommendationRule

    load_recommendation_rules()
    rule = RecommendationRule.objects.get(key="boligpolitisk-plan")
    with translation.override("nn"):
        assert "«Overordna strategi», frå NOU 2011:15" in rule.localized_source
    with translation.override("en"):
        assert "«Overall strategy», from NOU 2011:15" in rule.localized_source
    with translation.override("nb"):
        assert "«Overordnet strategi», fra NOU 2011:15" in rule.localized_source
