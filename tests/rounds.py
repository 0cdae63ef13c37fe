"""A calendar-year round with the first questionnaire edition: what most tests open."""

import datetime

from analysis.models import Round
from analysis.services.rounds import open_round
from reference.models import Questionnaire


def open_year(year: int) -> Round:
    """Open "Foranalyse <year>", 1 January to 31 December, with edition 1."""
    return open_round(
        year=year,
        title=f"Foranalyse {year}",
        questionnaire=Questionnaire.objects.get(edition=1),
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 12, 31),
    )
