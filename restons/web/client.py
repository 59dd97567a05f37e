"""Who is on the other end of a request: the client's address, believing proxies only when trusted.

``RESTONS_TRUSTED_PROXIES`` names the reverse proxies (addresses or networks)
whose forwarded headers are believed. A request from anywhere else has its
``X-Forwarded-*`` and ``Forwarded`` headers removed before any other code
sees them, so that nobody can claim another address (login throttling, the
sessions list) or claim HTTPS (``SECURE_PROXY_SSL_HEADER``) by sending a header.
"""

from __future__ import annotations

import ipaddress

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_BY", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def trusted_proxies() -> list:
    """The networks of RESTONS_TRUSTED_PROXIES (``settings.TRUSTED_PROXIES``)."""
    from django.conf import settings

    return settings.TRUSTED_PROXIES


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted(address, proxies=None) -> bool:
    """True when ``address`` (text or ip_address) is one of the trusted proxies."""
    proxies = trusted_proxies() if proxies is None else proxies
    found = _address(address) if isinstance(address, str) else address
    return found is not None and any(found in network for network in proxies)


def client_address(remote_addr: str, forwarded_for: str, proxies=None) -> str:
    """The client's address for a request from ``remote_addr`` carrying ``X-Forwarded-For: forwarded_for``.

    From an untrusted peer, the peer itself: its ``X-Forwarded-For`` is ignored.
    From a trusted proxy, the right-most entry of ``X-Forwarded-For`` that is not
    a trusted proxy (each proxy appends the address it saw; what is left of that
    was written by the client and proves nothing). A malformed entry stops the
    walk at the last address a trusted proxy vouched for.
    """
    proxies = trusted_proxies() if proxies is None else proxies
    nearest = remote_addr
    if not is_trusted(remote_addr, proxies):
        return remote_addr
    for entry in reversed([part for part in forwarded_for.split(",") if part.strip()]):
        found = _address(entry)
        if found is None:
            return nearest
        nearest = str(found)
        if not is_trusted(found, proxies):
            return nearest
    return nearest


def client_ip(request) -> str:
    """The address of the client of ``request`` (see :func:`client_address`)."""
    return client_address(request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""))


class TrustedProxyMiddleware:
    """Drop forwarded headers that do not come from a trusted proxy (first in the chain)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
