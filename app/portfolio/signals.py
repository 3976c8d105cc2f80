"""Signals the portfolio sends after a commit, for listeners in other domains (follows, feeds)."""

from collections.abc import Callable

from blinker import Namespace

_signals = Namespace()

# sender: the Idea; status_change: the StatusChange just written; actor: the staff member.
idea_status_changed = _signals.signal("idea-status-changed")
# sender: the merged Idea; into: the Idea it now lives on; actor.
idea_merged = _signals.signal("idea-merged")
# sender: the Project; update: the ProjectUpdate; actor.
project_update_posted = _signals.signal("project-update-posted")
# sender: the Project; phase_change: the ProjectPhaseChange just written (who, when, from,
# to, explanation); actor: the staff member. Sent after the commit, once per phase change;
# each idea the phase moved also gets its own idea_status_changed.
project_phase_changed = _signals.signal("project-phase-changed")
# sender: the Project; decision: the Decision just recorded or corrected (corrected=True);
# actor: the staff member. Sent after the commit.
decision_recorded = _signals.signal("decision-recorded")

# The viewer's own state of a project that other domains show on its page (e.g. "following"),
# as SQL expressions the page's history statement selects (queries.project_page):
# expression(project_id, user_id) -> boolean. Registered by those domains, so portfolio
# never imports them.
PROJECT_VIEWER_STATES: dict[str, Callable] = {}


def register_project_viewer_state(name: str, expression: Callable) -> None:
    PROJECT_VIEWER_STATES[name] = expression
