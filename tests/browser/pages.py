"""Every page type of Medvirk, as a table: (name, url or a function that finds one, who is
logged in). The axe, structure, reflow and screenshot tests all walk this one table.

A page whose route is not built yet is in the table all the same: its test skips, naming the
missing endpoint, and starts running the moment the route lands.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page
from sqlalchemy import func, select

from tests.browser.helpers import Site

# who: "anon", a role ("resident", "moderator", "portfolio_manager", "admin"),
# or a function site -> e-mail for a particular person.
Who = str | Callable[[Site], str]


@dataclass(frozen=True)
class PageSpec:
    name: str
    endpoints: tuple[str, ...]  # the first that exists is the page; all missing: skip
    url: str | Callable[[Site, str], str]  # a path, or f(site, endpoint) -> path
    who: Who = "anon"
    status: int = 200
    prepare: Callable[[Page], None] | None = None  # e.g. send the form empty
    main: bool = False  # one of the main pages (screenshots, 200 % zoom)


def email_of(site: Site, who: Who) -> str | None:
    if who == "anon":
        return None
    if callable(who):
        return who(site)
    return site.user_email(who)


def swagger_rendered(page: Page) -> None:
    """Wait until Swagger UI has drawn the reference and static/js/api-docs.js has fitted it."""
    page.wait_for_selector("#api-reference[data-fitted=true]")


def send_form_empty(page: Page) -> None:
    """Send the page's main form with every field cleared, as someone pressing submit too soon."""
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const forms = Array.from(document.querySelectorAll('main form'))
                    .filter(f => (f.method || '').toLowerCase() === 'post');
                forms.sort((a, b) => b.elements.length - a.elements.length);
                const form = forms[0];
                for (const el of form.elements) {
                    if (['text', 'email', 'password', 'search', 'url', 'textarea', 'number', 'tel']
                            .includes(el.type)) el.value = '';
                }
                form.noValidate = true;
                form.requestSubmit();
            }"""
        )


def import_systems_with_mistakes(page: Page) -> None:
    """Paste a CSV with mistakes into the systems import and press «Importer»: the errors table."""
    page.fill("textarea[name=text]", "navn;eierområde;kontraktslutt\nGerica;Ukjent område;31.02.2027\n=SUM(A1);;\n")
    with page.expect_navigation():
        page.click("button[value=import]")


def check_systems_file(page: Page) -> None:
    """Paste a good CSV into the systems import and press «Sjekk filen»: the summary, nothing stored."""
    page.fill("textarea[name=text]", "navn;eierområde\nGerica;Helse og velferd\nNytt system;Helse og velferd\n")
    with page.expect_navigation():
        page.click("button[value=check]")


def send_priorities_wrong(page: Page) -> None:
    """A council decision without its case number and dated in the future: errors by the fields."""
    page.check("input[name=political_priority][value=prioritised]")
    page.fill("input[name=council_case_number]", "")
    page.fill("input[name=council_decision_date]", "2099-01-01")
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def send_amounts_wrong(page: Page) -> None:
    """A negative amount and a word in the first plan year's fields (costs or budget)."""
    fields = page.locator("main form input[inputmode=numeric]")
    fields.nth(0).fill("-5")
    fields.nth(1).fill("mye")
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def board_plan_year(site: Site, endpoint: str) -> str:
    """The board showing the plan's first year, filtered to what the council prioritised."""
    from app.portfolio.plan import plan_years

    with site.context():
        year = plan_years()[0]
    return site.path(endpoint, year=year, political="prioritised")


# --- finders: the demo data holds the examples ----------------------------------------------


def _idea_path(site: Site, endpoint: str, where=None, order=None, what="an idea") -> str:
    from app.ideas.models import Idea, Visibility

    with site.context() as session:
        stmt = select(Idea.id)
        if where is not None:
            stmt = stmt.where(*where)
        else:
            stmt = stmt.where(Idea.visibility == Visibility.VISIBLE)
        stmt = stmt.order_by(*(order or [Idea.comment_count.desc(), Idea.id])).limit(1)
        idea_id = session.scalar(stmt)
    if idea_id is None:
        pytest.skip(f"the demo data has no {what}")
    return site.path(endpoint, idea_id)


def idea_with_comments(site: Site, endpoint: str) -> str:
    return _idea_path(site, endpoint, what="idea with comments")


def idea_with_images(site: Site, endpoint: str) -> str:
    from app.ideas.models import Idea, IdeaImage, Visibility

    return _idea_path(
        site, endpoint,
        where=[Idea.visibility == Visibility.VISIBLE, Idea.id.in_(select(IdeaImage.idea_id))],
        what="idea with images",
    )


def idea_with_hidden_comment(site: Site, endpoint: str) -> str:
    from app.comments.models import Comment
    from app.ideas.models import Idea, Visibility

    hidden = select(Comment.idea_id).where(Comment.visibility == "hidden")
    return _idea_path(
        site, endpoint, where=[Idea.visibility == Visibility.VISIBLE, Idea.id.in_(hidden)],
        what="idea with a hidden comment",
    )


def hidden_idea(site: Site, endpoint: str) -> str:
    from app.ideas.models import Idea, Visibility

    return _idea_path(site, endpoint, where=[Idea.visibility == Visibility.HIDDEN], what="hidden idea")


def author_of_hidden_idea(site: Site) -> str:
    from app.accounts.models import User
    from app.ideas.models import Idea, Visibility

    with site.context() as session:
        email = session.scalar(
            select(User.email).join(Idea, Idea.author_id == User.id)
            .where(Idea.visibility == Visibility.HIDDEN).order_by(Idea.id).limit(1)
        )
    if email is None:
        pytest.skip("the demo data has no hidden idea")
    return email


def answered_idea(site: Site, endpoint: str) -> str:
    """An idea with a public answer and a project: the status timeline and project section."""
    from app.ideas.models import Idea, StatusChange, Visibility

    answered = select(StatusChange.idea_id)
    return _idea_path(
        site, endpoint, where=[Idea.visibility == Visibility.VISIBLE, Idea.id.in_(answered)],
        order=[Idea.vote_count.desc(), Idea.id], what="answered idea",
    )


def organisation_path(site: Site, endpoint: str) -> str:
    from app.accounts.models import Organisation

    with site.context() as session:
        org_id = session.scalar(select(Organisation.id).order_by(Organisation.id).limit(1))
    return site.path(endpoint, org_id)


def organisation_admin(site: Site) -> str:
    from app.accounts.models import Membership, MembershipRole, Organisation, User

    with site.context() as session:
        return session.scalar(
            select(User.email).join(Membership, Membership.user_id == User.id)
            .where(Membership.role == MembershipRole.ADMIN,
                   Membership.organisation_id == select(func.min(Organisation.id)).scalar_subquery())
            .limit(1)
        )


def invitee(site: Site) -> str:
    """A resident who belongs to no organisation (made once): someone an organisation may invite."""
    from app.accounts import services
    from app.accounts.models import Role, User
    from app.demo import DEMO_PASSWORD

    email = "browser-invitee@example.no"
    with site.context() as session:
        if session.scalar(select(User.id).where(User.email == email)) is None:
            services.create_user(email, "Ida Invitert", DEMO_PASSWORD, Role.RESIDENT, confirmed=True)
    return email


def invitation_page(site: Site, endpoint: str) -> str:
    """An open invitation from the first organisation's admin to a resident, made afresh."""
    from app.accounts.models import Invitation, Organisation, User
    from app.accounts.services import invite_member

    email = invitee(site)
    admin_email = organisation_admin(site)
    with site.context() as session:
        organisation = session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
        admin = session.scalar(select(User).where(User.email == admin_email))
        invite_member(admin, organisation, email)
        invitation_id = session.scalar(
            select(Invitation.id).where(Invitation.email == email).order_by(Invitation.id.desc()).limit(1)
        )
    return site.path(endpoint, invitation_id)


def a_resident_page(site: Site, endpoint: str) -> str:
    from app.accounts.models import User

    email = site.user_email("resident")
    with site.context() as session:
        user_id = session.scalar(select(User.id).where(User.email == email))
    return site.path(endpoint, user_id)


def _scoped_staff(site: Site, role: str | None = None):
    """The id and e-mail of the first demo staff member whose role is limited to some
    municipal areas (the demo has a portfolio manager and a moderator for Helse og velferd)."""
    from app.accounts.models import Role, User, user_municipal_areas

    with site.context() as session:
        stmt = select(User.id, User.email).join(user_municipal_areas, user_municipal_areas.c.user_id == User.id)
        if role is not None:
            stmt = stmt.where(User.role == Role(role))
        row = session.execute(stmt.order_by(User.id).limit(1)).first()
    if row is None:
        pytest.skip("the demo has no staff member limited to an area")
    return row


def a_scoped_staff_page(site: Site, endpoint: str) -> str:
    return site.path(endpoint, _scoped_staff(site).id)


def scoped_manager(site: Site) -> str:
    return _scoped_staff(site, "portfolio_manager").email


def scoped_moderator(site: Site) -> str:
    return _scoped_staff(site, "moderator").email


def reset_link(site: Site, endpoint: str) -> str:
    from app.accounts.models import User
    from app.accounts.services import reset_token

    email = site.user_email("resident", 5)
    with site.context() as session:
        user = session.scalar(select(User).where(User.email == email))
        token = reset_token(user)
    return site.path(endpoint, token=token)


def unsubscribe_link(site: Site, endpoint: str) -> str:
    """The one-click unsubscribe page a resident reaches from a notice e-mail (no login)."""
    from app.accounts.models import User
    from app.notifications.unsubscribe import unsubscribe_token

    email = site.user_email("resident")
    with site.context() as session:
        user_id = session.scalar(select(User.id).where(User.email == email))
        token = unsubscribe_token(user_id, "followed_projects")
    return site.path(endpoint, token=token)


def public_project(site: Site, endpoint: str) -> str:
    from app.portfolio.models import Project, ProjectIdea

    with site.context() as session:
        project_id = session.scalar(
            select(Project.id).where(Project.public.is_(True))
            .order_by(Project.id.in_(select(ProjectIdea.project_id)).desc(), Project.id).limit(1)
        )
    if project_id is None:
        pytest.skip("the demo data has no public project")
    return site.path(endpoint, project_id)


def goal_11(site: Site, endpoint: str) -> str:
    return site.path(endpoint, 11)


def with_args(**args):
    def build(site: Site, endpoint: str) -> str:
        return site.path(endpoint, **args)

    return build


def plain(site: Site, endpoint: str) -> str:
    return site.path(endpoint)


def first_row(model: str, what: str, where=None, order=None, column: str = "id"):
    """A finder: the first row of app.<model> (e.g. "portfolio.models.Criterion") → its page."""

    def find(site: Site, endpoint: str) -> str:
        import importlib

        module, name = model.rsplit(".", 1)
        cls = getattr(importlib.import_module(f"app.{module}"), name)
        with site.context() as session:
            stmt = select(getattr(cls, column))
            if where is not None:
                stmt = stmt.where(*where(cls))
            value = session.scalar(stmt.order_by(*(order(cls) if order else [cls.id])).limit(1))
        if value is None:
            pytest.skip(f"the demo data has no {what}")
        return site.path(endpoint, value)

    return find


def area_names_page(site: Site, endpoint: str) -> str:
    """The names page of the first service area (its rule has two variables: kind and id)."""
    from app.core.models import ServiceArea

    with site.context() as session:
        area_id = session.scalar(select(ServiceArea.id).order_by(ServiceArea.id).limit(1))
    if area_id is None:
        pytest.skip("the demo data has no service area")
    return site.path(endpoint, kind="service", object_id=area_id)


def _visible_comment(Comment):
    return [Comment.visibility == "visible", Comment.parent_id.is_(None)]


def comment_author(site: Site) -> str:
    from app.accounts.models import User
    from app.comments.models import Comment

    with site.context() as session:
        email = session.scalar(
            select(User.email).join(Comment, Comment.author_id == User.id)
            .where(*_visible_comment(Comment), User.is_blocked.is_(False), User.name_flagged_at.is_(None))
            .order_by(Comment.id).limit(1)
        )
    if email is None:
        pytest.skip("the demo data has no comment")
    return email


def own_comment(site: Site, endpoint: str) -> str:
    from app.accounts.models import User
    from app.comments.models import Comment

    email = comment_author(site)
    with site.context() as session:
        comment_id = session.scalar(
            select(Comment.id).join(User, Comment.author_id == User.id)
            .where(User.email == email, *_visible_comment(Comment)).order_by(Comment.id).limit(1)
        )
    return site.path(endpoint, comment_id)


def _editable_idea_where(Idea):
    from app.ideas.models import IdeaStatus, Visibility

    return [Idea.visibility == Visibility.VISIBLE, Idea.status == IdeaStatus.SUBMITTED,
            Idea.first_answered_at.is_(None)]


def editable_idea_author(site: Site) -> str:
    from app.accounts.models import User
    from app.ideas.models import Idea

    with site.context() as session:
        email = session.scalar(
            select(User.email).join(Idea, Idea.author_id == User.id)
            .where(*_editable_idea_where(Idea), User.is_blocked.is_(False), User.name_flagged_at.is_(None))
            .order_by(Idea.id).limit(1)
        )
    if email is None:
        pytest.skip("the demo data has no idea its author can still edit")
    return email


def own_editable_idea(site: Site, endpoint: str) -> str:
    from app.accounts.models import User
    from app.ideas.models import Idea

    email = editable_idea_author(site)
    with site.context() as session:
        idea_id = session.scalar(
            select(Idea.id).join(User, Idea.author_id == User.id)
            .where(User.email == email, *_editable_idea_where(Idea)).order_by(Idea.id).limit(1)
        )
    return site.path(endpoint, idea_id)


def report_idea_form(site: Site, endpoint: str) -> str:
    """The report form for an idea the first demo resident did not write."""
    from app.accounts.models import User
    from app.ideas.models import Idea, Visibility

    email = site.user_email("resident")
    with site.context() as session:
        me = session.scalar(select(User.id).where(User.email == email))
        idea_id = session.scalar(
            select(Idea.id).where(Idea.visibility == Visibility.VISIBLE, Idea.author_id != me)
            .order_by(Idea.id.desc()).limit(1)
        )
    if idea_id is None:
        pytest.skip("the demo data has no idea to report")
    return site.path(endpoint, target_type="idea", target_id=idea_id)


def moderation_case(site: Site, endpoint: str) -> str:
    from app.moderation.models import ModerationCase

    with site.context() as session:
        case = session.execute(
            select(ModerationCase.target_type, ModerationCase.target_id)
            .order_by(ModerationCase.open_report_count.desc(), ModerationCase.id).limit(1)
        ).first()
    if case is None:
        pytest.skip("the demo data has no moderation case")
    return site.path(endpoint, target_type=str(case[0].value), target_id=case[1])


def _hidden_item(site: Site):
    from app.comments.models import Comment
    from app.ideas.models import Idea

    with site.context() as session:
        for kind, model in (("comment", Comment), ("idea", Idea)):
            row = session.execute(
                select(model.id, model.author_id).where(model.visibility == "hidden").order_by(model.id).limit(1)
            ).first()
            if row is not None:
                return kind, row[0], row[1]
    pytest.skip("the demo data has nothing hidden by the moderators")


def hidden_item_author(site: Site) -> str:
    from app.accounts.models import User

    _kind, _id, author_id = _hidden_item(site)
    with site.context() as session:
        return session.scalar(select(User.email).where(User.id == author_id))


def appeal_form(site: Site, endpoint: str) -> str:
    kind, item_id, _author = _hidden_item(site)
    return site.path(endpoint, target_type=kind, target_id=item_id)


def idea_to_answer(site: Site, endpoint: str) -> str:
    from app.ideas.models import Idea, IdeaStatus, Visibility

    return _idea_path(
        site, endpoint,
        where=[Idea.visibility == Visibility.VISIBLE, Idea.status == IdeaStatus.SUBMITTED],
        order=[Idea.vote_count.desc(), Idea.id], what="idea waiting for an answer",
    )


IDEA_DETAIL = ("ideas.detail",)
def _initiative_id(site: Site, status: str, what: str, fewest_signatures: bool = False) -> int:
    from app.initiatives.models import Initiative

    with site.context() as session:
        stmt = select(Initiative.id).where(Initiative.status == status)
        order = [Initiative.signature_count, Initiative.id] if fewest_signatures else [Initiative.id]
        initiative_id = session.scalar(stmt.order_by(*order).limit(1))
    if initiative_id is None:
        pytest.skip(f"the demo data has no {what}")
    return initiative_id


def _initiative_finder(status: str, what: str, fewest_signatures: bool = False):
    def find(site: Site, endpoint: str) -> str:
        return site.path(endpoint, _initiative_id(site, status, what, fewest_signatures))

    return find


collecting_initiative = _initiative_finder("collecting", "collecting initiative")
barely_signed_initiative = _initiative_finder("collecting", "collecting initiative", fewest_signatures=True)
submitted_initiative = _initiative_finder("submitted", "submitted initiative")
decided_initiative = _initiative_finder("decided", "decided initiative")
waiting_initiative = _initiative_finder("awaiting_moderation", "initiative waiting for moderation")
refused_initiative = _initiative_finder("refused", "refused initiative")


def _proposer_of(status: str, what: str):
    def who(site: Site) -> str:
        from app.accounts.models import User
        from app.initiatives.models import Initiative

        initiative_id = _initiative_id(site, status, what)
        with site.context() as session:
            return session.scalar(select(User.email).join(Initiative, Initiative.proposer_id == User.id)
                                  .where(Initiative.id == initiative_id))

    return who


proposer_of_waiting_initiative = _proposer_of("awaiting_moderation", "initiative waiting for moderation")
proposer_of_refused_initiative = _proposer_of("refused", "refused initiative")


def resident_yet_to_sign(site: Site) -> str:
    """A resident who has not signed the least-signed collecting initiative (its sign form)."""
    from app.accounts.models import Role, User
    from app.initiatives.models import Initiative, Signature

    initiative_id = _initiative_id(site, "collecting", "collecting initiative", fewest_signatures=True)
    with site.context() as session:
        signed = select(Signature.user_id).where(Signature.initiative_id == initiative_id,
                                                 Signature.user_id.is_not(None))
        proposer = select(Initiative.proposer_id).where(Initiative.id == initiative_id)
        return session.scalar(
            select(User.email).where(User.role == Role.RESIDENT, User.id.not_in(signed), User.id.not_in(proposer))
            .order_by(User.id).limit(1)
        )


IDEA_LIST = ("ideas.index",)
PROPOSE = ("ideas.create",)
PROJECT = "portfolio.models.Project"
SYSTEM = "portfolio.models.System"


def _meeting_id(site: Site, status: str) -> int:
    from app.portfolio.models import Meeting

    with site.context() as session:
        meeting_id = session.scalar(select(Meeting.id).where(Meeting.status == status).order_by(Meeting.id).limit(1))
    if meeting_id is None:
        pytest.skip(f"the demo data has no {status} forum meeting")
    return meeting_id


def held_meeting(site: Site, endpoint: str) -> str:
    return site.path(endpoint, meeting_id=_meeting_id(site, "held"))


def planned_meeting(site: Site, endpoint: str) -> str:
    return site.path(endpoint, meeting_id=_meeting_id(site, "planned"))


def minutes_item(query: str = ""):
    """The minutes form of the held meeting's first item (the one merged into: a decision)."""

    def find(site: Site, endpoint: str) -> str:
        from app.portfolio.models import AgendaItem

        meeting_id = _meeting_id(site, "held")
        with site.context() as session:
            item_id = session.scalar(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)
                                     .order_by(AgendaItem.position, AgendaItem.id).limit(1))
        return site.path(endpoint, meeting_id=meeting_id, item_id=item_id) + query

    return find


def project_with_changes(site: Site, endpoint: str) -> str:
    from app.portfolio.models import ProjectChange

    with site.context() as session:
        project_id = session.scalar(select(ProjectChange.project_id).group_by(ProjectChange.project_id)
                                    .order_by(func.count().desc(), ProjectChange.project_id).limit(1))
    if project_id is None:
        pytest.skip("the demo data has no project changes")
    return site.path(endpoint) + f"?project={project_id}"


PAGES: list[PageSpec] = [
    # Public pages
    PageSpec("home", ("ideas.home",), "/", main=True),
    PageSpec("idea list with filters", IDEA_LIST, with_args(sort="votes", status="submitted"), main=True),
    PageSpec("search results", IDEA_LIST, with_args(q="skolevei"), main=True),
    PageSpec("idea page with comments", IDEA_DETAIL, idea_with_comments, main=True),
    PageSpec("idea page with comments, signed in", IDEA_DETAIL, idea_with_comments, who="resident"),
    PageSpec("idea page with images", IDEA_DETAIL, idea_with_images),
    PageSpec("idea page with a hidden comment", IDEA_DETAIL, idea_with_hidden_comment),
    PageSpec("idea page with answer and project", IDEA_DETAIL, answered_idea),
    PageSpec("idea page as moderator", IDEA_DETAIL, idea_with_comments, who="moderator"),
    PageSpec("hidden idea", IDEA_DETAIL, hidden_idea),
    PageSpec("hidden idea seen by its author", IDEA_DETAIL, hidden_idea, who=author_of_hidden_idea),
    PageSpec("all comments", ("comments.thread",), idea_with_comments),
    PageSpec("transparency", ("moderation.transparency",), plain),
    PageSpec("API reference", ("api.docs",), "/api/v1/docs", prepare=swagger_rendered),
    PageSpec("portfolio", ("portfolio.portfolio",), plain, main=True),
    PageSpec("project page", ("portfolio.project",), public_project, main=True),
    PageSpec("SDG overview", ("portfolio.sdgs",), "/sdgs", main=True),
    PageSpec("SDG goal page", ("portfolio.sdg",), goal_11),
    PageSpec("organisation page", ("accounts.organisation",), organisation_path),
    PageSpec("accessibility statement", ("accessibility.statement",), "/accessibility"),
    PageSpec("open data", ("opendata.index",), "/open-data"),
    PageSpec("open data description", ("opendata.description",), "/open-data/description"),
    PageSpec("accessibility report with errors", ("accessibility.statement",), "/accessibility",
             prepare=send_form_empty),
    PageSpec("privacy", ("privacy.policy",), "/privacy"),
    # Accounts
    PageSpec("login", ("accounts.login",), "/login", main=True),
    PageSpec("login with errors", ("accounts.login",), "/login", prepare=send_form_empty),
    PageSpec("register", ("accounts.register",), "/register", main=True),
    PageSpec("register with errors", ("accounts.register",), "/register", prepare=send_form_empty),
    PageSpec("forgot password", ("accounts.forgot_password",), "/password/forgot"),
    PageSpec("reset password", ("accounts.reset_password",), reset_link),
    PageSpec("broken link", ("accounts.confirm_email",), "/confirm/not-a-real-token", status=400),
    # OpenID Connect: the browser site has no provider, so these are the pages a person sees
    # when sign-in cannot start or has run out (tests/browser/test_oidc_journeys.py has the rest).
    PageSpec("sign-in expired", ("accounts.oidc_welcome",), "/login/oidc/welcome", status=400),
    PageSpec("sign-in with an unknown provider", ("accounts.oidc_login",), "/login/oidc/nowhere",
             status=404),
    PageSpec("sign-in answer for an unknown provider", ("accounts.oidc_callback",),
             "/login/oidc/nowhere/callback", status=404),
    PageSpec("verify (no provider configured)", ("accounts.verify",), "/verify", status=404),
    PageSpec("profile", ("accounts.profile",), "/profile", who="resident", main=True),
    PageSpec("delete my account", ("privacy.delete_account",), "/profile/delete", who="resident"),
    # Sent empty: no choice made, so nothing is deleted; the page shows the errors.
    PageSpec("delete my account with errors", ("privacy.delete_account",), "/profile/delete",
             who="resident", prepare=send_form_empty),
    PageSpec("mine data", ("privacy.mine",), "/profile/data", who="resident"),
    # The e-mailed one-time download link: a ZIP, or a page; someone else's or a made-up one is 404.
    PageSpec("data export link, unknown", ("privacy.download",), "/profile/data/download/not-a-token",
             who="resident", status=404),
    PageSpec("organisation page, its admin", ("accounts.organisation",), organisation_path,
             who=organisation_admin),
    PageSpec("my invitations", ("accounts.invitations",), "/invitations", who=invitee),
    PageSpec("an invitation to join an organisation", ("accounts.invitation",), invitation_page,
             who=invitee),
    PageSpec("new organisation", ("accounts.organisation_new",), "/organisations/new", who="resident"),
    PageSpec("my organisations", ("accounts.my_organisations",), "/my/organisations", who=organisation_admin),
    PageSpec("messages", ("notifications.messages",), "/messages", who="resident"),
    PageSpec("unsubscribe from e-mail", ("notifications.unsubscribe",), unsubscribe_link),
    PageSpec("unsubscribe, invalid link", ("notifications.unsubscribe",), "/unsubscribe/not-a-token",
             status=400),
    PageSpec("message settings and follows", ("notifications.preferences",), "/messages/settings",
             who="resident"),
    PageSpec("message settings with errors", ("notifications.preferences",), "/messages/settings",
             who="resident", prepare=send_form_empty),
    # Taking part
    PageSpec("propose form", PROPOSE, plain, who="resident", main=True),
    PageSpec("propose form with errors", PROPOSE, plain, who="resident", prepare=send_form_empty),
    PageSpec("edit idea", ("ideas.edit",), own_editable_idea, who=editable_idea_author),
    PageSpec("withdraw idea", ("ideas.withdraw",), own_editable_idea, who=editable_idea_author),
    PageSpec("comment form", ("comments.new",), idea_with_comments, who="resident"),
    PageSpec("edit comment", ("comments.edit",), own_comment, who=comment_author),
    PageSpec("delete comment", ("comments.delete",), own_comment, who=comment_author),
    PageSpec("report form", ("moderation.report",), report_idea_form, who="resident"),
    PageSpec("report form with errors", ("moderation.report",), report_idea_form, who="resident",
             prepare=send_form_empty),
    PageSpec("my reports", ("moderation.my_reports",), plain, who="resident"),
    PageSpec("innbyggerforslag: list", ("initiatives.index",), plain, main=True),
    PageSpec("innbyggerforslag: list, collecting", ("initiatives.index",), with_args(status="collecting")),
    PageSpec("innbyggerforslag: collecting", ("initiatives.detail",), collecting_initiative, main=True),
    PageSpec("innbyggerforslag: submitted", ("initiatives.detail",), submitted_initiative),
    PageSpec("innbyggerforslag: decided with measures", ("initiatives.detail",), decided_initiative),
    PageSpec("innbyggerforslag: sign form", ("initiatives.detail",), barely_signed_initiative,
             who=resident_yet_to_sign),
    PageSpec("innbyggerforslag: sign form with errors", ("initiatives.detail",), barely_signed_initiative,
             who=resident_yet_to_sign, prepare=send_form_empty),
    PageSpec("innbyggerforslag: waiting, seen by its proposer", ("initiatives.detail",), waiting_initiative,
             who=proposer_of_waiting_initiative),
    PageSpec("innbyggerforslag: refused, seen by its proposer", ("initiatives.detail",), refused_initiative,
             who=proposer_of_refused_initiative),
    PageSpec("innbyggerforslag: propose form", ("initiatives.create",), plain, who="resident"),
    PageSpec("innbyggerforslag: propose form with errors", ("initiatives.create",), plain, who="resident",
             prepare=send_form_empty),
    PageSpec("appeal form", ("moderation.appeal",), appeal_form, who=hidden_item_author),
    # Staff
    PageSpec("moderation queue", ("moderation.queue",), plain, who="moderator", main=True),
    PageSpec("moderation item", ("moderation.item",), moderation_case, who="moderator"),
    PageSpec("audit log", ("moderation.log",), plain, who="moderator"),
    PageSpec("moderation: people", ("moderation.people",), plain, who="moderator"),
    PageSpec("moderation: one person", ("moderation.person",), a_resident_page, who="moderator"),
    PageSpec("staff: organisations to verify", ("accounts.staff_organisations",), "/staff/organisations",
             who="moderator"),
    PageSpec("innbyggerforslag: moderation queue", ("initiatives.moderation_queue",), plain, who="moderator"),
    PageSpec("innbyggerforslag: moderation queue with errors", ("initiatives.moderation_queue",), plain,
             who="moderator", prepare=send_form_empty),
    PageSpec("innbyggerforslag: deadlines", ("initiatives.staff_index",), plain, who="portfolio_manager"),
    PageSpec("innbyggerforslag: case page, submitted", ("initiatives.staff_detail",), submitted_initiative,
             who="portfolio_manager"),
    PageSpec("innbyggerforslag: case page with errors", ("initiatives.staff_detail",), submitted_initiative,
             who="portfolio_manager", prepare=send_form_empty),
    PageSpec("innbyggerforslag: case page, decided", ("initiatives.staff_detail",), decided_initiative,
             who="portfolio_manager"),
    PageSpec("innbyggerforslag: case page, collecting", ("initiatives.staff_detail",), collecting_initiative,
             who="portfolio_manager"),
    PageSpec("answer inbox", ("portfolio.inbox",), plain, who="portfolio_manager"),
    PageSpec("answer an idea", ("portfolio.answer_idea",), idea_to_answer, who="portfolio_manager"),
    # The pickers without JavaScript: the matches listed with a button each (and none found).
    PageSpec("answer an idea, searching the merge target and the project", ("portfolio.answer_idea",),
             lambda site, endpoint: idea_to_answer(site, endpoint) + "?merge_q=skole&project_q=skole",
             who="portfolio_manager"),
    PageSpec("answer an idea, nothing found", ("portfolio.answer_idea",),
             lambda site, endpoint: idea_to_answer(site, endpoint) + "?merge_q=zzqx", who="portfolio_manager"),
    PageSpec("board", ("portfolio.board",), plain, who="portfolio_manager", main=True),
    PageSpec("decisions", ("portfolio.decisions",), plain, who="portfolio_manager"),
    PageSpec("forum meetings", ("portfolio.meetings_list",), plain, who="portfolio_manager"),
    PageSpec("forum meeting, held, with its minutes", ("portfolio.meeting",), held_meeting, who="moderator"),
    PageSpec("forum meeting, planned, as its secretary", ("portfolio.meeting",), planned_meeting, who="admin"),
    PageSpec("new forum meeting", ("portfolio.meeting_new",), plain, who="portfolio_manager"),
    PageSpec("new forum meeting with errors", ("portfolio.meeting_new",), plain, who="portfolio_manager",
             prepare=send_form_empty),
    PageSpec("edit a forum meeting", ("portfolio.meeting_edit",), planned_meeting, who="portfolio_manager"),
    PageSpec("forum meeting: projects from the board", ("portfolio.meeting_agenda",), planned_meeting,
             who="portfolio_manager"),
    PageSpec("forum meeting: projects from the board, none chosen", ("portfolio.meeting_agenda",),
             planned_meeting, who="portfolio_manager", prepare=send_form_empty),
    PageSpec("forum minutes: one decision", ("portfolio.meeting_decision",), minutes_item(), who="admin"),
    PageSpec("forum minutes: one decision with errors", ("portfolio.meeting_decision",), minutes_item(),
             who="admin", prepare=send_form_empty),
    PageSpec("forum minutes: searching the project it merges with", ("portfolio.meeting_decision",),
             minutes_item("?merge_q=skole"), who="admin"),
    PageSpec("project change log", ("portfolio.project_changes",), plain, who="moderator"),
    PageSpec("project change log, one project", ("portfolio.project_changes",), project_with_changes,
             who="admin"),
    PageSpec("systems in use", ("portfolio.systems_list",), plain, who="portfolio_manager"),
    PageSpec("systems in use, searched and sorted", ("portfolio.systems_list",),
             lambda site, endpoint: site.path(endpoint) + "?q=skole&sort=contract_end&ending=plan",
             who="moderator"),
    PageSpec("one system in use", ("portfolio.system_detail",), first_row(SYSTEM, "system in use"),
             who="portfolio_manager"),
    PageSpec("add a system", ("portfolio.system_new",), plain, who="portfolio_manager"),
    PageSpec("add a system with errors", ("portfolio.system_new",), plain, who="portfolio_manager",
             prepare=send_form_empty),
    PageSpec("edit a system", ("portfolio.system_edit",), first_row(SYSTEM, "system in use"),
             who="portfolio_manager"),
    PageSpec("import systems", ("portfolio.systems_import",), plain, who="portfolio_manager"),
    PageSpec("import systems, mistakes by line", ("portfolio.systems_import",), plain,
             who="portfolio_manager", prepare=import_systems_with_mistakes),
    PageSpec("import systems, file checked", ("portfolio.systems_import",), plain,
             who="portfolio_manager", prepare=check_systems_file),
    PageSpec("competence groups", ("portfolio.groups_list",), plain, who="portfolio_manager"),
    PageSpec("competence groups, a new group with errors", ("portfolio.groups_list",), plain,
             who="portfolio_manager", prepare=send_form_empty),
    PageSpec("competence groups, read by a moderator", ("portfolio.groups_list",), plain, who="moderator"),
    PageSpec("one competence group", ("portfolio.group_edit",),
             first_row("portfolio.models.CompetenceGroup", "competence group"), who="portfolio_manager"),
    PageSpec("one competence group with errors", ("portfolio.group_edit",),
             first_row("portfolio.models.CompetenceGroup", "competence group"), who="portfolio_manager",
             prepare=send_form_empty),
    PageSpec("new project", ("portfolio.project_new",), plain, who="portfolio_manager"),
    PageSpec("new project with errors", ("portfolio.project_new",), plain, who="portfolio_manager",
             prepare=send_form_empty),
    PageSpec("edit project", ("portfolio.project_edit",), first_row(PROJECT, "project"),
             who="portfolio_manager"),
    PageSpec("assess project", ("portfolio.project_assess",), first_row(PROJECT, "project"),
             who="portfolio_manager"),
    PageSpec("project page, staff", ("portfolio.project",), first_row(PROJECT, "project"),
             who="portfolio_manager"),
    PageSpec("project page, staff searching an idea to link", ("portfolio.project",),
             lambda site, endpoint: first_row(PROJECT, "project")(site, endpoint) + "?idea_q=vei",
             who="portfolio_manager"),
    PageSpec("board, one plan year and the council's priorities", ("portfolio.board",), board_plan_year,
             who="portfolio_manager"),
    PageSpec("project priorities", ("portfolio.project_priorities",), first_row(PROJECT, "project"),
             who="portfolio_manager"),
    PageSpec("project priorities with errors", ("portfolio.project_priorities",), first_row(PROJECT, "project"),
             who="portfolio_manager", prepare=send_priorities_wrong),
    PageSpec("project costs per plan year", ("portfolio.project_costs_edit",), first_row(PROJECT, "project"),
             who="portfolio_manager"),
    PageSpec("project costs per plan year with errors", ("portfolio.project_costs_edit",),
             first_row(PROJECT, "project"), who="portfolio_manager", prepare=send_amounts_wrong),
    PageSpec("budget per plan year", ("portfolio.plan_budgets_edit",), plain, who="admin"),
    PageSpec("budget per plan year with errors", ("portfolio.plan_budgets_edit",), plain, who="admin",
             prepare=send_amounts_wrong),
    PageSpec("budget per plan year, read by a manager of some areas", ("portfolio.plan_budgets_edit",), plain,
             who=scoped_manager),
    PageSpec("admin: users", ("accounts.admin_users",), "/admin/users", who="admin"),
    PageSpec("admin: users, nobody found", ("accounts.admin_users",), "/admin/users?q=zzqx", who="admin"),
    PageSpec("admin: one user", ("accounts.admin_user",), a_resident_page, who="admin"),
    PageSpec("admin: a staff member limited to an area", ("accounts.admin_user",), a_scoped_staff_page,
             who="admin"),
    PageSpec("board, a portfolio manager for one area", ("portfolio.board",), plain, who=scoped_manager),
    PageSpec("answer inbox, a portfolio manager for one area", ("portfolio.inbox",), plain,
             who=scoped_manager),
    PageSpec("moderation queue, a moderator for one area", ("moderation.queue",), plain, who=scoped_moderator),
    PageSpec("admin: structure", ("portfolio.admin_structure",), "/admin/structure", who="admin"),
    PageSpec("admin: an area's names", ("portfolio.admin_area_names",), area_names_page, who="admin"),
    PageSpec("admin: an area's names with errors", ("portfolio.admin_area_names",), area_names_page,
             who="admin", prepare=send_form_empty),
    PageSpec("admin: criteria", ("portfolio.admin_criteria",), plain, who="admin"),
    PageSpec("admin: one criterion", ("portfolio.admin_criterion",),
             first_row("portfolio.models.Criterion", "criterion"), who="admin"),
    PageSpec("admin: local targets", ("portfolio.admin_local_targets",), plain, who="admin"),
    PageSpec("admin: one local target", ("portfolio.admin_local_target",),
             first_row("portfolio.models.LocalTarget", "local target"), who="admin"),
    PageSpec("admin: accessibility reports", ("accessibility.reports",),
             "/admin/accessibility-reports", who="admin"),
    PageSpec("admin: privacy requests", ("privacy.staff_search",), "/admin/privacy?q=a", who="admin"),
    PageSpec("admin: one person's data", ("privacy.staff_person",), a_resident_page, who="admin"),
    # Errors
    PageSpec("error 404", ("ideas.home",), "/finnes-ikke", status=404),
    PageSpec("error 403", ("accounts.admin_users",), "/admin/users", who="resident", status=403),
]

MAIN_PAGES = [p for p in PAGES if p.main]


def resolve(site: Site, spec: PageSpec) -> str:
    """The page's path, or a skip naming the endpoint that is not built yet."""
    endpoint = site.endpoint(*spec.endpoints)
    if callable(spec.url):
        return spec.url(site, endpoint)
    return spec.url


def covered_endpoints() -> set[str]:
    return {e for spec in PAGES for e in spec.endpoints}
