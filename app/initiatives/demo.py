"""Demo step: innbyggerforslag in every state, through the services people and staff use."""

from datetime import timedelta

from sqlalchemy import select, update

from app.accounts.models import Role, User
from app.core.db import utcnow
from app.core.models import ServiceArea
from app.demo import DEMO_STEPS
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.initiatives import services
from app.initiatives.models import Initiative, Signature

# A small but whole PDF, standing in for the scanned paper lists.
DEMO_SCAN = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
             b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
             b"trailer << /Root 1 0 R >>\n%%EOF\n")

INITIATIVES = [
    {
        "key": "from_idea", "state": "collecting", "idea": "Tryggere skoleveier i Nordbygda",
        "title": "Fortau og 30-sone langs hele Skoleveien i Nordbygda",
        "proposal": "Kommunestyret ber kommunedirektøren bygge fortau langs hele Skoleveien og innføre "
                    "30-sone forbi Nordbygda skole, med oppstart i neste økonomiplan.",
        "reasons": "Over 200 barn går eller sykler Skoleveien hver dag. Veien har ikke fortau på den "
                   "smaleste strekningen, og fartsgrensen er 50. Foreldre kjører barna fordi de er redde, "
                   "og det gir enda mer trafikk ved skolen.",
        "areas": ["Vei og trafikk", "Grunnskole"], "signers": 24, "shown": 9, "paper": 0, "days_ago": 30,
    },
    {
        "key": "new", "state": "collecting",
        "title": "Gratis busskort for alle under 20 år",
        "proposal": "Kommunestyret ber kommunedirektøren utrede og legge fram sak om gratis busskort for "
                    "alle innbyggere under 20 år.",
        "reasons": "Ungdom i utkantene kommer seg ikke til trening, jobb og venner uten skyss. Gratis "
                   "busskort gjør det enklere å velge bussen framfor moped og bil.",
        "areas": ["Vei og trafikk"], "signers": 4, "shown": 2, "paper": 0, "days_ago": 3,
    },
    {
        "key": "submitted", "state": "submitted",
        "title": "Lys i lysløypa i Fjellmarka til klokka 22",
        "proposal": "Kommunestyret ber kommunedirektøren sørge for at lysløypa i Fjellmarka er opplyst "
                    "til klokka 22 hver kveld fra november til mars.",
        "reasons": "Lyset slukkes i dag klokka 21. Mange kommer ikke ut før barna har lagt seg.",
        "areas": ["Kultur og idrett"], "signers": 30, "shown": 12, "paper": 180, "days_ago": 70,
        "submitted_days_ago": 25,
    },
    {
        "key": "overdue", "state": "submitted",
        "title": "Offentlig toalett ved badeplassen i Sørvika",
        "proposal": "Kommunestyret ber kommunedirektøren sette opp et offentlig toalett ved badeplassen i "
                    "Sørvika før neste badesesong.",
        "reasons": "Badeplassen er den mest brukte i kommunen om sommeren, og nærmeste toalett er en "
                   "kilometer unna.",
        "areas": ["Kultur og idrett", "Vann og avløp"], "signers": 20, "shown": 5, "paper": 190,
        "days_ago": 260, "submitted_days_ago": 200,
    },
    {
        "key": "decided", "state": "decided",
        "title": "Flere benker langs turveien rundt Medvikvannet",
        "proposal": "Kommunestyret ber kommunedirektøren sette ut minst ti nye benker langs turveien rundt "
                    "Medvikvannet.",
        "reasons": "Eldre og andre som trenger hvile, kan i dag ikke gå hele runden. Benker gjør turveien "
                   "til en tur for alle.",
        "areas": ["Kultur og idrett", "Sykehjem og omsorg"], "signers": 35, "shown": 20, "paper": 170,
        "days_ago": 330, "submitted_days_ago": 260,
        "decision": ("2026/0412", 160, "Kommunestyret vedtar forslaget. Kommunedirektøren setter ut ti "
                     "benker langs turveien i løpet av året, finansiert innenfor driftsbudsjettet."),
        "measures": [(90, "Plasseringen av benkene er avklart med pensjonistforeningen og eldrerådet."),
                     (20, "Seks av ti benker er satt ut langs østsiden av vannet.")],
    },
    {
        "key": "waiting", "state": "awaiting",
        "title": "Hundeluftegård i sentrum",
        "proposal": "Kommunestyret ber kommunedirektøren finne et egnet sted for en inngjerdet "
                    "hundeluftegård i sentrum.",
        "reasons": "Det er mange hundeeiere i sentrum og ingen trygge steder å slippe hunden løs.",
        "areas": ["Klima og miljø"], "days_ago": 1,
    },
    {
        "key": "expired", "state": "expired",
        "title": "Kunstgressbane på Nordbygda skole",
        "proposal": "Kommunestyret ber kommunedirektøren legge kunstgress på ballbanen ved Nordbygda skole.",
        "reasons": "Grusbanen er gjørmete store deler av året og brukes lite.",
        "areas": ["Kultur og idrett", "Grunnskole"], "signers": 12, "shown": 3, "paper": 0,
        "days_ago": 400,
    },
]


def _areas(names: list[str]) -> list[int]:
    found = dict(db.session.execute(select(ServiceArea.name, ServiceArea.id)).all())
    ids = [found[name] for name in names if name in found]
    return ids or [db.session.scalar(select(ServiceArea.id).order_by(ServiceArea.id).limit(1))]


def _backdate(initiative_id: int, started) -> None:
    """The collection's dates as the story tells them (the demo's only direct write)."""
    db.session.execute(
        update(Initiative).where(Initiative.id == initiative_id).values(
            moderated_at=started, collection_started_at=started,
            collection_ends_at=services.collection_end(started),
        ).execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Signature).where(Signature.initiative_id == initiative_id)
        .values(created_at=started + timedelta(days=1)).execution_options(synchronize_session=False)
    )
    db.session.commit()


def seed_initiatives(content, people: list[User]) -> None:
    residents = [p for p in people if p.role == Role.RESIDENT]
    moderator = next(p for p in people if p.role == Role.MODERATOR)
    manager = next(p for p in people if p.role == Role.PORTFOLIO_MANAGER)
    now = utcnow()
    for index, data in enumerate(INITIATIVES):
        idea = None
        if data.get("idea"):
            idea = db.session.scalar(select(Idea).where(Idea.title == data["idea"],
                                                        Idea.visibility == Visibility.VISIBLE))
        proposer = db.session.get(User, idea.author_id) if idea else residents[(index * 7 + 3) % len(residents)]
        started = now - timedelta(days=data["days_ago"])
        initiative = services.propose_initiative(proposer, services.InitiativeInput(
            title=data["title"], proposal=data["proposal"], reasons=data["reasons"],
            service_area_ids=_areas(data["areas"]), contact_email=proposer.email,
            from_idea_id=idea.id if idea else None,
        ), created_at=started - timedelta(days=1))
        if data["state"] == "awaiting":
            continue
        # Collected now (signatures only count while a collection runs), then dated back to
        # when the story says it began, as the other demo steps date their rows.
        services.approve_initiative(moderator, initiative.id)
        others = [p for p in residents if p.id != proposer.id]
        for n, person in enumerate(others[: data.get("signers", 0)]):
            services.sign(person, initiative.id, show_name=n < data.get("shown", 0), confirmed_resident=True)
        if data.get("paper"):
            services.register_paper_signatures(manager, initiative.id, data["paper"], DEMO_SCAN,
                                               "Lister fra biblioteket og Nordbygda butikk")
        if data.get("submitted_days_ago") is not None:
            services.submit_initiative(proposer, initiative.id,
                                       now=now - timedelta(days=data["submitted_days_ago"]))
        _backdate(initiative.id, started)
        if data.get("decision"):
            case_number, days_ago, text = data["decision"]
            services.record_decision(manager, initiative.id, services.DecisionInput(
                case_number=case_number, meeting_date=services.local_today(now - timedelta(days=days_ago)),
                text=text, url="https://einnsyn.no/",
            ))
            for measure_days_ago, text in data.get("measures", []):
                services.record_measure(manager, initiative.id, text,
                                        services.local_today(now - timedelta(days=measure_days_ago)))
    # A collection that ran past its end is written as expired, as cron would.
    services.expire_collections(now)
    # One refused proposal, so the proposer's page shows a reason.
    refused_by = residents[5 % len(residents)]
    refused = services.propose_initiative(refused_by, services.InitiativeInput(
        title="Forby el-sparkesykler i hele kommunen",
        proposal="Kommunestyret ber kommunedirektøren forby el-sparkesykler og bøtelegge de som bruker dem.",
        reasons="De er farlige. Naboen min kjører som en gal og burde miste førerkortet.",
        service_area_ids=_areas(["Vei og trafikk"]), contact_email=refused_by.email,
    ), created_at=now - timedelta(days=6))
    services.refuse_initiative(moderator, refused.id,
                               "Forslaget omtaler en navngitt nabo. Skriv det om uten personangrep, så ser "
                               "vi på det igjen. Et forbud er også utenfor det kommunen kan vedta alene.")


if seed_initiatives not in DEMO_STEPS:
    DEMO_STEPS.append(seed_initiatives)
