"""Address patterns: `instagram.com/alexdoe` as a rule about web addresses.

A plain pattern whose first part is a host name (`instagram.com`, `m.facebook.com/alex.doe`) is
an address pattern. Against a page's address it matches by structure, not as text:

- the scheme, a `www.` in front of the host, a user name and a port are ignored;
- the host must be the pattern's host, in any case (`instagram.com` is not `instagram.com.evil.net`,
  and not `m.instagram.com` either: the catalogue lists each host a site uses);
- the path must start with the pattern's path, segment by whole segment, in any case:
  `instagram.com/alexdoe` matches `/alexdoe`, `/alexdoe/` and `/alexdoe/reels/?x=1`, not
  `/alexdoe2`;
- the query and the fragment are ignored.

The same rule is sent to the browser companion as one regular expression (`browser_regex`), which
the browser applies before a page loads; tests/core/address_cases.json is run against both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from nudger.core.patterns import REGEX_PREFIX
from nudger.core.types import Rule

# A host name: labels of letters, digits and hyphens, at least one dot, ending in letters.
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Address:
    host: str  # lower case, without "www."
    segments: tuple[str, ...]  # lower case

    def matches(self, url: str) -> bool:
        found = split_url(url)
        if found is None:
            return False
        host, segments = found
        return host == self.host and segments[: len(self.segments)] == self.segments


def address_of(pattern: str) -> Address | None:
    """The address a pattern stands for, or None when it is words or a regular expression."""
    if pattern.startswith(REGEX_PREFIX):
        return None
    text = _SCHEME.sub("", pattern.strip())
    if not text or any(char.isspace() for char in text):
        return None
    host, _, path = text.partition("/")
    if not _HOST.fullmatch(host):
        return None
    return Address(_bare_host(host), tuple(s.lower() for s in path.split("/") if s))


def split_url(url: str) -> tuple[str, tuple[str, ...]] | None:
    """(host without "www.", path segments), all lower case; None for what is not a web URL."""
    if not _SCHEME.match(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed port or address
        return None
    if not host:
        return None
    return _bare_host(host), tuple(s.lower() for s in parts.path.split("/") if s)


def browser_regex(address: Address) -> str:
    """The address as one regular expression that JavaScript and RE2 (the engines the browsers
    use for their request rules) read the same way. Matched without regard to case."""
    host = _escape(address.host)
    path = "".join("/" + _escape(segment) for segment in address.segments)
    # After the host (and the path), a separator or the end: whole labels, whole segments.
    return rf"^[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?(?:www\.)?{host}(?::[0-9]+)?{path}(?:[/?#]|$)"


def _escape(text: str) -> str:
    """Escape only the characters with a meaning in a pattern: re.escape escapes more (such as
    "-"), which JavaScript's Unicode mode refuses outside a character class."""
    return "".join("\\" + char if char in _SPECIAL else char for char in text)


_SPECIAL = frozenset(".^$*+?()[]{}|\\")


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def pause_rules(rules: Iterable[Rule], *, sites: bool) -> list[dict[str, str]]:
    """What the browser holds back for a breath: every address on the blocklist, and with
    `sites` every social site's host too. As the companion takes them: a kind and a regex."""
    chosen: list[dict[str, str]] = []
    seen: set[str] = set()
    for rule in rules:
        if rule.kind == "site" and not sites:
            continue
        for pattern in rule.match:
            address = address_of(pattern)
            if address is None:
                continue
            regex = browser_regex(address)
            if regex not in seen:
                seen.add(regex)
                chosen.append({"kind": rule.kind, "regex": regex})
    return chosen
