"""The client's address: the one place every per-address limit asks (allauth's login, sign-up and
reset limits through participation.adapter.AccountAdapter.get_client_ip).

Behind the TLS-terminating proxy (DJANGO_BEHIND_PROXY) REMOTE_ADDR is the proxy for every
visitor, so per-address limits would count the whole city as one client. Each trusted proxy
appends the address it received the request from to X-Forwarded-For; the entry the outermost
trusted proxy appended is the client. Entries further left were written by the client and can be
anything. Without a trusted proxy the header is ignored: anyone could send it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [a for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            address = _valid(forwarded[-hops])
            if address:
                return address
    # Directly connected (or a proxy that sent no usable header): the socket's peer.
    return _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
