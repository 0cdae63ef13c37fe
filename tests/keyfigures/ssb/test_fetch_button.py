"""The administrators' button beside the file import: it starts the fetch as a background job
(run at once in tests), whose page says what came of it; the page lists each indicator's SSB
source, last fetch and SSB's update time."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jobs.models import Job, JobStatus
from keyfigures.models import FetchOutcome, FetchRun, IndicatorAggregateValue, IndicatorValue
from tests.keyfigures.ssb.server import API, Table, Trouble
from tests.keyfigures.ssb.test_fetch_command import (
    CELLS,
    CODE,
    EXPECTED_MUNICIPAL,
    EXPECTED_OFFICIAL,
    REGIONS,
    municipal_values,
    official_values,
)

pytestmark = pytest.mark.django_db

UPLOAD = reverse("keyfigures:indicator_upload")
FETCH = reverse("keyfigures:indicator_fetch")


@pytest.fixture
def ssb(ssb_server):
    ssb_server.tables["12008"] = Table(regions=REGIONS, years=["2022", "2023"], cells=dict(CELLS))
    return ssb_server


def test_the_button_fetches_every_value_in_the_background_and_the_job_page_says_so(
    client, administrator, ssb
):
    client.force_login(administrator)

    response = client.post(FETCH)

    job = Job.objects.get(kind="ssb_fetch")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.owner == administrator
    assert municipal_values() == EXPECTED_MUNICIPAL
    assert official_values() == EXPECTED_OFFICIAL
    run = FetchRun.objects.get()
    assert (run.via, run.started_by, run.outcome) == ("button", administrator, FetchOutcome.CHANGED)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Opprettet 6" in page and "kommunale-boliger-per-1000" in page


def test_a_fetch_that_fails_fails_its_job_with_the_reason_and_writes_nothing(
    client, administrator, ssb, settings
):
    settings.SSB_RETRIES = 1
    ssb.trouble(f"{API}/tables/12008/data", Trouble(status=503), Trouble(status=503))
    client.force_login(administrator)

    client.post(FETCH)

    job = Job.objects.get(kind="ssb_fetch")
    assert job.status == JobStatus.FAILED
    assert "503" in job.message and "12008" in job.message
    assert not IndicatorValue.objects.exists() and not IndicatorAggregateValue.objects.exists()
    assert FetchRun.objects.get().outcome == FetchOutcome.FAILED


def test_the_page_shows_each_indicators_source_last_fetch_and_ssb_update_time(
    client, administrator, ssb, django_assert_num_queries
):
    client.force_login(administrator)
    client.post(FETCH)

    # session, user, memberships (the navigation), the catalogue's indicators, the latest
    # fetch runs with who started them, the indicators again (the upload form's choices)
    with django_assert_num_queries(6):
        page = client.get(UPLOAD).content.decode()

    assert 'href="https://www.ssb.no/statbank/table/12008/"' in page
    assert "KOSboligSper10000000" in page
    assert "16. juni 2025" in page  # SSB's update time of table 12008
    assert "Tall endret" in page  # the latest run's outcome
    assert IndicatorValue.objects.get(
        indicator__code=CODE, municipality__number="1841", year=2022
    ).value == Decimal("20.5")
