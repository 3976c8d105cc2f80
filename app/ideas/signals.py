"""What happens to ideas, for other domains to react to (notices, follows, audit log).

Each signal is sent with the acting user as sender, inside the service's transaction
(before the commit), so a receiver may add rows to the same transaction.
"""

from blinker import Namespace

_signals = Namespace()

idea_submitted = _signals.signal("idea-submitted")  # idea=
idea_edited = _signals.signal("idea-edited")  # idea=
idea_withdrawn = _signals.signal("idea-withdrawn")  # idea=, reason=
vote_cast = _signals.signal("vote-cast")  # idea_id=
vote_withdrawn = _signals.signal("vote-withdrawn")  # idea_id=
idea_endorsed = _signals.signal("idea-endorsed")  # idea=, organisation=
endorsement_withdrawn = _signals.signal("endorsement-withdrawn")  # idea=, organisation=
