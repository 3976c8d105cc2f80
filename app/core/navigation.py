"""The staff menu: each domain registers its screens here, with an optional waiting count."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StaffLink:
    capability: str
    endpoint: str
    label: object  # a lazy string
    count: Callable | None = None  # count(user) -> int, e.g. items waiting in a queue


STAFF_NAV: list[StaffLink] = []


def register_staff_link(capability: str, endpoint: str, label, count: Callable | None = None) -> None:
    if all(link.endpoint != endpoint for link in STAFF_NAV):
        STAFF_NAV.append(StaffLink(capability, endpoint, label, count))
