"""What the other domains' signals turn into: auto-follows and notices to the people concerned.

Ideas, the discussion, accounts, innbyggerforslag and the organisation signals arrive inside
the sender's transaction, so what is written here commits (or rolls back) with the change
itself. The portfolio's signals arrive after its commit: their notices are written and
committed in a transaction of their own, and a failure there is logged, never shown to the
person whose change is already saved. Never a notice to the person who did the thing.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import literal, select, union

from app.core.urls import site_path
from app.extensions import db
from app.notifications import follows
from app.notifications.fanout import fan_out, followers_of, told_recently
from app.notifications.models import Follow, FollowTarget
from app.notifications.services import notify

log = logging.getLogger("medvirk.notifications")

# One event sent as two signals (a phase, and the status it gives each idea) is told once
# to a person if both arrive within this time.
SAME_EVENT = timedelta(minutes=2)


def _idea_path(idea_id: int) -> str:
    return site_path("ideas.detail", idea_id=idea_id)


def _project_path(project_id: int) -> str:
    return site_path("portfolio.project", project_id=project_id)


def _own_transaction(what: str, write) -> None:
    """Run `write` and commit; on failure roll back and log (tests see the error)."""
    try:
        write()
        db.session.commit()
    except Exception:
        db.session.rollback()
        if current_app.testing:
            raise
        log.exception("notices for %s were not written", what)


# --- ideas (inside the transaction) -------------------------------------------------------


def _on_idea_submitted(author, idea, **_kw):
    follows.auto_follow(author, "auto_follow.propose", idea.id)
    area_followers = followers_of(FollowTarget.SERVICE_AREA, [idea.service_area_id])
    fan_out("follows.area_idea", "follows_area_idea", area_followers, actor_id=author.id,
            url=_idea_path(idea.id), idea=idea)
    if idea.organisation_id is not None:
        fan_out("follows.organisation_idea", "follows_organisation_idea",
                followers_of(FollowTarget.ORGANISATION, [idea.organisation_id]),
                actor_id=author.id, exclude=area_followers, url=_idea_path(idea.id), idea=idea)


def _on_vote_cast(actor, idea_id, **_kw):
    follows.auto_follow(actor, "auto_follow.vote", idea_id)


def _on_idea_endorsed(actor, idea, organisation, **_kw):
    author = idea.author
    if author is not None and author.id != actor.id:
        notify(author, "ideas.endorsed", "ideas_endorsed", url=_idea_path(idea.id),
               idea=idea, organisation=organisation)


# --- organisations (inside the transaction) -----------------------------------------------


def _members(organisation) -> select:
    from app.accounts.models import Membership

    return select(Membership.user_id).where(Membership.organisation_id == organisation.id)


def _on_organisation_verified(actor, organisation, reason="", **_kw):
    fan_out("accounts.organisation_verified", "accounts_organisation_verified", _members(organisation),
            actor_id=getattr(actor, "id", None),
            url=site_path("accounts.organisation", organisation_id=organisation.id),
            organisation=organisation)


def _on_organisation_rejected(actor, organisation, reason="", **_kw):
    fan_out("accounts.organisation_rejected", "accounts_organisation_rejected", _members(organisation),
            actor_id=getattr(actor, "id", None),
            url=site_path("accounts.organisation", organisation_id=organisation.id),
            organisation=organisation, reason=reason)


# --- the discussion (inside the transaction) ----------------------------------------------


def _on_comment_posted(author, comment, idea, **_kw):
    follows.auto_follow(author, "auto_follow.comment", idea.id)
    # The comment's own link finds the page of the thread it is on when the notice is opened.
    url = site_path("comments.show", comment_id=comment.id)
    told = {author.id}
    parent = comment.parent if comment.parent_id else None
    if parent is not None and parent.author is not None and parent.author_id not in told:
        notify(parent.author, "comments.reply", "comments_reply", url=url,
               idea=idea, comment=comment, commenter=author)
        told.add(parent.author_id)
    if idea.author is not None and idea.author_id not in told:
        notify(idea.author, "ideas.comment", "ideas_comment", url=url,
               idea=idea, comment=comment, commenter=author)


# --- the portfolio (after its commit) -----------------------------------------------------


def _linked_idea_ids(project_id: int):
    from app.ideas.models import Idea, Visibility
    from app.portfolio.models import ProjectIdea

    return select(ProjectIdea.idea_id).join(Idea, Idea.id == ProjectIdea.idea_id).where(
        ProjectIdea.project_id == project_id, Idea.visibility == Visibility.VISIBLE
    )


def _on_idea_status_changed(idea, status_change, actor, **_kw):
    if not idea.is_visible:
        return

    def write():
        from app.ideas.labels import status_label
        from app.portfolio.models import Project, ProjectIdea

        projects = list(db.session.scalars(
            select(ProjectIdea.project_id).join(Project, Project.id == ProjectIdea.project_id)
            .where(ProjectIdea.idea_id == idea.id, Project.public.is_(True))
        ))
        author = idea.author
        if status_change.by_project and author is not None and author.id != getattr(actor, "id", None):
            # Staff's own answers tell the author (answers.apply_status); a project's phase moves
            # the idea without one, so the author hears it here, as about their own idea.
            notify(author, "portfolio.status", "portfolio_status", url=_idea_path(idea.id), idea=idea,
                   status=status_label(status_change.to_status), explanation=status_change.explanation)
        since = status_change.created_at - SAME_EVENT
        exclude = union(
            select(literal(idea.author_id)),  # told as the author (portfolio.status)
            told_recently(("follows.project_phase",), [_project_path(p) for p in projects], since),
        )
        fan_out("follows.idea_status", "follows_idea_status", followers_of(FollowTarget.IDEA, [idea.id]),
                actor_id=getattr(actor, "id", None), exclude=exclude, url=_idea_path(idea.id),
                idea=idea, status=status_label(status_change.to_status),
                explanation=status_change.explanation)

    _own_transaction("portfolio.idea_status_changed", write)


def _on_idea_merged(idea, into, actor, **_kw):
    # The voters count on the idea it went into; its followers follow it there too.
    _own_transaction("portfolio.idea_merged",
                     lambda: follows.copy_follows(FollowTarget.IDEA.value, idea.id, into.id))


def _project_audience(project_id: int):
    """The project's followers and the followers of its visible linked ideas."""
    return union(
        followers_of(FollowTarget.PROJECT, [project_id]),
        followers_of(FollowTarget.IDEA, _linked_idea_ids(project_id)),
    )


def _on_project_phase_changed(project, phase_change, actor, **_kw):
    if not project.public:
        return

    def write():
        from app.portfolio.models import PHASE_LABELS

        idea_urls = [_idea_path(i) for i in db.session.scalars(_linked_idea_ids(project.id))]
        since = phase_change.created_at - SAME_EVENT
        fan_out("follows.project_phase", "follows_project_phase", _project_audience(project.id),
                actor_id=getattr(actor, "id", None),
                exclude=told_recently(("follows.idea_status", "portfolio.status"), idea_urls, since),
                url=_project_path(project.id), project=project,
                phase=str(PHASE_LABELS.get(phase_change.to_phase, phase_change.to_phase)),
                explanation=phase_change.explanation)

    _own_transaction("portfolio.project_phase_changed", write)


def _on_project_update_posted(project, update, actor, **_kw):
    if not project.public:
        return

    def write():
        from app.ideas.models import Idea

        authors = select(Idea.author_id).where(Idea.id.in_(_linked_idea_ids(project.id)))
        actor_id = getattr(actor, "id", None)
        url = _project_path(project.id)
        fan_out("portfolio.update", "follows_project_update", authors, actor_id=actor_id, url=url,
                project=project, update=update, own=True)
        fan_out("follows.project_update", "follows_project_update", _project_audience(project.id),
                actor_id=actor_id, exclude=authors, url=url, project=project, update=update, own=False)

    _own_transaction("portfolio.project_update_posted", write)


def _on_decision_recorded(project, decision, actor, corrected=False, **_kw):
    """The forum's decision: a public project's followers and its ideas' followers hear of it;
    an internal project's decision only reaches the followers who may see the project (staff)."""

    def write():
        from app.accounts.models import User
        from app.accounts.permissions import CAPABILITIES
        from app.portfolio.models import OUTCOME_LABELS

        if project.public:
            audience = _project_audience(project.id)
        else:
            audience = followers_of(FollowTarget.PROJECT, [project.id]).join(
                User, User.id == Follow.user_id).where(User.role.in_(CAPABILITIES["view_internal_projects"]))
        merged = decision.merged_into
        fan_out("follows.project_decision", "follows_project_decision", audience,
                actor_id=getattr(actor, "id", None), url=_project_path(project.id) + "#decisions",
                project=project, decision=decision, corrected=corrected,
                outcome=str(OUTCOME_LABELS.get(decision.outcome, decision.outcome)),
                # The project it joins is named only where everybody told may see it.
                merged_title=merged.title if merged is not None and (merged.public or not project.public) else "")

    _own_transaction("portfolio.decision_recorded", write)


# --- innbyggerforslag (inside the transaction) -------------------------------------------


def _initiative_path(initiative_id: int) -> str:
    return site_path("initiatives.detail", initiative_id=initiative_id)


def _signers(initiative_id: int) -> select:
    from app.initiatives.models import Signature

    return select(Signature.user_id).where(
        Signature.initiative_id == initiative_id, Signature.user_id.is_not(None)
    )


def _tell_proposer(actor, initiative, kind: str, template: str, **context) -> None:
    proposer = initiative.proposer
    if proposer is None or proposer.id == getattr(actor, "id", None) or proposer.is_former_participant:
        return
    notify(proposer, kind, template, url=_initiative_path(initiative.id), initiative=initiative, own=True,
           **context)


def _tell_signers(actor, initiative, kind: str, template: str, **context) -> None:
    """Everyone who signed, but the proposer (told as the proposer) and the actor."""
    fan_out(kind, template, _signers(initiative.id), actor_id=getattr(actor, "id", None),
            exclude=select(literal(initiative.proposer_id)), url=_initiative_path(initiative.id),
            initiative=initiative, own=False, **context)


def _on_initiative_approved(actor, initiative, **_kw):
    _tell_proposer(actor, initiative, "initiatives.approved", "initiatives_approved")


def _on_initiative_refused(actor, initiative, reason="", **_kw):
    _tell_proposer(actor, initiative, "initiatives.refused", "initiatives_refused", reason=reason)


def _on_initiative_submitted(actor, initiative, **_kw):
    _tell_signers(actor, initiative, "initiatives.signed_submitted", "initiatives_submitted")


def _on_initiative_decided(actor, initiative, **_kw):
    _tell_proposer(actor, initiative, "initiatives.decided", "initiatives_decided")
    _tell_signers(actor, initiative, "initiatives.signed_decided", "initiatives_decided")


def _on_initiative_rejected(actor, initiative, **_kw):
    _tell_proposer(actor, initiative, "initiatives.rejected", "initiatives_rejected")
    _tell_signers(actor, initiative, "initiatives.signed_rejected", "initiatives_rejected")


def _on_initiative_measure(actor, initiative, measure, **_kw):
    _tell_proposer(actor, initiative, "initiatives.measure", "initiatives_measure", measure=measure)
    _tell_signers(actor, initiative, "initiatives.signed_measure", "initiatives_measure", measure=measure)


def connect_signals() -> None:
    from app.accounts import signals as account_signals
    from app.comments import signals as comment_signals
    from app.ideas import signals as idea_signals
    from app.portfolio import signals as portfolio_signals

    idea_signals.idea_submitted.connect(_on_idea_submitted)
    idea_signals.vote_cast.connect(_on_vote_cast)
    idea_signals.idea_endorsed.connect(_on_idea_endorsed)
    account_signals.organisation_verified.connect(_on_organisation_verified)
    account_signals.organisation_rejected.connect(_on_organisation_rejected)
    comment_signals.comment_posted.connect(_on_comment_posted)
    portfolio_signals.idea_merged.connect(_on_idea_merged)
    portfolio_signals.idea_status_changed.connect(_on_idea_status_changed)
    portfolio_signals.project_update_posted.connect(_on_project_update_posted)
    portfolio_signals.project_phase_changed.connect(_on_project_phase_changed)
    from app.initiatives import signals as initiative_signals

    initiative_signals.initiative_approved.connect(_on_initiative_approved)
    initiative_signals.initiative_refused.connect(_on_initiative_refused)
    initiative_signals.initiative_submitted.connect(_on_initiative_submitted)
    initiative_signals.initiative_decided.connect(_on_initiative_decided)
    initiative_signals.initiative_rejected.connect(_on_initiative_rejected)
    initiative_signals.measure_recorded.connect(_on_initiative_measure)
    portfolio_signals.decision_recorded.connect(_on_decision_recorded)
