"""The adviser's regional overview, the national view, and their exports."""

import datetime
import io
from html.parser import HTMLParser

import pandas as pd
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from analysis.models import Analysis, AnalysisStatus
from analysis.selectors.core import current_round
from analysis.selectors.progress import overall_percent, section_progress
from analysis.services import workflow
from analysis.services.rounds import open_round
from keyfigures.models import Indicator, IndicatorAggregateValue, IndicatorValue
from overview.selectors.table import norwegian_sort_key
from reference.models import County, Municipality, Region
from tests import module_data
from tests.factories import analysis_of, score

pytestmark = pytest.mark.django_db

FACTORS = [
    "Forankring og eierskap",
    "Overordnet strategi",
    "Organisering og samordning",
    "Økonomiske ressurser",
    "Kompetanse",
    "Brukermedvirkning",
]


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """This round and the personas, made once for the module's tests (each test's own changes
    are rolled back before the next, tests/module_data.py). The overview before any round has
    opened is tested in test_before_any_round.py."""
    with module_data.made_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        yield module_data.usual_world()


@pytest.fixture
def analysis(made_once, db):
    return Analysis.objects.get(pk=made_once.analysis)


@pytest.fixture
def round_(analysis):
    return analysis.round


@pytest.fixture
def personas(made_once, db):
    return module_data.personas()


@pytest.fixture
def planner(personas):
    return personas["planner"]


@pytest.fixture
def adviser(personas):
    return personas["adviser"]


@pytest.fixture
def nordland():
    return Region.objects.get(name="Statsforvalteren i Nordland")


@pytest.fixture
def earlier_round(round_):
    """Last year's round: the overview of round_ shows the change since this one."""
    return open_round(
        year=2025,
        title="Foranalyse 2025",
        questionnaire=round_.questionnaire,
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 12, 31),
    )


def overview(client, region, **params):
    return client.get(reverse("overview:region", args=[region.pk]), params)


def export(client, region, fmt, **params):
    return client.get(reverse("overview:region_export", args=[region.pk, fmt]), params)


def key_figure(code, number, year, value=None, missing=""):
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        municipality=Municipality.objects.get(number=number),
        year=year,
        value=value,
        missing_reason=missing,
    )


def table_body(response) -> str:
    return response.text.split("<tbody>")[1].split("</tbody>")[0]


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "adviser": 200,
        "administrator": 200,
        "outside_adviser": 404,
        "planner": 404,
        "reader": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_overview_and_exports_answer_each_persona_as_designed(
    client_for, round_, nordland, persona, status
):
    client = client_for(persona)
    page = overview(client, nordland)
    assert page.status_code == status
    if status == 200:
        assert {r.municipality.number for r in page.context["rows"]} == set(
            Municipality.objects.filter(county__region=nordland).values_list("number", flat=True)
        )
    for fmt in ["csv", "xlsx"]:
        response = export(client, nordland, fmt)
        assert response.status_code == status
        if status == 200:
            assert f"oversikt-{nordland.pk}-2026.{fmt}" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "administrator": 200,
        "adviser": 404,
        "outside_adviser": 404,
        "planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_national_view_and_its_exports_are_for_administrators(client_for, round_, persona, status):
    client = client_for(persona)
    assert client.get(reverse("overview:national")).status_code == status
    for fmt in ["csv", "xlsx"]:
        assert client.get(reverse("overview:national_export", args=[fmt])).status_code == status


def test_an_unknown_export_format_is_404(client_for, round_, nordland):
    assert export(client_for("adviser"), nordland, "pdf").status_code == 404


# --- What the table shows ----------------------------------------------------------------------


def test_overview_shows_status_progress_scores_and_change(
    client_for, round_, earlier_round, nordland
):
    score(analysis_of(earlier_round, "1841"), [2, 2, 3, 2, 3, 1])
    fauske = analysis_of(round_, "1841")
    score(fauske, [4, 2, 1, 2, 3, None])
    response = overview(client_for("adviser"), nordland)
    row = next(r for r in response.context["rows"] if r.municipality.number == "1841")
    assert row.scores == {1: 4, 2: 2, 3: 1, 4: 2, 5: 3, 6: None}
    assert row.changes == {1: 2, 2: 0, 3: -2, 4: 0, 5: 0, 6: None}
    assert "▲+2" in response.text and "endring +2 siden forrige runde" in response.text
    assert "▼-2" in response.text and "endring -2 siden forrige runde" in response.text
    # "unchanged" is shown and said, so it is not mistaken for "no previous score"
    assert "±0" in response.text and "uendret siden forrige runde" in response.text
    assert "endring sammenlignet med Foranalyse 2025" in response.text


def test_a_score_without_a_previous_one_shows_no_change(client_for, round_, nordland):
    score(analysis_of(round_, "1841"), [3, 3, 3, 3, 3, 3])
    response = overview(client_for("adviser"), nordland)
    body = table_body(response)
    assert "<strong>3</strong>" in body
    assert "±0" not in body and "▲" not in body and "siden forrige runde" not in body


def test_sorting_by_name_follows_the_norwegian_alphabet(client_for, round_, nordland):
    rows = overview(client_for("adviser"), nordland, sort="name").context["rows"]
    names = [r.municipality.name for r in rows]
    # a–z, then æ, ø, å: Vågan and Værøy come after every plain V-name, Værøy before Vågan
    assert names.index("Vevelstad") < names.index("Værøy") < names.index("Vågan")
    assert names == sorted(names, key=norwegian_sort_key)
    assert sorted(["Å", "Ø", "Æ", "Z", "A"], key=norwegian_sort_key) == ["A", "Z", "Æ", "Ø", "Å"]


def test_sorting_by_status_follows_the_workflow(client_for, round_, nordland):
    for number, status in [
        ("1841", AnalysisStatus.APPROVED),
        ("1824", AnalysisStatus.IN_PROGRESS),
        ("1870", AnalysisStatus.SUBMITTED),
        ("1865", AnalysisStatus.SENT_BACK),
    ]:
        Analysis.objects.filter(round=round_, municipality__number=number).update(status=status)
    rows = overview(client_for("adviser"), nordland, sort="status", dir="desc").context["rows"]
    assert [r.status for r in rows[:4]] == [
        "approved",
        "sent_back",
        "submitted",
        "in_progress",
    ]


def test_overview_sorts_filters_and_searches(client_for, round_, analysis, nordland):
    score(analysis, [5, 5, 5, 5, 5, 5])
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    client = client_for("adviser")
    rows = overview(client, nordland, sort="f1", dir="desc").context["rows"]
    assert rows[0].municipality.name == "Fauske"
    rows = overview(client, nordland, status="in_progress").context["rows"]
    assert [r.municipality.number for r in rows] == ["1841"]
    assert [
        r.municipality.number for r in overview(client, nordland, q="fuossko").context["rows"]
    ] == ["1841"]
    assert len(overview(client, nordland, q="1841").context["rows"]) == 1
    neutral = overview(client, nordland, malform="nøytral").context["rows"]
    assert neutral and all(r.municipality.language_form == "nøytral" for r in neutral)
    assert "1841" not in {r.municipality.number for r in neutral}  # Fauske writes bokmål


def test_the_county_filter_keeps_exactly_that_countys_municipalities(client_for, round_):
    troms_og_finnmark = Region.objects.get(name="Statsforvalteren i Troms og Finnmark")
    troms = County.objects.get(number="55", region=troms_og_finnmark)
    client = client_for("outside_adviser")  # the adviser in Troms og Finnmark
    region_numbers = {
        r.municipality.number for r in overview(client, troms_og_finnmark).context["rows"]
    }
    rows = overview(client, troms_og_finnmark, county=troms.number).context["rows"]
    numbers = {r.municipality.number for r in rows}
    assert numbers == set(
        Municipality.objects.filter(county=troms, valid_to__isnull=True).values_list(
            "number", flat=True
        )
    )
    # The region's other county, Finnmark, is left out; Troms alone is a real part of it.
    assert Municipality.objects.filter(number="5601").exists()  # Alta, Finnmark
    assert "5601" in region_numbers and "5601" not in numbers
    assert 0 < len(numbers) < len(region_numbers)


def test_an_invalid_filter_says_so_instead_of_silently_showing_everything(
    client_for, round_, nordland
):
    response = overview(client_for("adviser"), nordland, status="bogus")
    assert response.status_code == 200
    assert response.context["filters_invalid"]
    assert "Filteret kunne ikke brukes" in response.text
    assert "bogus" in response.text  # Django names the value it did not accept


def test_an_invalid_filter_exports_nothing_and_says_why(client_for, round_, nordland):
    response = export(client_for("adviser"), nordland, "csv", status="bogus")
    assert response.status_code == 302
    assert "Filteret er ikke gyldig" in messages_of(response)[0]


def test_the_round_selector_keeps_the_current_filters_and_sorting(client_for, round_, nordland):
    response = overview(client_for("adviser"), nordland, q="Fau", status="in_progress", sort="f2")
    round_form = response.text.split('aria-label="Velg runde"')[1].split("</form>")[0]
    for name, value in [("q", "Fau"), ("status", "in_progress"), ("sort", "f2")]:
        assert f'name="{name}" value="{value}"' in round_form


def test_the_filter_form_keeps_the_sorting(client_for, round_, nordland):
    response = overview(client_for("adviser"), nordland, sort="f2", dir="desc")
    filter_form = response.text.split('aria-label="Filtrer oversikten"')[1].split("</form>")[0]
    assert 'name="sort" value="f2"' in filter_form
    assert 'name="dir" value="desc"' in filter_form


def test_sort_links_keep_the_filters(client_for, round_, nordland):
    response = overview(client_for("adviser"), nordland, status="in_progress", sort="f2")
    assert "?status=in_progress&amp;sort=name&amp;dir=asc" in response.text


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_municipalities_without_scores_sort_last_in_either_direction(
    client_for, round_, nordland, direction
):
    score(analysis_of(round_, "1841"), [2, 2, 2, 2, 2, 2])
    score(analysis_of(round_, "1824"), [4, 4, 4, 4, 4, 4])
    rows = overview(client_for("adviser"), nordland, sort="f1", dir=direction).context["rows"]
    scored = ["1841", "1824"] if direction == "asc" else ["1824", "1841"]
    assert [r.municipality.number for r in rows[:2]] == scored
    assert all(r.scores[1] is None for r in rows[2:])
    # The unscored keep municipality-number order, whichever way the column is sorted.
    rest = [r.municipality.number for r in rows[2:]]
    assert rest == sorted(rest)


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_municipalities_without_a_key_figure_sort_last_in_either_direction(
    client_for, round_, nordland, direction
):
    key_figure("startlan-per-1000", "1841", 2023, 3.5)
    key_figure("startlan-per-1000", "1824", 2023, 7)
    key_figure("startlan-per-1000", "1833", 2023, missing="not_available")
    rows = overview(
        client_for("adviser"), nordland, sort="kf-startlan-per-1000", dir=direction
    ).context["rows"]
    first = ["1841", "1824"] if direction == "asc" else ["1824", "1841"]
    assert [r.municipality.number for r in rows[:2]] == first
    assert "1833" in [r.municipality.number for r in rows[2:]]


# "²" and "٢٠٢٦" are digits to str.isdigit() (and the second to int()), not a year (issue 11).
@pytest.mark.parametrize("year", ["1999", "abc", "²", "٢٠٢٦", "9" * 30])
def test_an_unknown_round_redirects_to_the_current_one_with_a_message(
    client_for, round_, nordland, year
):
    client = client_for("adviser")
    response = overview(client, nordland, runde=year, q="Fauske")
    assert response.status_code == 302
    assert response.url == reverse("overview:region", args=[nordland.pk]) + "?q=Fauske"
    assert messages_of(response) == [
        f"Det finnes ingen runde for {year[:10]}. Viser gjeldende runde i stedet."
    ]
    page = client.get(response.url)
    assert page.context["round"] == round_


def next_years_round(round_):
    """Next year's round, prepared before its first day."""
    return open_round(
        year=round_.year + 1,
        title=f"Foranalyse {round_.year + 1}",
        questionnaire=round_.questionnaire,
        opens_on=datetime.date(round_.year + 1, 1, 1),
        closes_on=datetime.date(round_.year + 1, 12, 31),
    )


def test_a_round_not_yet_open_is_not_the_current_one(client_for, round_, earlier_round, nordland):
    later = next_years_round(round_)
    response = overview(client_for("adviser"), nordland)
    assert response.context["round"] == round_ == current_round()
    assert response.context["previous_round"] == earlier_round
    assert response.context["rounds"] == [later, round_, earlier_round]


@pytest.mark.parametrize(
    "url", ["overview:region_profile", "overview:region_export", "overview:national_export"]
)
def test_a_round_in_non_ascii_digits_is_unknown_everywhere(client_for, round_, nordland, url):
    args = {
        "overview:region_profile": [nordland.pk],
        "overview:region_export": [nordland.pk, "csv"],
        "overview:national_export": ["csv"],
    }[url]
    response = client_for("administrator").get(reverse(url, args=args), {"runde": "²"})
    assert response.status_code == 302
    assert "ingen runde for ²" in messages_of(response)[0]


def test_an_export_with_an_unknown_round_sends_no_file_and_says_why(client_for, round_, nordland):
    response = export(client_for("adviser"), nordland, "xlsx", runde="1999")
    assert response.status_code == 302
    assert "Content-Disposition" not in response
    assert "ingen runde for 1999" in messages_of(response)[0]
    national = client_for("administrator").get(
        reverse("overview:national_export", args=["csv"]), {"runde": "1999"}
    )
    assert national.status_code == 302 and national.url == reverse("overview:national")


def test_the_overview_links_to_the_factor_profile(client_for, round_, nordland):
    response = overview(client_for("adviser"), nordland)
    assert f"{reverse('overview:region_profile', args=[nordland.pk])}?runde=2026" in response.text


def test_decisions_show_as_last_activity_by_the_adviser(
    client_for, round_, analysis, adviser, nordland
):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    workflow.approve_analysis(analysis=analysis, by=adviser)
    row = next(
        r
        for r in overview(client_for("adviser"), nordland).context["rows"]
        if r.municipality.number == "1841"
    )
    assert row.analysis.last_activity_by == "adviser"


# --- Key figures -----------------------------------------------------------------------------


def test_key_figures_show_the_latest_value_and_hide_small_counts(client_for, round_, nordland):
    key_figure("midlertidig-botilbud", "1841", 2022, 9)
    key_figure("midlertidig-botilbud", "1841", 2023, 2)  # under 3: could identify people
    key_figure("midlertidig-botilbud", "1824", 2023, 7)
    key_figure("kommunale-boliger-per-1000", "1841", 2023, "22.6")
    response = overview(client_for("adviser"), nordland, q="1841")
    names = [i.name_nb for i, _key, _year in response.context["figure_columns"]]
    # only key figures with values get a column; start loans have none here
    assert names == [
        "Kommunalt disponerte boliger per 1000 innbyggere",
        "Husstander i midlertidig botilbud",
    ]
    (row,) = response.context["rows"]
    assert [f.display for f in row.figures] == ["22,6", "under 3"]
    assert ">under 3<span" in table_body(response)
    assert ">2<" not in table_body(response)


def test_sorting_by_a_small_count_reveals_nothing(client_for, round_, nordland):
    key_figure("midlertidig-botilbud", "1841", 2023, 2)
    key_figure("midlertidig-botilbud", "1824", 2023, 1)
    rows = overview(client_for("adviser"), nordland, sort="kf-midlertidig-botilbud").context["rows"]
    with_values = [r.municipality.number for r in rows if r.figures[0].year]
    assert with_values == ["1824", "1841"]  # both "under 3": municipality-number order
    rows = overview(
        client_for("adviser"), nordland, sort="kf-midlertidig-botilbud", dir="desc"
    ).context["rows"]
    assert [r.municipality.number for r in rows if r.figures[0].year] == ["1824", "1841"]


def official(code, county_number, year, value):
    """A county's (or, with None, the country's) figure as a statistics file publishes it."""
    IndicatorAggregateValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        county=County.objects.get(number=county_number) if county_number else None,
        year=year,
        value=value,
    )


def table_foot(response) -> str:
    return response.text.split("<tfoot")[1].split("</tfoot>")[0].replace("\xa0", " ")


def test_key_figures_are_compared_with_the_county_and_the_country_for_the_same_year(
    client_for, round_, nordland
):
    key_figure("midlertidig-botilbud", "1841", 2023, 9)
    key_figure("midlertidig-botilbud", "1824", 2022, 7)  # Vefsn has nothing newer
    official("midlertidig-botilbud", "18", 2022, 480)  # another year: not compared
    official("midlertidig-botilbud", "18", 2023, 512)
    official("midlertidig-botilbud", None, 2023, 4216)
    response = overview(client_for("adviser"), nordland)
    foot = table_foot(response)
    assert '<th scope="row" colspan="12" class="text-end">Nordland fylke</th>' in foot
    assert '<th scope="row" colspan="12" class="text-end">Hele landet</th>' in foot
    assert ">512<" in foot and ">4 216<" in foot and "480" not in foot
    # The heading says which year the county and the country are for; an older year is
    # said in the municipality's own cell.
    assert [year for _i, _key, year in response.context["figure_columns"]] == [2023]
    vefsn = table_body(response).split(">Vefsn<")[1].split("</tr>")[0]
    assert "7 <span" in vefsn and "(2022)" in vefsn


def test_the_kostra_groups_of_the_municipalities_shown_are_compared_too(
    client_for, round_, nordland
):
    from keyfigures.models import KostraGroup, KostraGroupMembership

    key_figure("midlertidig-botilbud", "1841", 2023, 9)
    official("midlertidig-botilbud", None, 2023, 4216)
    indicator = Indicator.objects.get(code="midlertidig-botilbud")
    groups = {}
    for code, number, value in [("EKG07", "1841", 130), ("EKG13", "0301", 2000)]:
        groups[code] = KostraGroup.objects.create(code=code, name=f"Kostragruppe {code[3:]}")
        KostraGroupMembership.objects.create(
            municipality=Municipality.objects.get(number=number),
            year=2020,
            group=groups[code],
            source="test",
        )
        IndicatorAggregateValue.objects.create(
            indicator=indicator, kostra_group=groups[code], year=2023, value=value
        )

    foot = table_foot(overview(client_for("adviser"), nordland))

    # Fauske's group, above the country; Oslo's group is no Nordland municipality's.
    assert "Kostragruppe 07 (KOSTRA-gruppe)</th>" in foot and ">130<" in foot
    assert "Kostragruppe 13" not in foot and "2 000" not in foot
    assert foot.index("Kostragruppe 07") < foot.index("Hele landet")
    assert ">4 216<" in foot


def test_a_county_or_country_count_under_3_is_shown_as_under_3(client_for, round_, nordland):
    key_figure("midlertidig-botilbud", "1841", 2023, 9)
    official("midlertidig-botilbud", "18", 2023, 2)
    official("midlertidig-botilbud", None, 2023, 1)
    foot = table_foot(overview(client_for("adviser"), nordland))
    assert foot.count(">under 3<") == 2
    assert ">2<" not in foot and ">1<" not in foot


def test_without_official_figures_the_county_line_says_how_many_municipalities_have_one(
    client_for, round_, nordland
):
    key_figure("kommunale-boliger-per-1000", "1841", 2023, "22.6")
    key_figure("kommunale-boliger-per-1000", "1824", 2023, "18.0")
    foot = table_foot(overview(client_for("adviser"), nordland))
    # Not a weighted mean of two: it would pass for the county's figure.
    assert ">2 av 41 kommuner<" in foot
    assert "Hele landet" in foot


def test_each_key_figure_links_to_the_trend_on_the_municipality_key_figures_page(
    client_for, round_, nordland
):
    key_figure("midlertidig-botilbud", "1841", 2022, 7)
    key_figure("midlertidig-botilbud", "1841", 2023, 9)
    client = client_for("adviser")
    fauske = table_body(overview(client, nordland)).split(">Fauske")[1].split("</tr>")[0]
    url = reverse("analysis:key_figures", args=[analysis_of(round_, "1841").pk])
    assert f'<a href="{url}#trend-midlertidig-botilbud">9<span class="visually-hidden">' in fauske
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="trend-midlertidig-botilbud"' in page.text


def national_pages(client, **params) -> list[str]:
    """Every page of the national view, first to last, following its own "next" links."""
    texts = []
    while True:
        response = client.get(reverse("overview:national"), params)
        assert response.status_code == 200
        texts.append(response.text)
        page = response.context["page"]
        if not page.has_next():
            return texts
        params = {**params, "side": page.next_page_number()}
        assert f"side={params['side']}" in response.text  # the link a person follows


def region_section(text: str, region: str) -> str:
    """The first of the region's sections (headed by its name) in the national view's HTML."""
    sections = [s.split("</section>")[0] for s in text.split('<section aria-labelledby="region-')]
    return next(s for s in sections[1:] if f">{region}</a>" in s.split("</h2>")[0])


def test_the_national_view_shows_each_region_its_own_counties(client_for, round_):
    key_figure("midlertidig-botilbud", "1841", 2023, 9)
    key_figure("midlertidig-botilbud", "0301", 2023, 400)
    text = "".join(national_pages(client_for("administrator")))
    nordland_section = region_section(text, "Statsforvalteren i Nordland")
    oslo_section = region_section(text, "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus")
    assert "Nordland fylke" in nordland_section and "Oslo fylke" not in nordland_section
    assert "Oslo fylke" in oslo_section and "Nordland fylke" not in oslo_section
    assert "Hele landet" in nordland_section and "Hele landet" in oslo_section


def test_a_county_without_any_figure_gets_no_line_of_zeros(client_for, round_):
    key_figure("midlertidig-botilbud", "1841", 2023, 9)
    text = "".join(national_pages(client_for("administrator")))
    vestland = region_section(text, "Statsforvaltaren i Vestland")
    assert "Vestland fylke" not in vestland and "0 av " not in vestland
    assert "Hele landet" in vestland
    nordland_section = region_section(text, "Statsforvalteren i Nordland")
    assert "Nordland fylke" in nordland_section


def test_demo_key_figures_are_called_fictitious_on_the_overview(client_for, round_, nordland):
    client = client_for("adviser")
    key_figure("midlertidig-botilbud", "1841", 2023, 9)
    assert "Fiktive tall." not in overview(client, nordland).text
    IndicatorValue.objects.update(source_file="demo-fiktive-tall-nokkeltall.csv")
    assert "Fiktive tall." in overview(client, nordland).text
    assert "Fiktive tall." in client_for("administrator").get(reverse("overview:national")).text


def test_the_export_has_one_row_per_municipality_and_no_comparison_lines(
    client_for, round_, nordland
):
    key_figure("midlertidig-botilbud", "1841", 2023, 9)
    official("midlertidig-botilbud", None, 2023, 4216)
    frame = read_export(export(client_for("adviser"), nordland, "csv").content, "csv")
    assert len(frame) == Municipality.objects.filter(county__region=nordland).count()
    assert "Hele landet" not in frame.to_string()


# --- Query counts ------------------------------------------------------------------------------


def _fill(round_, municipalities, scores):
    for analysis in Analysis.objects.filter(round=round_, municipality__in=municipalities):
        score(analysis, scores)


@pytest.mark.parametrize("filled", [1, 30])
def test_overview_with_two_rounds_runs_a_fixed_number_of_queries(
    client_for, round_, earlier_round, nordland, filled, django_assert_num_queries
):
    municipalities = Municipality.objects.filter(county__region=nordland)[:filled]
    _fill(earlier_round, municipalities, [2, 2, 2, 2, 2, 2])
    _fill(round_, municipalities, [3, 3, 3, 3, 3, 3])
    for m in municipalities:
        key_figure("midlertidig-botilbud", m.number, 2023, 5)
    client = client_for("adviser")
    overview(client, nordland)
    # session, user, memberships (the region among them, access), rounds (the current and
    # the previous one among them), counties (filter form); municipalities, analyses (+ last
    # actor and every count of the progress column); factors, the scores of both rounds; the
    # key figures' version (keyfigures/versions.py: the indicators, key figures, the
    # municipalities' KOSTRA groups and the county, group and country lines under the key
    # figures were read on the first visit for this version, 6 queries).
    # (32 before issue 16's cache, 27 before the progress came with the analyses, 11 before
    # the region came with the memberships.)
    with django_assert_num_queries(10):
        response = overview(client, nordland)
    assert response.context["previous_round"] == earlier_round
    assert sum(1 for r in response.context["rows"] if r.previous) == filled


@pytest.mark.parametrize("filled", [2, 60])
def test_national_view_with_two_rounds_runs_a_fixed_number_of_queries(
    client_for, round_, earlier_round, filled, django_assert_num_queries
):
    municipalities = Municipality.objects.order_by("number")[:filled]
    _fill(earlier_round, municipalities, [2, 2, 2, 2, 2, 2])
    _fill(round_, municipalities, [4, 4, 4, 4, 4, 4])
    for m in municipalities:
        key_figure("midlertidig-botilbud", m.number, 2023, 5)
    client = client_for("administrator")
    client.get(reverse("overview:national"))
    # session, user, memberships, rounds, counties (filter form); the overview queries as
    # for a region (municipalities … the key figures' version, whose figures and comparison
    # lines were read on the first visit); regions (grouping).
    # (32 before issue 16's cache, 27 before the progress came with the analyses.)
    with django_assert_num_queries(11):
        response = client.get(reverse("overview:national"))
    rows = response.context["rows"]
    assert len(rows) == Municipality.objects.filter(valid_to__isnull=True).count()
    assert sum(1 for r in rows if r.changes[1] == 2) == filled


def read_export(content: bytes, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(content), sep=";", encoding="utf-8-sig")
    return pd.read_excel(io.BytesIO(content))


# session, user, memberships (the region among them), rounds (the current one among them),
# counties (filter form); the 5 overview queries (municipalities, analyses with their
# progress, factors, scores, the key figures' version: the indicators and their latest values
# were read on the first visit for that version, keyfigures/versions.py). The file is
# written from the rows the page would show, without a query of its own; then the audit
# log's note of the export. (29 before issue 16's cache, 28 before the progress came with the
# analyses, 12 before the region came with the memberships.)
EXPORT_QUERIES = 11


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_region_export_runs_as_many_queries_for_thirty_filled_municipalities_as_for_one(
    client_for, round_, earlier_round, nordland, fmt, queries_on_reload
):
    client = client_for("adviser")
    url = reverse("overview:region_export", args=[nordland.pk, fmt])
    municipalities = list(Municipality.objects.filter(county__region=nordland)[:30])

    def fill(some):
        _fill(earlier_round, some, [2, 2, 2, 2, 2, 2])
        _fill(round_, some, [3, 3, 3, 3, 3, 3])
        for m in some:
            key_figure("midlertidig-botilbud", m.number, 2023, 5)

    fill(municipalities[:1])
    little = queries_on_reload(client, url)
    fill(municipalities[1:])
    much = queries_on_reload(client, url)
    assert [little, much] == [EXPORT_QUERIES, EXPORT_QUERIES]
    frame = read_export(client.get(url).content, fmt)
    assert (frame["Forankring og eierskap"] == 3).sum() == len(municipalities)


# As the region's export, without the region: session, user, memberships, rounds, counties,
# the 5 overview queries, the audit log's note. (28 before issue 16,
# 27 before the progress came with the analyses.)
NATIONAL_EXPORT_QUERIES = 11


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_national_export_runs_as_many_queries_for_sixty_filled_municipalities_as_for_two(
    client_for, round_, earlier_round, fmt, queries_on_reload
):
    client = client_for("administrator")
    url = reverse("overview:national_export", args=[fmt])
    municipalities = list(Municipality.objects.order_by("number")[:60])
    _fill(earlier_round, municipalities[:2], [2, 2, 2, 2, 2, 2])
    _fill(round_, municipalities[:2], [4, 4, 4, 4, 4, 4])
    little = queries_on_reload(client, url)
    _fill(earlier_round, municipalities[2:], [2, 2, 2, 2, 2, 2])
    _fill(round_, municipalities[2:], [4, 4, 4, 4, 4, 4])
    much = queries_on_reload(client, url)
    assert [little, much] == [NATIONAL_EXPORT_QUERIES, NATIONAL_EXPORT_QUERIES]
    frame = read_export(client.get(url).content, fmt)
    assert (frame["Forankring og eierskap"] == 4).sum() == len(municipalities)


# --- Exports ---------------------------------------------------------------------------------


@pytest.fixture
def two_rows(round_, earlier_round, planner, adviser):
    """Fauske and Vefsn in progress, with last year's scores, key figures and activity."""
    score(analysis_of(earlier_round, "1841"), [1, 2, 3, 4, 5, None])
    score(analysis_of(earlier_round, "1824"), [2, 2, 2, 2, 2, 2])
    fauske = analysis_of(round_, "1841")
    vefsn = analysis_of(round_, "1824")
    score(fauske, [2, 2, 2, 2, 2, 2])
    score(vefsn, [3, None, 1, 2, 2, 2])
    # 22:30 UTC on 1 June is 00:30 on 2 June in Oslo: the export must say 2 June.
    Analysis.objects.filter(pk=fauske.pk).update(
        status=AnalysisStatus.IN_PROGRESS,
        last_activity_at=datetime.datetime(2026, 6, 1, 22, 30, tzinfo=datetime.UTC),
        last_activity_by=planner,
    )
    Analysis.objects.filter(pk=vefsn.pk).update(status=AnalysisStatus.IN_PROGRESS)
    key_figure("midlertidig-botilbud", "1841", 2023, 2)
    key_figure("midlertidig-botilbud", "1824", 2022, 11)
    key_figure("kommunale-boliger-per-1000", "1841", 2023, "22.6")
    return fauske, vefsn


def expected_overview(fauske, vefsn) -> pd.DataFrame:
    columns = {
        "Kommunenummer": ["1824", "1841"],
        "Kommune": ["Vefsn", "Fauske"],
        "Fylke": ["Nordland", "Nordland"],
        "Målform": ["Nøytral", "Bokmål"],
        "Status": ["Under arbeid", "Under arbeid"],
        "Framdrift (%)": [
            overall_percent(section_progress(vefsn)),
            overall_percent(section_progress(fauske)),
        ],
        "Siste aktivitet": [pd.NaT, pd.Timestamp(2026, 6, 2, 0, 30)],
        "Siste aktivitet av": [None, "planner"],
    }
    previous = {"1824": [2, 2, 2, 2, 2, 2], "1841": [1, 2, 3, 4, 5, None]}
    now = {"1824": [3, None, 1, 2, 2, 2], "1841": [2, 2, 2, 2, 2, 2]}
    for n, name in enumerate(FACTORS):
        columns[name] = pd.array([now[m][n] for m in ("1824", "1841")], dtype="Int64")
        columns[f"Endring: {name}"] = pd.array(
            [
                now[m][n] - previous[m][n]
                if now[m][n] is not None and previous[m][n] is not None
                else None
                for m in ("1824", "1841")
            ],
            dtype="Int64",
        )
    columns["Kommunalt disponerte boliger per 1000 innbyggere"] = [None, 22.6]
    columns["Kommunalt disponerte boliger per 1000 innbyggere, år"] = pd.array(
        [None, 2023], dtype="Int64"
    )
    columns["Husstander i midlertidig botilbud"] = [11, "under 3"]
    columns["Husstander i midlertidig botilbud, år"] = pd.array([2022, 2023], dtype="Int64")
    return pd.DataFrame(columns)


def test_csv_export_reads_back_cell_by_cell(client_for, nordland, two_rows):
    response = export(
        client_for("adviser"), nordland, "csv", status="in_progress", sort="name", dir="desc"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="oversikt-{nordland.pk}-2026.csv"'
    )
    frame = pd.read_csv(
        io.BytesIO(response.content),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"Kommunenummer": str, "Husstander i midlertidig botilbud": object},
        parse_dates=["Siste aktivitet"],
    )
    expected = expected_overview(*two_rows)
    # CSV has no types: integers with gaps come back as floats, mixed columns as text.
    for column in expected.columns:
        if str(expected[column].dtype) == "Int64":
            expected[column] = expected[column].astype("float64")
    expected["Husstander i midlertidig botilbud"] = ["11", "under 3"]
    expected["Siste aktivitet av"] = [float("nan"), "planner"]
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    assert frame["Framdrift (%)"].dtype.kind == "i"


def test_excel_export_reads_back_cell_by_cell(client_for, nordland, two_rows):
    response = export(
        client_for("adviser"), nordland, "xlsx", status="in_progress", sort="name", dir="desc"
    )
    frame = pd.read_excel(io.BytesIO(response.content), dtype={"Kommunenummer": str})
    expected = expected_overview(*two_rows)
    for column in expected.columns:
        if str(expected[column].dtype) == "Int64":
            expected[column] = expected[column].astype("float64")
    expected["Siste aktivitet av"] = [float("nan"), "planner"]
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    # numbers are numbers in the workbook, not text
    assert frame["Framdrift (%)"].dtype.kind == "i"
    assert frame["Forankring og eierskap"].dtype.kind == "i"
    assert frame["Overordnet strategi"].dtype.kind == "f"  # a gap: numbers with NaN
    assert frame.loc[0, "Husstander i midlertidig botilbud"] == 11


def test_an_empty_filter_result_exports_headings_only(client_for, round_, nordland):
    for fmt, read in [
        ("csv", lambda b: pd.read_csv(io.BytesIO(b), sep=";", encoding="utf-8-sig")),
        ("xlsx", lambda b: pd.read_excel(io.BytesIO(b))),
    ]:
        response = export(client_for("adviser"), nordland, fmt, q="zzzz")
        assert response.status_code == 200
        frame = read(response.content)
        assert frame.empty
        assert list(frame.columns[:8]) == [
            "Kommunenummer",
            "Kommune",
            "Fylke",
            "Målform",
            "Status",
            "Framdrift (%)",
            "Siste aktivitet",
            "Siste aktivitet av",
        ]
        assert "Endring: Brukermedvirkning" in frame.columns


class _RegionSections(HTMLParser):
    """The national view's sections: each region's heading and the municipality numbers in the
    first cell of its table's body rows."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, list[str]]] = []
        self._in = ""  # "h2" or "td" while reading one
        self._first_cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("aria-labelledby") or "").startswith("region-"):
            self.sections.append(("", []))
        elif self.sections and tag == "h2":
            self._in = "h2"
        elif self.sections and tag == "tr":
            self._first_cell = True
        elif self.sections and tag == "td" and self._first_cell:
            self._in, self._first_cell = "td", False

    def handle_endtag(self, tag):
        if tag in {"h2", "td"}:
            self._in = ""

    def handle_data(self, data):
        if not self._in:
            return
        heading, numbers = self.sections[-1]
        if self._in == "h2":
            self.sections[-1] = (heading + data, numbers)
        elif data.strip().isdigit():
            numbers.append(data.strip())


def region_sections(html: str) -> list[tuple[str, list[str]]]:
    parser = _RegionSections()
    parser.feed(html)
    return [(" ".join(heading.split()), numbers) for heading, numbers in parser.sections]


def test_the_national_view_puts_each_municipality_under_its_own_region(client_for, round_):
    pages = national_pages(client_for("administrator"))
    # A page at a time: 357 rows on one page were 370 KB (issue 16).
    assert len(pages) == 8 and all(len(text.encode()) < 150_000 for text in pages)
    sections = [section for text in pages for section in region_sections(text)]
    regions = sorted(Region.objects.all(), key=lambda r: norwegian_sort_key(r.name))
    expected = {
        region.name: set(
            Municipality.objects.filter(county__region=region, valid_to__isnull=True).values_list(
                "number", flat=True
            )
        )
        for region in regions
    }
    found: dict[str, list[str]] = {}
    for heading, numbers in sections:
        name, count = heading.rsplit(" (", 1)
        assert count == f"{len(numbers)})"  # each heading counts the rows under it
        found.setdefault(name, []).extend(numbers)
    assert set(found) == set(expected)
    for name, numbers in found.items():
        assert set(numbers) == expected[name], name
        assert len(numbers) == len(expected[name])  # each municipality once, on one page
    # Above the rows, every region with its municipalities per status, on every page.
    summary = pages[-1].split('id="summary-caption"')[1].split("</table>")[0]
    assert [name for name in expected if f">{name}</a>" in summary] == list(expected)


def test_a_new_sort_order_starts_at_the_first_page(client_for, round_):
    response = client_for("administrator").get(reverse("overview:national"), {"side": "3"})
    assert response.context["page"].number == 3
    assert "side=" not in response.context["base_query"]
    assert response.context["page_query"] == ""


@pytest.mark.parametrize("side", ["²", "abc", "999", "-1"])
def test_a_page_number_that_is_not_one_shows_a_page_not_an_error(client_for, round_, side):
    response = client_for("administrator").get(reverse("overview:national"), {"side": side})
    assert response.status_code == 200


def test_the_national_view_filtered_by_county_shows_only_that_countys_region(client_for, round_):
    response = client_for("administrator").get(reverse("overview:national"), {"county": "56"})
    finnmark = set(
        Municipality.objects.filter(county__number="56", valid_to__isnull=True).values_list(
            "number", flat=True
        )
    )
    ((heading, numbers),) = region_sections(response.text)
    assert heading == f"Statsforvalteren i Troms og Finnmark ({len(finnmark)})"
    assert set(numbers) == finnmark


def test_national_export_covers_every_municipality(client_for, round_):
    response = client_for("administrator").get(reverse("overview:national_export", args=["xlsx"]))
    frame = pd.read_excel(io.BytesIO(response.content), dtype={"Kommunenummer": str})
    assert len(frame) == Municipality.objects.filter(valid_to__isnull=True).count()
    assert frame["Kommunenummer"].str.len().eq(4).all()


def test_the_report_download_counts_only_the_started_municipalities(
    client_for, round_, analysis, nordland
):
    client = client_for("adviser")
    assert "det er ingen rapporter å laste ned" in overview(client, nordland).text
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    page = overview(client, nordland).text
    assert "Lag en zip-fil med rapporten for den 1 kommunen som har startet, 2026" in page


def test_a_new_key_figure_shows_in_the_overview_at_once(client_for, round_, nordland):
    """The overview keeps its key figures for each version of the figures
    (keyfigures/versions.py): a new value, column or comparison shows on the next visit."""
    client = client_for("adviser")
    assert overview(client, nordland).context["figure_columns"] == []
    key_figure("midlertidig-botilbud", "1841", 2023, 5)
    response = overview(client, nordland)
    assert [code for _i, code, _y in response.context["figure_columns"]] == [
        "kf-midlertidig-botilbud"
    ]
    fauske = next(r for r in response.context["rows"] if r.municipality.number == "1841")
    assert fauske.figures[0].value == 5
    IndicatorValue.objects.filter(municipality__number="1841").update(value=7)
    response = overview(client, nordland)
    fauske = next(r for r in response.context["rows"] if r.municipality.number == "1841")
    assert fauske.figures[0].value == 7
    county = response.context["overview"].comparisons[0]
    assert county.figures[0].covered == 1
    key_figure("midlertidig-botilbud", "1804", 2023, 9)
    county = overview(client, nordland).context["overview"].comparisons[0]
    assert county.figures[0].covered == 2
