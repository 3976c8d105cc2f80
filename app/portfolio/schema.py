"""What the portfolio adds to a new database beyond create_all(): project search and the
default prioritisation criteria. Both run from app.core.schema.EXTRA_SCHEMA_STEPS."""

from sqlalchemy import Connection, func, insert, select

from app.core.schema import EXTRA_SCHEMA_STEPS
from app.portfolio.models import CITIZEN_SUPPORT, Criterion
from app.portfolio.search import install_project_search
from app.portfolio.systems import install_system_search

# The forum's starting point; admins change names and weights on /admin/criteria.
DEFAULT_CRITERIA = [
    {"key": CITIZEN_SUPPORT, "weight": 20, "name_nb": "Innbyggerstøtte",
     "name_nn": "Innbyggjarstøtte", "name_en": "Citizen support"},
    {"key": "sdg_contribution", "weight": 25, "name_nb": "Bidrag til bærekraftsmålene",
     "name_nn": "Bidrag til berekraftsmåla", "name_en": "Contribution to the SDGs"},
    {"key": "resident_benefit", "weight": 20, "name_nb": "Nytte for innbyggerne",
     "name_nn": "Nytte for innbyggjarane", "name_en": "Benefit to residents"},
    {"key": "cost", "weight": 10, "name_nb": "Kostnad", "name_nn": "Kostnad", "name_en": "Cost"},
    {"key": "risk", "weight": 10, "name_nb": "Risiko", "name_nn": "Risiko", "name_en": "Risk"},
    {"key": "urgency", "weight": 15, "name_nb": "Hastegrad", "name_nn": "Hastegrad",
     "name_en": "Urgency"},
]


def install_default_criteria(connection: Connection) -> None:
    """Add the default criteria to a database that has none; otherwise change nothing."""
    if connection.scalar(select(func.count()).select_from(Criterion)):
        return
    connection.execute(
        insert(Criterion),
        [{"position": position, "name_nn": "", "name_en": "", "description_nb": "",
          "description_nn": "", "description_en": "", **row}
         for position, row in enumerate(DEFAULT_CRITERIA, start=1)],
    )


def register() -> None:
    for step in (install_project_search, install_default_criteria, install_system_search):
        if step not in EXTRA_SCHEMA_STEPS:
            EXTRA_SCHEMA_STEPS.append(step)
