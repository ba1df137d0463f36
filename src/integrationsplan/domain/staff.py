"""Staff: the integration managers (Integrationsmanagerinnen und -manager)."""

from __future__ import annotations

import attrs

from integrationsplan.domain._validators import PERSONAL, ags, identifier, number, redacted_repr, text

__all__ = ["IntegrationManager"]


@attrs.frozen
class IntegrationManager:
    """An integration manager employed by a municipality.

    ``full_time_share`` is the post's share of a full-time position (1.0 = 100 %);
    posts funded under the Pakt für Integration may be split down to a quarter, so it
    lies between 0.25 and 1.0. Caseload figures are computed per full-time equivalent.
    """

    staff_id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text(200), metadata=PERSONAL, repr=redacted_repr)
    municipality_ags: str = attrs.field(validator=ags)
    full_time_share: float = attrs.field(default=1.0, validator=number(0.25, 1.0))
