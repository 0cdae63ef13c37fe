"""The overview before any round has opened (apart from test_overview.py, whose tests share
a round made once)."""

import datetime

import pytest
from django.urls import reverse

from analysis.selectors.core import current_round
from analysis.services.rounds import open_round
from reference.models import Questionnaire, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def nordland():
    return Region.objects.get(name="Statsforvalteren i Nordland")


def overview(client, region, **params):
    return client.get(reverse("overview:region", args=[region.pk]), params)


def test_before_any_round_has_opened_the_newest_is_shown(client_for, reference_data, nordland):
    later = open_round(
        year=2099,
        title="Foranalyse 2099",
        questionnaire=Questionnaire.objects.first(),
        opens_on=datetime.date(2099, 1, 1),
        closes_on=datetime.date(2099, 12, 31),
    )
    response = overview(client_for("adviser"), nordland)
    assert response.context["round"] == later == current_round()
    assert response.context["previous_round"] is None


def test_before_any_round_the_overview_says_so(client_for, reference_data, nordland, adviser):
    response = overview(client_for("adviser"), nordland)
    assert response.status_code == 200
    assert "Ingen runde er åpnet ennå." in response.text
