"""Issue 16's "Done when", walked in the browser: a portfolio manager limited to one municipal area
prepares a forum meeting from the board, the two competence groups that cover the project (its area's
and the cross-cutting one) assess it first, the forum records its decision, and the meeting document
comes out as a PDF and a CSV. The same manager gets a 404 for another area's internal project, on the
page and in the API. axe on every page on the way."""

import csv
import io
import itertools
import re
from datetime import date

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from tests.browser.test_loop_journey import Person

_n = itertools.count(1)


def _scoped_manager(site) -> tuple[str, int]:
    """The demo's portfolio manager limited to areas, and one of those areas."""
    from app.accounts.models import Role, User

    with site.context() as session:
        for user in session.scalars(select(User).where(User.role == Role.PORTFOLIO_MANAGER).order_by(User.id)):
            if user.areas:
                return user.email, user.areas[0].id
    raise AssertionError("the demo has no portfolio manager limited to an area")


def test_a_scoped_manager_prepares_a_meeting_groups_assess_and_the_forum_decides(new_context, site):
    from app.core.models import MunicipalArea, ServiceArea
    from app.portfolio import services as portfolio
    from app.portfolio.models import AgendaItem, CompetenceGroup

    site.require("portfolio.meeting_new", "portfolio.meeting_pdf", "portfolio.project_assess")
    n = next(_n)
    manager_email, area_id = _scoped_manager(site)
    assessors = [site.new_resident(f"Vurderer {name} {n}", role="portfolio_manager") for name in ("Helse", "IT")]
    admin_email = site.user_email("admin")
    title = f"Felles journalsystem for hjemmetjenesten {n}"
    with site.acting() as session:
        admin = site.user(session, admin_email)
        area = session.get(MunicipalArea, area_id)
        other_area = session.scalar(select(MunicipalArea).where(MunicipalArea.id != area_id).order_by(MunicipalArea.id))
        own_service = session.scalar(select(ServiceArea.id).where(ServiceArea.municipal_area_id == area_id,
                                                                  ServiceArea.retired_at.is_(None)))
        other_service = session.scalar(select(ServiceArea.id).where(ServiceArea.municipal_area_id == other_area.id,
                                                                    ServiceArea.retired_at.is_(None)))
        project_id = portfolio.create_project(admin, {
            "title": title, "description": "Ett journalsystem for hjemmetjenesten og legevakta.",
            "owner_service_area_id": own_service, "public": True, "estimated_cost": 900_000}).id
        secret_id = portfolio.create_project(admin, {
            "title": f"Intern utredning i et annet område {n}", "description": "Bare for det området.",
            "owner_service_area_id": other_service, "public": False}).id
        # The demo's competence groups that cover the project: the area's own and the cross-cutting
        # ones. One new member in each kind assesses for them.
        for group in session.scalars(select(CompetenceGroup)):
            if group.cross_cutting:
                group.members.append(site.user(session, assessors[1]))
            elif area in group.areas:
                group.members.append(site.user(session, assessors[0]))
        session.commit()

    # --- 1. Each group's member assesses the project ---------------------------------------------
    for email in assessors:
        member = Person(new_context(user=email).new_page(), site)
        member.page.goto(f"/portfolio/projects/{project_id}")
        member.page.get_by_role("link", name=member.t("Gi din vurdering")).click()
        for select_box in member.main().locator("select[name^=score-]").all():
            select_box.select_option("4")
        member.button("Lagre vurderingen").click()
        expect(member.page.get_by_role("alert").or_(member.page.get_by_role("status")).first).to_be_visible()
        member.axe_clean("the assessment page")

    # --- 2. The scoped manager sees the project ready for decision on the board --------------------
    me = Person(new_context(user=manager_email).new_page(), site)
    me.page.goto("/staff/portfolio/board")
    row = me.main().get_by_role("row").filter(has_text=title)
    expect(row.get_by_text(me.t("Klar for beslutning"))).to_be_visible()
    expect(me.main().get_by_text(f"Intern utredning i et annet område {n}")).to_have_count(0)
    me.axe_clean("the board of a manager limited to one area")

    # --- 3. ... sets up a meeting and takes the project from the board ----------------------------
    me.page.goto("/staff/meetings/new")
    me.field("Tittel").fill(f"DigiForum desember {n}")
    me.page.locator("input[name=meeting_date]").fill(date.today().isoformat())
    me.button("Sett opp møtet").click()
    me.says("Møtet er satt opp. Hent sakene fra prioriteringstavla.")
    meeting_id = int(re.search(r"/staff/meetings/(\d+)", me.page.url).group(1))
    me.main().locator(f"#pick-{project_id}").check()
    me.axe_clean("the agenda from the board")
    me.button("Legg de valgte på sakslisten").click()

    # --- 4. The forum decides ---------------------------------------------------------------------
    with site.context() as session:
        item_id = session.scalar(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id,
                                                              AgendaItem.project_id == project_id))
    me.page.goto(f"/staff/meetings/{meeting_id}/items/{item_id}/decision")
    me.page.get_by_role("radio", name=me.t("Prioritert"), exact=True).check()
    reason = f"Begge gruppene gir 4 av 5, og dagens løsning går ut av avtale {n}."
    me.field("Begrunnelse").fill(reason)
    me.axe_clean("the minutes form")
    me.button("Før beslutningen i referatet").click()
    me.says("Beslutningen om «%(title)s» er ført i referatet.", title=title)
    me.page.goto(f"/staff/meetings/{meeting_id}")
    expect(me.main()).to_contain_text(reason)
    me.axe_clean("the meeting page")

    # --- 5. The meeting document: PDF and CSV ------------------------------------------------------
    pdf = me.page.request.get(f"/staff/meetings/{meeting_id}/document.pdf")
    assert pdf.ok and pdf.headers["content-type"].startswith("application/pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body())).pages)
    text = re.sub(r"\s+", " ", text)
    assert title in text and me.t("Prioritert") in text and "DigiForum desember" in text
    sheet = me.page.request.get(f"/staff/meetings/{meeting_id}/decisions.csv")
    assert sheet.ok
    rows = list(csv.reader(io.StringIO(sheet.body().decode("utf-8-sig")), delimiter=";"))
    assert any(title in row for row in rows[1:]) and any(reason in row for row in rows[1:])

    # --- 6. The decision is on the public project page; another area's internal project is not his -
    visitor = Person(new_context().new_page(), site)
    visitor.page.goto(f"/portfolio/projects/{project_id}")
    expect(visitor.main()).to_contain_text(reason)
    assert me.page.goto(f"/portfolio/projects/{secret_id}").status == 404
    assert me.page.request.get(f"/api/v1/projects/{secret_id}").status == 404
    assert me.page.request.get(f"/api/v1/projects/{project_id}").ok
