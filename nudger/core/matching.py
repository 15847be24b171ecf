"""Which sites and blocklist entries a window belongs to.

All patterns are compiled once into two RE2 sets (one for sites, one for the blocklist), so one
window costs one linear pass over its title per set, however many rules there are. Results are
cached by window, because the window in front rarely changes between two samples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import re2

from nudger.core.addresses import Address, ProfileIndex, address_of, split_url
from nudger.core.patterns import re2_options, to_re2
from nudger.core.printable import printable
from nudger.core.translate import N_, Said
from nudger.core.types import Hit, Kind, Rule, Signal, Window

# Titles are cut to this many characters before matching. Real titles are far shorter; the cap
# keeps a hostile program from making every sample expensive.
MAX_TITLE_CHARS = 2048
_CACHE_LIMIT = 1024

# The browser's own name at the end of the title: " - Chromium", " — Mozilla Firefox", ...,
# with what private windows add ("— Mozilla Firefox Private Browsing", "- Chromium (Incognito)",
# "- [InPrivate] - Microsoft Edge", "- Brave (Private)"). Removed so that `$` in a pattern means
# the end of the page title, in a private window too.
_BROWSER_SUFFIX = re.compile(
    r"\s[-—–]\s(?:\[InPrivate\]\s[-—–]\s)?"
    r"(?:Mozilla Firefox|Firefox(?: Developer Edition| Nightly)?|LibreWolf|Waterfox"
    r"|Floorp|Zen Browser|Chromium|Google Chrome|Brave|Microsoft\u200b? Edge|Opera|Vivaldi"
    r"|qutebrowser|Falkon|Konqueror|Midori)"
    r"(?:\s(?:Private Browsing|\((?:Private Browsing|Incognito|Private|InPrivate|Guest)\)))?$"
)
_SUFFIX_WINDOW = 64
REDACTED = "▒▒▒"


def normalize_app(name: str) -> str:
    """Process names and window classes compare without case and without a Windows ".exe"."""
    lowered = name.strip().lower()
    return lowered.removesuffix(".exe")


def page_title(title: str) -> str:
    """The title without the browser's name at the end."""
    tail_start = max(0, len(title) - _SUFFIX_WINDOW)
    found = _BROWSER_SUFFIX.search(title, tail_start)
    return title[: found.start()] if found else title


def safe_text(text: str) -> str:
    """Text RE2 can take: lone surrogates (from broken UTF-16 or bad decoding) become U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8")


class TooBig(ValueError):
    """Patterns that RE2 cannot compile within its memory budget.

    `rule` and `pattern` name the one pattern that is too big on its own; when each is fine
    alone but all of them together are too many, they are None.
    """

    def __init__(self, kind: Kind, rule: str | None, pattern: str | None, count: int) -> None:
        self.kind, self.rule, self.pattern, self.count = kind, rule, pattern, count
        if pattern is not None:
            said = Said(
                N_(
                    "('{printable}') is too big for RE2 to match quickly; "
                    "make it shorter or simpler"
                ),
                {"printable": printable(pattern)},
            )
        else:
            said = Said(
                N_("{count} patterns are too many to match together; remove some"), {"count": count}
            )
        super().__init__(str(said))
        # Put into words by whoever shows it; str() is the English.
        self.said = said


class _PatternSet:
    """Every pattern of one kind in one RE2 set, remembering which rule each came from.

    Raises TooBig when the set cannot be compiled, naming the pattern at fault if there is one:
    settings are checked by building exactly these sets, so what `config check` accepts, the
    daemon can compile.
    """

    def __init__(self, rules: Sequence[Rule], *, addresses: bool = True) -> None:
        """`addresses=False` leaves address patterns out: on a page's address they match by
        structure (see _AddressIndex), not as text."""
        self._owners: list[int] = []
        self._set = re2.Set.SearchSet(re2_options())
        for index, rule in enumerate(rules):
            for pattern in rule.match:
                if not addresses and address_of(pattern) is not None:
                    continue
                self._set.Add(to_re2(pattern))
                self._owners.append(index)
        self._empty = not self._owners
        if not self._empty:
            try:
                self._set.Compile()
            except re2.error:
                raise _culprit(rules) from None

    def rules_matching(self, text: str) -> set[int]:
        if self._empty or not text:
            return set()
        try:
            found = self._set.Match(text)
        except UnicodeEncodeError:
            found = self._set.Match(safe_text(text))
        return {self._owners[i] for i in found} if found else set()


class _AddressIndex:
    """The address patterns of one kind, by host: a page's address is looked up once.
    `widen` makes a profile's address cover all that profile's pages (core/addresses.py)."""

    def __init__(
        self, rules: Sequence[Rule], widen: Callable[[Address], Address] = lambda a: a
    ) -> None:
        self._by_host: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for index, rule in enumerate(rules):
            for pattern in rule.match:
                address = address_of(pattern)
                if address is None:
                    continue
                address = widen(address)
                for host in address.hosts:
                    for path in address.paths:
                        self._by_host.setdefault(host, []).append((path, index))

    def rules_matching(self, url: str) -> set[int]:
        if not self._by_host or not url:
            return set()
        found = split_url(url)
        if found is None:
            return set()
        host, segments = found
        return {
            index
            for wanted, index in self._by_host.get(host, ())
            if segments[: len(wanted)] == wanted
        }


def _culprit(rules: Sequence[Rule]) -> TooBig:
    """Which pattern made a set too big: the first that is too big alone, else all together."""
    kind: Kind = rules[0].kind if rules else "blocklist"
    count = 0
    for rule in rules:
        for pattern in rule.match:
            count += 1
            alone = re2.Set.SearchSet(re2_options())
            alone.Add(to_re2(pattern))
            try:
                alone.Compile()
            except re2.error:
                return TooBig(kind, rule.name, pattern, count)
    return TooBig(kind, None, None, count)


class Matcher:
    """Compiled rules. `match(window)` returns the hits, blocklist entries first."""

    def __init__(self, rules: Iterable[Rule], browsers: Iterable[str]) -> None:
        ordered = sorted(rules, key=lambda rule: rule.kind != "blocklist")
        self._rules = tuple(ordered)
        self._blocklist = [r for r in self._rules if r.kind == "blocklist"]
        self._sites = [r for r in self._rules if r.kind == "site"]
        self._blocklist_set = _PatternSet(self._blocklist)
        self._site_set = _PatternSet(self._sites)
        # On a page's address, address patterns match by structure and words as text.
        self._blocklist_url_set = _PatternSet(self._blocklist, addresses=False)
        self._site_url_set = _PatternSet(self._sites, addresses=False)
        self._profiles = ProfileIndex(self._sites)
        self._blocklist_addresses = _AddressIndex(self._blocklist, self._profiles.widen)
        self._site_addresses = _AddressIndex(self._sites)
        self._apps: dict[str, list[Rule]] = {}
        for rule in self._rules:
            for app in rule.apps:
                self._apps.setdefault(normalize_app(app), []).append(rule)
        self._browsers = frozenset(normalize_app(name) for name in browsers)
        self._cache: dict[tuple[str, tuple[str, ...], str, str | None], tuple[Hit, ...]] = {}
        self._redactor: re2._Regexp | None = None

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules

    @property
    def browsers(self) -> frozenset[str]:
        return self._browsers

    def is_browser(self, window: Window) -> bool:
        if window.url:
            return True  # only a browser (or its companion) gives a page address
        names = (window.app, *window.wm_class)
        return any(normalize_app(name) in self._browsers for name in names if name)

    def match(self, window: Window | None) -> tuple[Hit, ...]:
        if window is None:
            return ()
        key = (window.app, window.wm_class, window.title, window.url)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        hits = self._match(window)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = hits
        return hits

    def _match(self, window: Window) -> tuple[Hit, ...]:
        browser = self.is_browser(window)
        title = window.title[:MAX_TITLE_CHARS]
        if browser:
            title = page_title(title)
        url = (window.url or "")[:MAX_TITLE_CHARS]
        found: dict[tuple[Kind, str], Hit] = {}

        def add(rule: Rule, signal: Signal) -> None:
            found.setdefault((rule.kind, rule.name), Hit(rule.kind, rule.name, signal))

        # Blocklist entries are about a person: they count in any window (a chat, a photo viewer).
        for index in sorted(self._blocklist_set.rules_matching(title)):
            add(self._blocklist[index], "title")
        on_page = self._blocklist_url_set.rules_matching(url)
        for index in sorted(on_page | self._blocklist_addresses.rules_matching(url)):
            add(self._blocklist[index], "url")
        # Site patterns only mean something in a browser: "Reddit" in an editor is not Reddit.
        if browser:
            for index in sorted(self._site_set.rules_matching(title)):
                add(self._sites[index], "title")
            on_page = self._site_url_set.rules_matching(url)
            for index in sorted(on_page | self._site_addresses.rules_matching(url)):
                add(self._sites[index], "url")
        for name in {normalize_app(n) for n in (window.app, *window.wm_class) if n}:
            for rule in self._apps.get(name, ()):
                add(rule, "app")
        return tuple(sorted(found.values(), key=lambda hit: hit.kind != "blocklist"))

    def apps_running(self, names: Iterable[str]) -> tuple[Hit, ...]:
        """Hits for rules whose native app is among the running process names."""
        found: dict[tuple[Kind, str], Hit] = {}
        for name in {normalize_app(n) for n in names}:
            for rule in self._apps.get(name, ()):
                found.setdefault((rule.kind, rule.name), Hit(rule.kind, rule.name, "app"))
        return tuple(sorted(found.values(), key=lambda hit: (hit.kind != "blocklist", hit.target)))

    def title_to_keep(
        self,
        window: Window | None,
        hits: Sequence[Hit],
        *,
        store_titles: bool,
        redact_blocklist: bool,
    ) -> str | None:
        """The title to keep with a visit: only when the person asked for titles, and only for a
        window that matched a rule (a title that matched nothing never reaches the disk)."""
        if not hits or window is None or not store_titles:
            return None
        return self.storable_title(window, redact_blocklist=redact_blocklist)

    def storable_title(self, window: Window, *, redact_blocklist: bool) -> str | None:
        """The page title as it may be stored, with blocklist words blanked out if asked."""
        title = window.title[:MAX_TITLE_CHARS]
        if self.is_browser(window):
            title = page_title(title)
        if not redact_blocklist:
            return title
        if self._redactor is None:
            sources = [f"(?:{to_re2(p)})" for rule in self._blocklist for p in rule.match]
            if not sources:
                return title
            try:
                self._redactor = re2.compile("|".join(sources), re2_options())
            except re2.error:
                return None  # cannot blank the words out: then keep no title at all
        return _blank_out(self._redactor, safe_text(title))

    def explain(self, window: Window) -> list[Explanation]:
        """Which rule matched, on which signal, through which pattern. For `nudger block test`;
        slow on purpose (one regex per pattern), never used while sampling."""
        browser = self.is_browser(window)
        title = page_title(window.title[:MAX_TITLE_CHARS]) if browser else window.title
        texts: list[tuple[Signal, str]] = [("title", title)]
        if window.url:
            texts.append(("url", window.url))
        apps = {normalize_app(n) for n in (window.app, *window.wm_class) if n}
        found: list[Explanation] = []
        for rule in self._rules:
            if rule.kind == "site" and not browser:
                patterns_used: tuple[str, ...] = ()
            else:
                patterns_used = rule.match
            for signal, text in texts:
                for pattern in patterns_used:
                    widen = self._profiles.widen if rule.kind == "blocklist" else None
                    if _explains(pattern, signal, text, widen):
                        found.append(Explanation(rule.kind, rule.name, signal, pattern))
            for app in rule.apps:
                if normalize_app(app) in apps:
                    found.append(Explanation(rule.kind, rule.name, "app", app))
        return found


def _explains(
    pattern: str, signal: Signal, text: str, widen: Callable[[Address], Address] | None
) -> bool:
    """Whether `pattern` matches `text`: as the matcher does, by structure for an address."""
    address = address_of(pattern)
    if signal == "url" and address is not None:
        return (widen(address) if widen else address).matches(text)
    return bool(re2.compile(to_re2(pattern), re2_options()).search(safe_text(text)))


def _blank_out(redactor: re2._Regexp, text: str) -> str:
    """`text` with every match replaced by REDACTED. Spans are cut in Python: RE2's own
    substitution mangles a replacement outside ASCII (it came out as "â\x96\x92")."""
    pieces: list[str] = []
    done = 0
    for found in redactor.finditer(text):
        start, end = found.span()
        if end == start:
            continue
        pieces += [text[done:start], REDACTED]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


@dataclass(frozen=True, slots=True)
class Explanation:
    kind: Kind
    target: str
    signal: Signal
    pattern: str


def as_tested(text: str) -> tuple[str, str | None]:
    """A text to test, as `nudger block test` and the Blocklist page read it: (title, address).
    An address alone is tested as the companion reports one, with no title to go by."""
    if address_of(text) is not None or split_url(text) is not None:
        return "", text if "://" in text else f"https://{text}"
    return text, None
