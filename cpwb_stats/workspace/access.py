"""Who may see and change what: the roles of DESIGN section 5, checked wherever data is read.

- ``admin``: every zone, accounts and the audit log;
- ``zone_editor``: upload, targets and mappings for their own zones;
- ``zone_viewer``: read their own zones;
- ``analyst``: read every zone, and the combined views (always under disclosure control);
- a visitor who has not signed in sees the demo zones only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cpwb_stats.problems import Refused, error

ROLES = ("admin", "zone_editor", "zone_viewer", "analyst")
ZONE_ROLES = ("zone_editor", "zone_viewer")


@dataclass(frozen=True)
class Actor:
    """Whoever is acting: a signed-in account, the command line, or an anonymous visitor."""

    name: str
    role: str | None = None
    zones: frozenset[str] = field(default_factory=frozenset)

    @property
    def signed_in(self) -> bool:
        return self.role is not None

    @property
    def sees_every_zone(self) -> bool:
        return self.role in ("admin", "analyst")


VISITOR = Actor("visitor")
SYSTEM = Actor("system", "admin")


def may_read(actor: Actor, zone: str, demo: bool) -> bool:
    return demo or actor.sees_every_zone or (actor.role in ZONE_ROLES and zone in actor.zones)


def may_write(actor: Actor, zone: str, demo: bool) -> bool:
    if actor.role == "admin":
        return True
    return not demo and actor.role == "zone_editor" and zone in actor.zones


def require_read(actor: Actor, zone: str, demo: bool) -> None:
    if not may_read(actor, zone, demo):
        raise Refused([error("zone_not_allowed", value=zone)])


def require_write(actor: Actor, zone: str, demo: bool) -> None:
    if not may_write(actor, zone, demo):
        raise Refused([error("zone_not_writable", value=zone)])


def require_admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise Refused([error("admin_only")])
