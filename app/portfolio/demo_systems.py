"""The demo municipality's register of systems in use: fourteen systems a Norwegian
municipality typically runs, with their suppliers, owner and user areas, and contract ends
spread over the economic plan (and beyond it), added through the same service staff use.

Several match a demo project on purpose, so the duplicate-purchase check has something to
find: «Speedadmin» and «Nytt elev- og ventelistesystem for kulturskolen», «Plania» and «Fagsystem
for forvaltning, drift og vedlikehold av bygg», «Compilo» and «Nytt kvalitets- og avvikssystem
for helse og velferd», «Visma Flyt Barnehage» and «Nytt fagsystem for barnehageopptak»."""

from datetime import date

from sqlalchemy import select

from app.accounts.models import Role, User
from app.core.models import MunicipalArea
from app.extensions import db
from app.portfolio import systems
from app.portfolio.plan import plan_period

OPPVEKST = "Oppvekst og utdanning"
HELSE = "Helse og velferd"
SAMFUNN = "Samfunnsutvikling"
ORGANISASJON = "Organisasjon og støtte"
EVERYONE = (OPPVEKST, HELSE, SAMFUNN, ORGANISASJON)

# contract: (year of the plan counted from its first, 0-based; month, day), "after" (the year
# after the plan), or None (no end date registered).
SYSTEMS = [
    {"name": "Visma Flyt Skole", "supplier": "Visma", "owner": OPPVEKST, "users": (OPPVEKST,),
     "contract": (0, 7, 31), "url": "https://www.visma.no/flyt-skole",
     "description": "Skoleadministrativt system for grunnskolen: elevregister, fravær, vurdering, "
                    "timeplan og meldinger til foresatte."},
    {"name": "Visma Flyt Barnehage", "supplier": "Visma", "owner": OPPVEKST, "users": (OPPVEKST,),
     "contract": (0, 7, 31), "url": "https://www.visma.no/flyt-barnehage",
     "description": "Barnehageopptak og barnehageadministrasjon: søknader, opptak, plasser, "
                    "foreldrebetaling og oppmøte."},
    {"name": "Vigilo", "supplier": "Vigilo AS", "owner": OPPVEKST, "users": (OPPVEKST,),
     "contract": (1, 12, 31), "url": "https://www.vigilo.no",
     "description": "Kommunikasjon mellom skole, barnehage og hjem: beskjeder, fraværsmelding og "
                    "kalender i app og på nett."},
    {"name": "Speedadmin", "supplier": "Speedadmin", "owner": OPPVEKST, "users": (OPPVEKST,),
     "contract": (1, 6, 30), "url": "https://www.speedadmin.no",
     "description": "Elevregister, venteliste, søknader, timeplan og fakturering for kulturskolen."},
    {"name": "Gerica", "supplier": "Tietoevry", "owner": HELSE, "users": (HELSE,),
     "contract": (0, 12, 31),
     "description": "Elektronisk pasientjournal for pleie og omsorg: hjemmetjenesten, sykehjem, "
                    "vedtak og tiltaksplaner."},
    {"name": "Profil", "supplier": "Visma", "owner": HELSE, "users": (HELSE,), "contract": "after",
     "description": "Journalsystem for helsestasjon, skolehelsetjeneste, fysioterapi og rehabilitering."},
    {"name": "Visma Flyt Sampro", "supplier": "Visma", "owner": HELSE, "users": (HELSE, OPPVEKST),
     "contract": (2, 3, 31),
     "description": "Individuell plan og koordinering av tjenester rundt en innbygger, med "
                    "innbyggeren og de pårørende."},
    {"name": "Compilo", "supplier": "Compilo", "owner": HELSE, "users": (HELSE, OPPVEKST, ORGANISASJON),
     "contract": (1, 9, 30), "url": "https://www.compilo.no",
     "description": "Kvalitetssystem: avviksmeldinger, dokumentstyring, risikovurdering og internkontroll."},
    {"name": "Public 360", "supplier": "Tietoevry", "owner": ORGANISASJON, "users": EVERYONE,
     "contract": (2, 12, 31),
     "description": "Sak- og arkivsystem (Noark 5) for hele kommunen: journalføring, offentlig "
                    "postliste og elektronisk arkiv."},
    {"name": "Unit4 ERP (Agresso)", "supplier": "Unit4", "owner": ORGANISASJON, "users": EVERYONE,
     "contract": "after",
     "description": "Økonomi og lønn: regnskap, budsjett, fakturering, innkjøp, reiseregninger og "
                    "lønnskjøring."},
    {"name": "Microsoft 365", "supplier": "Microsoft, levert av Atea", "owner": ORGANISASJON,
     "users": EVERYONE, "contract": (0, 3, 31),
     "description": "E-post, Teams, Word, Excel og felles dokumentlagring for alle ansatte."},
    {"name": "Plania", "supplier": "Plania", "owner": ORGANISASJON, "users": (ORGANISASJON, OPPVEKST, HELSE),
     "contract": None,
     "description": "Forvaltning, drift og vedlikehold (FDV) av kommunale bygg: vedlikeholdsplaner, "
                    "arbeidsordre, avvik og energioppfølging."},
    {"name": "ISY Prosjekt", "supplier": "Norconsult Digital", "owner": SAMFUNN, "users": (SAMFUNN, ORGANISASJON),
     "contract": (3, 6, 30),
     "description": "Kalkyle og prosjektstyring for bygge- og anleggsprosjekter: budsjett, "
                    "anbud og oppfølging."},
    {"name": "Komtek", "supplier": "Norkart", "owner": SAMFUNN, "users": (SAMFUNN,), "contract": None,
     "description": "Saksbehandling for byggesak, oppmåling, vann og avløp, feiing og kommunale gebyrer."},
]


def _contract_end(contract, first_year: int, last_year: int) -> date | None:
    if contract is None:
        return None
    if contract == "after":
        return date(last_year + 1, 12, 31)
    offset, month, day = contract
    return date(min(first_year + offset, last_year), month, day)


def seed_systems(people: list[User]) -> None:
    """Add the demo's systems through create_system, as a portfolio manager would."""
    manager = next(p for p in people if p.role in (Role.PORTFOLIO_MANAGER, Role.ADMIN))
    areas = {a.name_nb: a.id for a in db.session.scalars(select(MunicipalArea))}
    first, last = plan_period()
    for data in SYSTEMS:
        if any(name not in areas for name in (data["owner"], *data["users"])):
            continue  # a demo structure without the area: leave the system out
        end = _contract_end(data["contract"], first.year, last.year)
        systems.create_system(manager, {
            "name": data["name"], "supplier": data["supplier"], "owner_area_id": areas[data["owner"]],
            "area_ids": [areas[name] for name in data["users"]],
            "contract_end": end.isoformat() if end else "", "description": data["description"],
            "url": data.get("url", ""),
        })
