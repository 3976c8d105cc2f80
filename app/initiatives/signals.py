"""What happens to innbyggerforslag, for other domains to react to (notices, follows).

Each signal is sent with the acting user as sender, inside the service's transaction (before
the commit), so a receiver's rows (notices) commit or roll back with the change itself.
"""

from blinker import Namespace

_signals = Namespace()

initiative_proposed = _signals.signal("initiative-proposed")  # initiative=
initiative_approved = _signals.signal("initiative-approved")  # initiative=
initiative_refused = _signals.signal("initiative-refused")  # initiative=, reason=
initiative_signed = _signals.signal("initiative-signed")  # initiative_id=
signature_withdrawn = _signals.signal("initiative-signature-withdrawn")  # initiative_id=
initiative_submitted = _signals.signal("initiative-submitted")  # initiative=
initiative_expired = _signals.signal("initiative-expired")  # initiative= (sender None: time)
initiative_decided = _signals.signal("initiative-decided")  # initiative=
initiative_rejected = _signals.signal("initiative-rejected-same-content")  # initiative=
measure_recorded = _signals.signal("initiative-measure-recorded")  # initiative=, measure=
paper_signatures_registered = _signals.signal("initiative-paper-signatures")  # initiative=, batch=
