"""Notice kinds, the preference groups they belong to, and each group's default channel.

A notice's `kind` ("portfolio.status") says what happened; a person chooses per group
("own_idea") how such notices reach them. One table, read by notify(), the fan-out, the
preferences page and the digests.
"""

from flask_babel import lazy_gettext as _l

# How a notice reaches a person.
APP = "app"              # in the platform only (Meldinger)
IMMEDIATE = "immediate"  # in the platform and by e-mail at once
DAILY = "daily"          # in the platform, and in the daily digest
WEEKLY = "weekly"        # in the platform, and in the weekly digest
OFF = "off"              # not at all
CHANNELS = (APP, IMMEDIATE, DAILY, WEEKLY, OFF)
DIGEST_CHANNELS = (DAILY, WEEKLY)

CHANNEL_LABELS = {
    APP: _l("Bare i Medvirk"),
    IMMEDIATE: _l("E-post med en gang"),
    DAILY: _l("Daglig samlet e-post"),
    WEEKLY: _l("Ukentlig samlet e-post"),
    OFF: _l("Av"),
}

# Preference group -> (default channel, label, help text).
PREFERENCE_KINDS = {
    "own_idea": (IMMEDIATE, _l("Idéene mine"),
                 _l("Svar, statusendringer, kommentarer og støtte fra organisasjoner på idéer du har sendt inn.")),
    "replies": (IMMEDIATE, _l("Svar på kommentarene mine"), _l("Når noen svarer på en kommentar du har skrevet.")),
    "followed_ideas": (WEEKLY, _l("Idéer jeg følger"), _l("Svar og statusendringer på idéer du følger.")),
    "followed_projects": (WEEKLY, _l("Prosjekter jeg følger"),
                          _l("Ny fase, oppdateringer og beslutninger i prosjekter du følger eller som idéer du følger er en del av.")),
    "followed_areas": (WEEKLY, _l("Virksomhetsområder og organisasjoner jeg følger"),
                       _l("Nye idéer i virksomhetsområder og fra organisasjoner du følger.")),
    "organisation": (IMMEDIATE, _l("Organisasjonene mine"),
                     _l("Godkjenning av organisasjoner du er med i, og invitasjoner.")),
    "own_initiatives": (IMMEDIATE, _l("Innbyggerforslagene mine"),
                        _l("Godkjenning, kommunestyrets vedtak og tiltak for innbyggerforslag du har fremmet.")),
    "signed_initiatives": (IMMEDIATE, _l("Innbyggerforslag jeg har signert"),
                           _l("Når et forslag du har signert, blir sendt inn, behandlet av kommunestyret eller får "
                              "tiltak.")),
    "moderation": (IMMEDIATE, _l("Moderering"),
                   _l("Når innhold du har skrevet blir skjult eller gjenopprettet, og svar på klager.")),
}

# Notice kind -> preference group. A kind not listed here is sent at once and cannot be
# switched off (kept for what the person must know, e.g. about their account).
KIND_GROUPS = {
    # My own idea
    "portfolio.status": "own_idea",
    "portfolio.merged": "own_idea",
    "portfolio.linked": "own_idea",
    "portfolio.update": "own_idea",
    "ideas.comment": "own_idea",
    "ideas.endorsed": "own_idea",
    # My comment
    "comments.reply": "replies",
    # What I follow
    "follows.idea_status": "followed_ideas",
    "follows.project_phase": "followed_projects",
    "follows.project_update": "followed_projects",
    "follows.project_decision": "followed_projects",
    "follows.area_idea": "followed_areas",
    "follows.organisation_idea": "followed_areas",
    # Organisations
    "accounts.organisation_verified": "organisation",
    "accounts.organisation_rejected": "organisation",
    "accounts.invitation": "organisation",
    # Innbyggerforslag I proposed, and those I signed
    "initiatives.approved": "own_initiatives",
    "initiatives.refused": "own_initiatives",
    "initiatives.decided": "own_initiatives",
    "initiatives.rejected": "own_initiatives",
    "initiatives.measure": "own_initiatives",
    "initiatives.signed_submitted": "signed_initiatives",
    "initiatives.signed_decided": "signed_initiatives",
    "initiatives.signed_rejected": "signed_initiatives",
    "initiatives.signed_measure": "signed_initiatives",
    # Moderation
    "moderation.auto_hidden": "moderation",
    "moderation.hidden": "moderation",
    "moderation.restored": "moderation",
    "moderation.appeal_decided": "moderation",
    "moderation.name_flagged": "moderation",
    "moderation.blocked": "moderation",
    "moderation.unblocked": "moderation",
}

# Switches for following what I take part in; stored as NoticePreference rows, "on"/"off".
ON = "on"
AUTO_FOLLOW = {
    "auto_follow.propose": _l("Følg idéer jeg sender inn"),
    "auto_follow.vote": _l("Følg idéer jeg stemmer på"),
    "auto_follow.comment": _l("Følg idéer jeg kommenterer"),
}


def group_of(kind: str) -> str | None:
    """The preference group of a notice kind, or None for one that cannot be switched off."""
    return KIND_GROUPS.get(kind)


def default_channel(kind: str) -> str:
    group = KIND_GROUPS.get(kind)
    return PREFERENCE_KINDS[group][0] if group else IMMEDIATE
