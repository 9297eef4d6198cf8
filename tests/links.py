"""Personal links in e-mails (verification, password reset) carry their code after "#"."""

import re
from urllib.parse import urlsplit

LINK = re.compile(r"https?://\S+/akun/(?:verifikasi|reset)/tautan/#\S+")


def link_in(text: str) -> str:
    return LINK.search(text).group(0)


def link_follow(client, link: str, **kwargs):
    """Open a link as a browser with static/js/link-code.js does: the page (the fragment is
    never sent), then its code posted to it."""
    url, _sep, code = link.partition("#")
    path = urlsplit(url).path
    assert client.get(path).status_code == 200
    return client.post(path, {"code": code}, **kwargs)
