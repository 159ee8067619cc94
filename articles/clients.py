"""Who is asking: the reader's own address, read through the load balancers the site trusts.

Behind a load balancer every request comes from the balancer's address, so the reader's is taken from
`X-Forwarded-For`, but only as far as the hops that TRUSTED_PROXIES names: a client can write anything in
that header, and only what a trusted proxy appended is believed. With no proxies configured, the header is
ignored and the connection's own address is the reader's.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address of the client that sent `request`, seen through trusted proxies only."""
    address = request.META.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    # Right to left: each trusted proxy appended the address it was called from.
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            return hop
        address = hop
    return address
