"""Signals the accounts domain sends, so later domains (moderation's audit log) can listen."""

from blinker import Namespace

_signals = Namespace()

# sender: the acting staff user; kwargs: user=..., reason=..., until=..., hide_content=...
user_blocked = _signals.signal("user-blocked")
user_unblocked = _signals.signal("user-unblocked")
# sender: the acting moderator; kwargs: organisation=..., reason=...
organisation_verified = _signals.signal("organisation-verified")
organisation_rejected = _signals.signal("organisation-rejected")
# sender: the user; kwargs: old_name=..., new_name=...
name_corrected = _signals.signal("name-corrected")
# sender: the actor; kwargs: user=..., old_role=..., new_role=...
role_changed = _signals.signal("role-changed")
# sender: the actor (None: the command line); kwargs: user=..., old_areas=..., new_areas=...
# (lists of MunicipalArea the user's role is limited to; empty: the whole municipality)
areas_changed = _signals.signal("areas-changed")
