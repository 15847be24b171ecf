"""Address patterns: `instagram.com/alexdoe` as a rule about web addresses.

A plain pattern whose first part is a host name (`instagram.com`, `m.facebook.com/alex.doe`) is
an address pattern. Against a page's address it matches by structure, not as text:

- the scheme, a `www.` in front of the host, a dot after it, a user name and a port are ignored;
- the host must be the pattern's host, in any case (`instagram.com` is not `instagram.com.evil.net`,
  and not `m.instagram.com` either: the catalogue lists each host a site uses);
- the path must start with the pattern's path, segment by whole segment, in any case, whatever
  the spelling: empty segments (`//alexdoe`) are skipped and escapes are read (`/%61lexdoe` is
  `/alexdoe`, `/%C3%A5lex` is `/ålex`): `instagram.com/alexdoe` matches `/alexdoe`, `/alexdoe/`
  and `/alexdoe/reels/?x=1`, not `/alexdoe2`;
- the query and the fragment are ignored.

A blocklist entry that names a profile on a site of the catalogue (`instagram.com/alexdoe`)
covers every page of that profile whose address carries the name: the site's `profiles` say where
they live (`/{name}`, `/stories/{name}`), on every host the site lists (`m.instagram.com`).

The same rule is sent to the browser companion as regular expressions (`pause_plan`), which the
browser applies before a page loads; tests/core/address_cases.json is run against both.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import re2

from nudger.core.patterns import REGEX_PREFIX
from nudger.core.types import Rule

# A host name: labels of letters, digits and hyphens, at least one dot, ending in letters.
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\.?", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
NAME = "{name}"


@dataclass(frozen=True, slots=True)
class Address:
    """Pages on any of `hosts` whose path starts with any of `paths` (whole segments)."""

    hosts: tuple[str, ...]  # lower case, without "www." or a final dot
    paths: tuple[tuple[str, ...], ...]  # each: decoded, lower-case segments

    @property
    def host(self) -> str:
        return self.hosts[0]

    def matches(self, url: str) -> bool:
        found = split_url(url)
        if found is None:
            return False
        host, segments = found
        return host in self.hosts and any(segments[: len(p)] == p for p in self.paths)


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
    return Address((_bare_host(host),), (_segments(path),))


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
    return _bare_host(host), _segments(parts.path)


def _segments(path: str) -> tuple[str, ...]:
    """A path's segments as a browser resolves them: escapes read, empty segments and "."
    skipped, ".." going up one; lower case."""
    found: list[str] = []
    for raw in path.split("/"):
        segment = unquote(raw).lower()
        if segment in ("", "."):
            continue
        if segment == "..":
            if found:
                found.pop()
            continue
        found.append(segment)
    return tuple(found)


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


# -- a profile's pages -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Profiles:
    """Where one site keeps a person's pages: its hosts, and path templates with {name}."""

    hosts: tuple[str, ...]
    templates: tuple[tuple[str, ...], ...]  # "/stories/{name}" as ("stories", "{name}")

    def name_in(self, segments: tuple[str, ...]) -> str | None:
        """The name in a profile's own address (`/alexdoe`, `/@alexdoe`), else None."""
        for template in self.templates:
            if len(template) != len(segments):
                continue
            name: str | None = None
            for part, segment in zip(template, segments, strict=True):
                if NAME in part:
                    before, _, after = part.partition(NAME)
                    inner = segment[len(before) : len(segment) - len(after)]
                    if not (segment.startswith(before) and segment.endswith(after) and inner):
                        break
                    name = inner
                elif part != segment:
                    break
            else:
                if name is not None:
                    return name
        return None

    def paths_of(self, name: str) -> tuple[tuple[str, ...], ...]:
        return tuple(
            tuple(part.replace(NAME, name) for part in template) for template in self.templates
        )


def template_segments(template: str) -> tuple[str, ...]:
    return tuple(part.lower() for part in template.split("/") if part)


class ProfileIndex:
    """The catalogue's profile templates by host: widens a profile address to all its pages."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._by_host: dict[str, Profiles] = {}
        for rule in rules:
            if rule.kind != "site" or not rule.profiles:
                continue
            hosts = tuple(
                address.host
                for address in map(address_of, rule.match)
                if address is not None and address.paths == ((),)
            )
            profiles = Profiles(hosts, tuple(template_segments(t) for t in rule.profiles))
            for host in hosts:
                self._by_host.setdefault(host, profiles)

    def widen(self, address: Address) -> Address:
        """`instagram.com/alexdoe` as every page of that profile; any other address as it is."""
        profiles = self._by_host.get(address.host)
        if profiles is None or len(address.hosts) != 1 or len(address.paths) != 1:
            return address
        name = profiles.name_in(address.paths[0])
        if name is None:
            return address
        hosts = (address.host, *(h for h in profiles.hosts if h != address.host))
        return Address(hosts, profiles.paths_of(name))

    def address(self, pattern: str) -> Address | None:
        address = address_of(pattern)
        return None if address is None else self.widen(address)


# -- the same rule in the browser -------------------------------------------------------------

_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_ESCAPE = re.compile(r"%([0-9a-fA-F]{2})")


def browser_form(url: str) -> str:
    """The address in the form nudger's browser rules are written for: escapes of letters,
    digits and "-._~" read (a site reads `/%61lexdoe` as `/alexdoe`), every other character
    outside ASCII escaped (as UTF-8, upper-case hex), the scheme's own port left out, the scheme
    and the host in lower case. Browsers hand their request rules the address with such escapes
    kept; the extension (addresses.js, the same steps) tests each page that arrives in this
    form, and puts the pause in front of one its rules could not see."""

    def read(found: re.Match[str]) -> str:
        char = chr(int(found.group(1), 16))
        return char if char in _UNRESERVED else found.group(0)

    text = _ESCAPE.sub(read, url)
    for port in _DEFAULT_PORTS:
        text = port.sub(r"\1", text)
    text = _ORIGIN.sub(lambda found: found.group(0).lower(), text, count=1)
    return "".join(char if char.isascii() else quote(char, safe="") for char in text)


# A browser leaves out the port its scheme uses anyway; nudger's rules then need not say it.
# The scheme and the host: browsers write them in lower case.
_ORIGIN = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#]*", re.IGNORECASE)
_DEFAULT_PORTS = (
    re.compile(r"^(https://[^/?#]*?):443(?=[/?#]|$)", re.IGNORECASE),
    re.compile(r"^(http://[^/?#]*?):80(?=[/?#]|$)", re.IGNORECASE),
)


# Read the same way by JavaScript (the extension; Firefox's rules) and RE2 (Chromium's rules),
# matched with regard to case: the host is in lower case in the browser form, and each letter of
# the path says both its cases ("[aA]"). Not "ignore case": RE2 then folds "k" and "s" to the
# Kelvin sign and the long s too, and a rule with a few of them no longer fits in Chromium's
# 2 KB per rule (see fits_in_a_rule).
_START = r"^https?://(?:[^/?#@]*@)?(?:www\.)?"
_END = r"(?:[/?#]|$)"


def browser_regex(address: Address) -> str:
    """The address as one regular expression for the browser form of an address."""
    return _START + _body(address.hosts, address.paths) + _END


def _body(hosts: Sequence[str], paths: Iterable[tuple[str, ...]]) -> str:
    # After the host (and the path), a separator or the end: whole labels, whole segments.
    return rf"{_hosts(hosts)}\.?{_paths(paths)}"


def _hosts(hosts: Sequence[str]) -> str:
    """Hosts as one small pattern: "m.facebook.com" and "web.facebook.com" beside
    "facebook.com" become "(?:m\\.|web\\.)?facebook\\.com"."""
    bases = [h for h in hosts if not any(h.endswith("." + other) for other in hosts)]
    choices = []
    for base in dict.fromkeys(bases):
        subs = [_escape(h.removesuffix(base)) for h in hosts if h.endswith("." + base)]
        lead = "(?:" + "|".join(dict.fromkeys(subs)) + ")?" if subs else ""
        choices.append(lead + _escape(base))
    return _either(choices)


def _paths(paths: Iterable[tuple[str, ...]]) -> str:
    """Paths as one small pattern: "/alexdoe" and "/stories/alexdoe" become
    "(?:/+stories)?/+alexdoe" (each name spelled once: Chromium's budget is small)."""
    by_last: dict[str, list[str]] = {}
    for path in paths:
        if not path:
            return ""  # the whole host: every path
        before = "".join("/+" + _segment(s) for s in path[:-1])
        by_last.setdefault(_segment(path[-1]), []).append(before)
    # Names that live under the same paths are spelled as one choice: "/+(?:alexdoe|samroe)".
    by_befores: dict[tuple[str, ...], list[str]] = {}
    for last, befores in by_last.items():
        by_befores.setdefault(tuple(dict.fromkeys(befores)), []).append(last)
    choices = []
    for unique, lasts in by_befores.items():
        others = [b for b in unique if b]
        if not others:
            lead = ""
        elif len(others) < len(unique):
            lead = "(?:" + "|".join(others) + ")?"
        else:
            lead = _either(others)
        choices.append(f"{lead}/+{_either(lasts)}")
    return _either(choices)


def _either(choices: Sequence[str]) -> str:
    unique = list(dict.fromkeys(choices))
    return unique[0] if len(unique) == 1 else "(?:" + "|".join(unique) + ")"


def _segment(segment: str) -> str:
    """A decoded segment as the browser form spells it: letters in either case, digits and
    "-._~" as themselves, other ASCII as itself or escaped, the rest escaped (as UTF-8, the
    letter's either case, the escapes' hex digits in either case)."""
    pieces = []
    for char in segment:
        if char in _UNRESERVED:
            pieces.append(_either_case(_escape(char)))
            continue
        if char.isascii():  # "@" in "/@alexdoe": a browser keeps "%40" as it is
            pieces.append(_either([_escape(char), _either_case(f"%{ord(char):02x}")]))
            continue
        spellings = list(
            dict.fromkeys(quote(variant, safe="") for variant in (char, char.upper(), char.lower()))
        )
        shared = _shared_bytes(spellings)
        rest = _either([_either_case(s[shared:]) for s in spellings])
        pieces.append(_either_case(spellings[0][:shared]) + rest)
    return "".join(pieces)


def _either_case(text: str) -> str:
    """Each ASCII letter as a class of its two cases: "a" as "[aA]"."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isascii() and c.isalpha() else c for c in text)


def _shared_bytes(spellings: Sequence[str]) -> int:
    """How long the escaped bytes ("%C3") all spellings start with are, in characters."""
    shared = 0
    while all(s[shared : shared + 3] == spellings[0][shared : shared + 3] for s in spellings):
        if shared + 3 > min(len(s) for s in spellings):
            break
        shared += 3
    return shared


def _escape(text: str) -> str:
    """Escape only the characters with a meaning in a pattern: re.escape escapes more (such as
    "-"), which JavaScript's Unicode mode refuses outside a character class."""
    return "".join("\\" + char if char in _SPECIAL else char for char in text)


_SPECIAL = frozenset(".^$*+?()[]{}|\\")


# -- packing the rules within the browsers' limits --------------------------------------------

# Both browsers take at most 1,000 regex rules (Chromium's MAX_NUMBER_OF_REGEX_RULES, Firefox's
# the same), dynamic and session rules together; Chromium also at most 5,000 redirect rules,
# which this stays under. Some room is kept for the extension's own "go on" rules (one a tab).
BROWSER_REGEX_RULES = 1000
MAX_REGEX_RULES = BROWSER_REGEX_RULES - 50
# Chromium compiles each regex rule with RE2 and a 2 KB memory budget; larger ones it refuses
# (isRegexSupported says "memoryLimitExceeded").
RULE_MEMORY = 2 << 10
# The host drops a message of more than 1 MB toward the browser: stay well under it.
MESSAGE_BUDGET = 900 * 1024


def fits_in_a_rule(regex: str) -> bool:
    """Whether Chromium would accept `regex` as one rule: RE2, its options, its budget."""
    options = re2.Options()
    options.case_sensitive = True  # as the extension sends them (isUrlFilterCaseSensitive)
    options.never_capture = True
    options.log_errors = False
    options.max_mem = RULE_MEMORY
    try:
        re2.compile(regex, options)
    except re2.error:
        return False
    return True


@dataclass(frozen=True, slots=True)
class PausePlan:
    """What the browser is asked to hold back: rules (a kind, a regex, how many entries it
    covers), and how many entries did not fit and are only counted."""

    rules: tuple[dict[str, object], ...]
    held: int
    only_counted: int


def pause_plan(
    rules: Iterable[Rule],
    *,
    sites: bool,
    fits: Callable[[str], bool] = fits_in_a_rule,
    max_rules: int = MAX_REGEX_RULES,
    budget: int = MESSAGE_BUDGET,
) -> PausePlan:
    """Every address on the blocklist (and with `sites` every social site's host) packed into as
    few regex rules as the browsers take: several entries per rule while one rule stays within
    Chromium's memory budget. Blocklist entries come first; what does not fit is only counted."""
    rules = list(rules)
    profiles = ProfileIndex(rules)
    chosen: list[tuple[str, Address]] = []
    seen: set[Address] = set()
    for rule in sorted(rules, key=lambda r: r.kind != "blocklist"):
        if rule.kind == "site" and not sites:
            continue
        for pattern in rule.match:
            found = profiles.address(pattern) if rule.kind == "blocklist" else address_of(pattern)
            if found is not None and found not in seen:
                seen.add(found)
                chosen.append((rule.kind, found))
    # Entries of one kind on the same hosts side by side: they share a rule best.
    chosen.sort(key=lambda found: (found[0] != "blocklist", found[1].hosts))
    packed: list[dict[str, object]] = []
    used = 0
    taken = 0
    start = 0
    while start < len(chosen) and len(packed) < max_rules:
        kind = chosen[start][0]
        end = start
        while end < len(chosen) and chosen[end][0] == kind:
            end += 1
        count = _most_that_fit([a for _, a in chosen[start:end]], fits)
        if count == 0:  # too big alone: only counted
            start += 1
            continue
        regex = _rendered([a for _, a in chosen[start : start + count]])
        packed_rule: dict[str, object] = {"kind": kind, "regex": regex, "entries": count}
        size = len(json.dumps(packed_rule)) + 2
        if used + size > budget:
            break
        packed.append(packed_rule)
        used += size
        taken += count
        start += count
    return PausePlan(tuple(packed), taken, len(chosen) - taken)


def _rendered(addresses: Sequence[Address]) -> str:
    """One regex for several addresses, those on the same hosts sharing their hosts' part."""
    by_hosts: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for address in addresses:
        by_hosts.setdefault(address.hosts, []).extend(address.paths)
    return _START + _either([_body(h, p) for h, p in by_hosts.items()]) + _END


def _most_that_fit(addresses: Sequence[Address], fits: Callable[[str], bool]) -> int:
    """How many of the first addresses fit in one rule: by doubling, then halving the step,
    so that a long list costs a few compiles per rule, not one per entry."""
    if not addresses or not fits(_rendered(addresses[:1])):
        return 0
    good, step = 1, 1
    while good + step <= len(addresses) and fits(_rendered(addresses[: good + step])):
        good += step
        step *= 2
    while step > 1:
        step //= 2
        if good + step <= len(addresses) and fits(_rendered(addresses[: good + step])):
            good += step
    return good
