// nudger companion: reports the active tab to nudger on this computer, and holds a page on the
// blocklist back for a slow breath. It talks to nothing but nudger's own native-messaging host.
"use strict";

// Chromium runs this as a service worker (importScripts); Firefox loads addresses.js and
// holding.js first.
if (typeof importScripts === "function" && !globalThis.nudgerHolding) {
  importScripts("addresses.js", "holding.js");
}
// What to hold back is decided in holding.js, by the same table of cases as nudger's own.
const { holding, ruleHolding } = globalThis.nudgerHolding;
const api = globalThis.browser ?? globalThis.chrome;
const HOST = "app.nudger.companion";
const IDLE_SECONDS = 60; // nudger adds this back: "idle" is said once input stopped this long ago
const PAUSE_RULE_BASE = 1000; // dynamic rules: 1000 + n; session "go on" rules: 5000 + tab id
const ALLOW_RULE_BASE = 5000;
const PAUSE_PAGE = "pause.html";
// A navigation that was about to open a held-back page is taken as the pause's cause only this
// long: a pause page opened later (from the tab's history, say) has nothing to hold.
const CAUSE_MS = 60000;
const EVERY_SITE = { origins: ["<all_urls>"] };

let port = null;
// The host has spoken on this port, so it runs (it always says something first). Until then a
// port may lead nowhere: the browser takes messages for a host it then fails to start.
let hostHeard = false;
let retryMs = 1000;
let idleSince = null;
// The rules as nudger last sent them (also kept in storage, for a restarted service worker).
let pauseRules = null;

function connect() {
  try {
    port = api.runtime.connectNative(HOST);
  } catch (error) {
    port = null;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
    return;
  }
  hostHeard = false;
  port.onMessage.addListener((message) => {
    if (!hostHeard) {
      hostHeard = true;
      retryMs = 1000; // a host that ran: the next loss is tried again soon
      sendKept();
    }
    fromNudger(message);
  });
  port.onDisconnect.addListener(() => {
    port = null;
    hostHeard = false;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
  });
  send({ type: "hello", version: api.runtime.getManifest().version });
  reportState();
  reportHolding();
}

// What the daemon must hear even when the host is away for a moment (a pause, its answer, a
// tap on the pause page): kept, with its own time, until the port is back. A few at most.
// Kept in storage.session as well: without the host's port the browser soon stops the
// background, and what only its memory held would go with it.
const KEPT_KINDS = new Set(["pause", "pause_answer", "feeling"]);
const KEPT_AT_MOST = 100;
const kept = [];
let keptRestored = null;
let keptChanging = 0; // changes to `kept` not finished yet

// Every change to `kept` waits for this first, so that what a stopped background had kept
// comes back first and is never written over.
function withKept(change) {
  keptChanging += 1;
  keptRestored ??= session.get("kept").then(
    (found) => {
      kept.unshift(...(Array.isArray(found.kept) ? found.kept : []).slice(0, KEPT_AT_MOST));
    },
    () => {}, // nothing could be read: nothing to restore
  );
  keptRestored = keptRestored
    .then(change)
    .catch(() => {})
    .then(() => session.set({ kept: kept.slice() }))
    .catch(() => {})
    .then(() => {
      keptChanging -= 1;
    });
  return keptRestored;
}

function send(message) {
  const stamped = { ...message, at: Date.now() };
  // Straight to a host that has spoken when nothing kept waits before it (the usual case);
  // else kept in order, and sent once the host is there.
  const inOrder = kept.length === 0 && keptChanging === 0;
  if (port && (!KEPT_KINDS.has(message.type) || (hostHeard && inOrder)) && post(stamped)) {
    return;
  }
  if (KEPT_KINDS.has(message.type)) {
    withKept(() => {
      if (kept.length < KEPT_AT_MOST) {
        kept.push(stamped);
      }
      postKept();
    });
  }
}

function post(message) {
  try {
    port.postMessage(message);
    return true;
  } catch (error) {
    console.warn(`nudger: the host's port refused a message (${error})`);
    port = null;
    return false;
  }
}

function postKept() {
  while (kept.length && port && hostHeard && post(kept[0])) {
    kept.shift();
  }
}

function sendKept() {
  withKept(postKept);
}

async function reportState() {
  let focused = false;
  let tab = null;
  try {
    const window = await api.windows.getLastFocused({});
    focused = Boolean(window && window.focused);
    [tab] = await api.tabs.query({ active: true, lastFocusedWindow: true });
  } catch (error) {
    // no window at all (the browser is closing): report nothing in front
  }
  send({
    type: "state",
    focused,
    url: tab?.url ?? "",
    title: tab?.title ?? "",
    incognito: Boolean(tab?.incognito),
    idle_since: idleSince,
  });
}

// -- state that outlives the service worker (Chromium unloads it after ~30 s idle) -------------

const session = api.storage.session ?? api.storage.local;

async function sessionValue(key, fallback) {
  const found = await session.get(key);
  return found[key] ?? fallback;
}

// What a tab was about to open when a rule held it back: {url, regex, pauseId, at, shown}.
// Kept here, never in the pause page's own address or title, where someone looking at the
// screen would read it.
const heldIn = (tabId) => sessionValue(`held:${tabId}`, null);
const holdIn = (tabId, held) => session.set({ [`held:${tabId}`]: held });
const releaseIn = (tabId) => session.remove(`held:${tabId}`);
// Until when a tab may open its held-back page again without a pause (ms).
const allowedUntil = (tabId) => sessionValue(`allowed:${tabId}`, 0);
// Until when an entry may open without a pause in any tab, after Go on (ms). One rule holds
// several entries back, so the entry is told by the page's own place: its site (without
// "www." or "m.") and its first path segment (with the query, for a page such as
// profile.php?id=...), in lower case.
const entryAllowedUntil = (url) => sessionValue(`allowedEntry:${entryOf(url)}`, 0);
const ENTRY_ALLOW_BASE = 200000; // session "go on" rules for the entry in every tab: + tab id

function entryOf(url) {
  try {
    const { hostname, pathname, search } = new URL(url);
    const segment = pathname.split("/")[1] ?? "";
    const query = segment.includes(".") ? search : "";
    return `${hostname.replace(/^(www|m|mobile)\./, "")}/${segment}${query}`.toLowerCase();
  } catch (error) {
    return "";
  }
}

// The browser's rule for that entry's place, in every tab, whatever the case.
function entryRegex(url) {
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const [host, ...rest] = entryOf(url).split("/");
  const place = rest.join("/");
  return `^https?://([a-z0-9-]+\\.)*${escape(host)}/${escape(place)}([/?#]|$)`;
}
// Until when a tab is stepping away from a pause (ms): going back, it may pass the held-back
// page itself (the page that showed before an in-page or escaped address was paused, or an
// in-page entry the rules hold back again). Passing it is no new pause: it goes on back.
const STEPPING_AWAY_MS = 10000;
const steppingAway = async (tabId) => (await sessionValue(`away:${tabId}`, 0)) > Date.now();

// One change at a time per tab. Several listeners read and write a tab's state, and each
// storage call yields: Firefox reports a navigation, its redirect, a late commit of the tab's
// first blank page and the pause page's message within milliseconds of each other, so that
// one listener's write would otherwise undo another's (a pause recorded twice, or its answer
// lost). Nothing inside a change may wait for another change of the same tab.
const tabQueues = new Map();

function inTab(tabId, change) {
  const done = (tabQueues.get(tabId) ?? Promise.resolve()).then(() => change());
  const settled = done.catch(() => undefined);
  tabQueues.set(tabId, settled);
  settled.then(() => {
    if (tabQueues.get(tabId) === settled) {
      tabQueues.delete(tabId);
    }
  });
  return done;
}

// -- what nudger asks: which addresses to hold back, and for how long -------------------------

async function fromNudger(message) {
  if (message.type === "pause_rules") {
    const toHold = holding(message);
    await api.storage.local.set({
      pauseSeconds: message.pause_seconds,
      pauseAgainMinutes: message.pause_again_minutes,
      onlyCounted: toHold.onlyCounted,
    });
    await installPauseRules(toHold.rules);
    await keepPlans(message.plans);
  } else if (message.type === "page_reply") {
    pageReplied(message);
  } else if (message.type === "nudger_stopped") {
    // nudger is not running (or was stopped on purpose): hold nothing back until it is again.
    const toHold = holding(message);
    await api.storage.local.set({ onlyCounted: toHold.onlyCounted });
    await installPauseRules(toHold.rules);
  }
}

// The person's if-then plans, for the pause page: in session storage only (gone when the
// browser closes), never in a notification or in the page's address.
async function keepPlans(plans) {
  const texts = Array.isArray(plans) ? plans.filter((plan) => typeof plan === "string") : [];
  await session.set({ plans: texts });
}

async function regexSupported(regex) {
  const check = api.declarativeNetRequest.isRegexSupported;
  if (typeof check !== "function") {
    return true;
  }
  try {
    const { isSupported } = await check({ regex, isCaseSensitive: true });
    return isSupported;
  } catch (error) {
    return false;
  }
}

async function installPauseRules(rules) {
  // Each rule as the browser takes it; one it refuses (too big for its budget) is left out
  // rather than failing them all, and counted as left out.
  const accepted = [];
  let refused = 0;
  for (const rule of rules) {
    if (await regexSupported(rule.regex)) {
      accepted.push(rule);
    } else {
      refused += rule.entries ?? 1;
    }
  }
  const addRules = accepted.map((rule, index) => ({
    id: PAUSE_RULE_BASE + index,
    priority: 1,
    action: { type: "redirect", redirect: { extensionPath: `/${PAUSE_PAGE}` } },
    condition: {
      regexFilter: rule.regex,
      isUrlFilterCaseSensitive: true,
      resourceTypes: ["main_frame"],
    },
  }));
  let installed = accepted;
  try {
    const existing = await api.declarativeNetRequest.getDynamicRules();
    await api.declarativeNetRequest.updateDynamicRules({
      removeRuleIds: existing.map((rule) => rule.id),
      addRules,
    });
  } catch (error) {
    // The browser refused them all (a limit it has and nudger did not know): say so, and keep
    // nothing half-installed that nudger would not know about.
    installed = [];
    refused = rules.reduce((sum, rule) => sum + (rule.entries ?? 1), 0);
    try {
      const existing = await api.declarativeNetRequest.getDynamicRules();
      await api.declarativeNetRequest.updateDynamicRules({
        removeRuleIds: existing.map((rule) => rule.id),
      });
    } catch (ignored) {
      // nothing more to do: the count below says nothing is held back
    }
  }
  pauseRules = installed;
  await api.storage.local.set({ pauseRules, refused });
  await reportHolding();
}

// So that `nudger browser status` can say what this browser holds back, what it only counts,
// and whether the person switched off the site access the pause needs (a count only).
async function reportHolding() {
  const { refused = 0, onlyCounted = 0 } = await api.storage.local.get(["refused", "onlyCounted"]);
  const rules = await currentRules();
  send({
    type: "holding",
    count: rules.reduce((sum, rule) => sum + (rule.entries ?? 1), 0),
    only_counted: refused + onlyCounted,
    site_access: await siteAccess(),
  });
}

async function siteAccess() {
  try {
    return await api.permissions.contains(EVERY_SITE);
  } catch (error) {
    return true; // a browser without the switch
  }
}

async function currentRules() {
  if (pauseRules === null) {
    ({ pauseRules = [] } = await api.storage.local.get("pauseRules"));
  }
  return pauseRules;
}

// -- seeing a held-back page coming -----------------------------------------------------------

// Our own pages, at their fixed or their per-session (use_dynamic_url) address.
const OWN_SCHEME = new URL(api.runtime.getURL("")).protocol;
const isOurs = (url) => url.startsWith(api.runtime.getURL("")) || url.startsWith(OWN_SCHEME);

// A tab is about to open `url` (a link, an address typed, a server's redirect): note what a
// pause page in that tab would hold back. `again`: the browser's rule has just sent `url` to the
// pause, a second report of a navigation already seen, or of one the browser never reported.
// (Called inside inTab.)
async function opening(tabId, url, { again = false } = {}) {
  // about:blank is no page the person opens: Firefox reports a new tab's first blank page as
  // committed late, after the navigation to the address asked for has begun.
  if (tabId < 0 || isOurs(url) || url === "about:blank") {
    return null;
  }
  if ((await allowedUntil(tabId)) > Date.now()) {
    return null;
  }
  const rule = ruleHolding(await currentRules(), url);
  if (rule && (await entryAllowedUntil(url)) > Date.now()) {
    return null; // gone on past this entry's pause a little while ago, in whichever tab
  }
  const earlier = await heldIn(tabId);
  if (again && (!rule || (earlier?.url === url && Date.now() - earlier.at < CAUSE_MS))) {
    return earlier; // already held (perhaps shown by now, when the report comes late): as it is
  }
  if (!rule) {
    if (earlier?.shown) {
      // Off to another page from the pause: that is stepping away too.
      send({ type: "pause_answer", pause_id: earlier.pauseId, url: earlier.url, answer: "away" });
    }
    if (earlier) {
      await releaseIn(tabId);
    }
    await session.remove(`away:${tabId}`); // stepped away, onto a page not held back
    return null;
  }
  if (await steppingAway(tabId)) {
    return null; // going back past the held-back page: nothing to hold (see shownAnyway)
  }
  if (earlier && earlier.url === url && Date.now() - earlier.at < 5000) {
    return earlier; // the same navigation, reported twice (a browser may): one pause for it
  }
  const held = { url, regex: rule.regex, pauseId: crypto.randomUUID(), at: Date.now(), shown: false };
  await holdIn(tabId, held);
  return held;
}

function navigationBegins(details) {
  if (details.frameId === 0) {
    inTab(details.tabId, () => opening(details.tabId, details.url));
  }
}

api.webNavigation.onBeforeNavigate.addListener(navigationBegins);

// A server's redirect (a 302 from /go to the ex's page) is no new navigation: the request
// carries on to the new address, where the rule redirects it to the pause.
// The rule's own redirect to the pause says again which page the pause holds back: Firefox does
// not always report the navigation of a tab that has only just opened (onBeforeNavigate), and
// the pause page would then find nothing to hold.
if (api.webRequest?.onBeforeRedirect) {
  api.webRequest.onBeforeRedirect.addListener(
    (details) => {
      if (!isOurs(details.redirectUrl)) {
        inTab(details.tabId, () => opening(details.tabId, details.redirectUrl));
      } else if (!isOurs(details.url)) {
        inTab(details.tabId, () => opening(details.tabId, details.url, { again: true }));
      }
    },
    { urls: ["<all_urls>"], types: ["main_frame"] },
  );
}

// A page that shows although a rule holds it back: an in-page navigation (history.pushState,
// as Instagram's own links do), or a load the browser's rules did not catch (site access
// switched off). The page has shown; the pause comes at once.
async function shownAnyway(details) {
  if (details.frameId !== 0 || isOurs(details.url)) {
    return;
  }
  if ((await allowedUntil(details.tabId)) > Date.now()) {
    return;
  }
  const next = await inTab(details.tabId, async () => {
    if ((await steppingAway(details.tabId)) && ruleHolding(await currentRules(), details.url)) {
      return "further";
    }
    const held = await opening(details.tabId, details.url);
    if (!held || held.shown) {
      return null;
    }
    // The page has shown, so it stands in the tab's history just before the pause: stepping
    // away must go back past it, not onto it (that would ask the site for the ex's page again).
    await holdIn(details.tabId, { ...held, over: true });
    return "pause";
  });
  if (next === "further") {
    await goFurtherBack(details.tabId);
    return;
  }
  const tab = next === "pause" && (await api.tabs.get(details.tabId));
  if (tab && !isOurs(tab.url ?? "")) {
    await api.tabs.update(details.tabId, { url: api.runtime.getURL(PAUSE_PAGE) });
  }
}

// Stepping away went back onto the held-back page itself: on back past it, or, with nothing
// before it, close the tab (stepping away always steps away).
async function goFurtherBack(tabId) {
  const tab = await api.tabs.get(tabId).catch(() => null);
  if (!tab) {
    return;
  }
  try {
    await api.tabs.goBack(tabId);
    // Firefox does nothing (no error) when there is no page before: see whether it moves.
    for (let waited = 0; waited < 3000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await api.tabs.get(tabId);
      if (now.url !== tab.url || now.status === "loading") {
        return;
      }
    }
  } catch (error) {
    // Chromium: no page before (or the tab has gone)
  }
  await api.tabs.remove(tabId).catch(() => undefined);
}

api.webNavigation.onHistoryStateUpdated.addListener(shownAnyway);
api.webNavigation.onCommitted.addListener(shownAnyway);

// -- the pause page ---------------------------------------------------------------------------

// Only the pause page itself, as the top-level document of a tab, may speak for a pause: not a
// frame of it inside some site's page.
// (Its address may be a per-session one: use_dynamic_url. The page itself also checks that it is
// not framed, before it says anything.)
function fromPausePage(sender) {
  let path = "";
  try {
    path = new URL(sender.url).pathname;
  } catch (error) {
    return false;
  }
  const topLevel = sender.frameId === 0 || sender.frameId === undefined;
  return sender.tab?.id !== undefined && topLevel && path === `/${PAUSE_PAGE}`;
}

// What the pause page in a tab stands for: {held} (recorded once, and only now that the pause
// really stands in the tab), {away} while the tab is stepping away past the held-back page, or
// null if nothing is known yet. (Called inside inTab.)
async function pauseStanding(tabId) {
  if (await steppingAway(tabId)) {
    return { away: true };
  }
  const held = await heldIn(tabId);
  if (!held || !(held.shown || Date.now() - held.at < CAUSE_MS)) {
    return null;
  }
  if (!held.shown) {
    await holdIn(tabId, { ...held, shown: true });
    send({ type: "pause", pause_id: held.pauseId, url: held.url });
  }
  return { held };
}

async function pauseOpened(tabId) {
  const { pauseSeconds = 5 } = await api.storage.local.get("pauseSeconds");
  // The pause page can load before the navigation's listener has finished (Firefox reports
  // the redirect after the page has loaded; a busy browser takes its time, more than 5 s on a
  // starved machine): wait a while. Only a pause opened from history waits it out in full.
  for (let waited = 0; waited < 15000; waited += 100) {
    const standing = await inTab(tabId, () => pauseStanding(tabId));
    if (standing) {
      return {
        pauseSeconds,
        known: Boolean(standing.held),
        stepAway: Boolean(standing.away),
        overShownPage: Boolean(standing.held?.over),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Seen in the browser's console only (the tab's number, never its address): for a bug report.
  console.warn(`nudger: a pause page in tab ${tabId} found nothing held back there`);
  return { pauseSeconds, known: false };
}

async function answered(tabId, message) {
  const held = await inTab(tabId, async () => {
    const found = await heldIn(tabId);
    if (found) {
      await releaseIn(tabId);
      if (found.shown) {
        const { pauseId, url } = found;
        send({ type: "pause_answer", pause_id: pauseId, url, answer: message.answer });
      }
    }
    if (message.answer === "away" && !message.close) {
      await session.set({ [`away:${tabId}`]: Date.now() + STEPPING_AWAY_MS });
    }
    return found;
  });
  if (held && message.answer === "go_on") {
    await goOn(tabId, held);
    return;
  }
  // Stepping away always steps away, whether or not there was anything to hold.
  if (message.answer === "away" && message.close) {
    await api.tabs.remove(tabId);
  }
}

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (!fromPausePage(sender)) {
    return false;
  }
  const tabId = sender.tab.id;
  const work =
    message.type === "pause_opened"
      ? pauseOpened(tabId)
      : message.type === "pause_answer"
        ? answered(tabId, message).then(() => ({}))
        : fromMoment(message);
  work.then(reply, () => reply({}));
  return true; // the reply comes later
});

// The pause page's tap and plans (moment.js). A tap goes on to nudger as the answer alone:
// nothing of the page, the entry or the site.
async function fromMoment(message) {
  if (message.type === "pause_plans") {
    return { plans: await sessionValue("plans", []) };
  }
  if (message.type === "pause_feeling" && typeof message.feeling === "string") {
    send({ type: "feeling", feeling: message.feeling.slice(0, 32) });
  }
  return {};
}

async function goOn(tabId, held) {
  // This tab may open the page now, and again for pause_again_minutes, without a second pause.
  const { pauseAgainMinutes = 10 } = await api.storage.local.get("pauseAgainMinutes");
  const id = ALLOW_RULE_BASE + (tabId % 100000);
  // At least long enough for the page to open (browsers fire alarms 30 s apart at the least).
  const until = Date.now() + Math.max(pauseAgainMinutes * 60000, 30000);
  await session.set({ [`allowed:${tabId}`]: until, [`allowedEntry:${entryOf(held.url)}`]: until });
  const entryId = ENTRY_ALLOW_BASE + (tabId % 100000);
  try {
    await api.declarativeNetRequest.updateSessionRules({
      removeRuleIds: [id, entryId],
      addRules: [
        {
          // Any tab: no second pause for this entry, not only in this one.
          id: entryId,
          priority: 2,
          action: { type: "allow" },
          condition: {
            regexFilter: entryRegex(held.url),
            isUrlFilterCaseSensitive: false,
            resourceTypes: ["main_frame"],
          },
        },
        {
          id,
          priority: 2,
          action: { type: "allow" },
          condition: {
            tabIds: [tabId],
            regexFilter: held.regex,
            isUrlFilterCaseSensitive: true,
            resourceTypes: ["main_frame"],
          },
        },
      ],
    });
  } catch (error) {
    // No room for one more rule: the page still opens (below) once; a reload pauses again.
  }
  api.alarms.create(`allow-${id}`, { when: until });
  await api.tabs.update(tabId, { url: held.url });
}

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name.startsWith("allow-")) {
    const id = Number(alarm.name.slice("allow-".length));
    api.declarativeNetRequest.updateSessionRules({
      removeRuleIds: [id, ENTRY_ALLOW_BASE + (id - ALLOW_RULE_BASE)],
    });
  }
});

// -- the companion's own pages (pages/): Today, Blocklist, Someone to talk to -----------------

const PAGES = "pages/";
const PAGE_PROTOCOL = 1;
// The host answers or refuses every request within a second; this covers a host that is gone.
const PAGE_WAIT_MS = 2000;
const pageWaiting = new Map(); // request id -> resolve

// Only a page of ours, in a tab of its own: not a frame inside some site's page, not another
// extension (those arrive at onMessageExternal, never here), never a website (the pages are no
// web_accessible_resources, so no site can even load them).
function fromOwnPage(sender) {
  let url = null;
  try {
    url = new URL(sender.url);
  } catch (error) {
    return false;
  }
  const ours = new URL(api.runtime.getURL(""));
  const topLevel = sender.frameId === 0 || sender.frameId === undefined;
  return sender.id === api.runtime.id && url.origin === ours.origin && topLevel && url.pathname.startsWith(`/${PAGES}`);
}

function askNudger(kind, args) {
  if (!port) {
    return Promise.resolve({ ok: false, error: { code: "no_host", reason: "" } });
  }
  const id = crypto.randomUUID();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pageWaiting.delete(id);
      resolve({ ok: false, error: { code: "timeout", reason: "" } });
    }, PAGE_WAIT_MS);
    pageWaiting.set(id, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    try {
      port.postMessage({ type: "page", v: PAGE_PROTOCOL, id, kind, args });
    } catch (error) {
      pageWaiting.delete(id);
      clearTimeout(timer);
      resolve({ ok: false, error: { code: "no_host", reason: "" } });
    }
  });
}

function pageReplied(message) {
  const waiting = pageWaiting.get(message.id);
  if (waiting) {
    pageWaiting.delete(message.id);
    waiting({ ok: Boolean(message.ok), data: message.data, error: message.error });
  }
}

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (message?.type !== "page_request" || !fromOwnPage(sender)) {
    return false;
  }
  const args = message.args && typeof message.args === "object" ? message.args : {};
  askNudger(String(message.kind), args).then(reply);
  return true; // the reply comes later
});

// The toolbar button opens the pages, at Today.
api.action?.onClicked.addListener(() => api.tabs.create({ url: api.runtime.getURL(`${PAGES}today.html`) }));

// -- the site access the pause needs ----------------------------------------------------------

// Firefox lets the person switch off "Access your data for all websites"; without it the
// browser's rules never fire. Ask for it on the first-run page, and tell nudger either way.
api.permissions.onAdded?.addListener(reportHolding);
api.permissions.onRemoved?.addListener(reportHolding);
api.runtime.onInstalled.addListener(async ({ reason }) => {
  // An update from a companion that never asked asks now: until then it sends nothing.
  if ((reason === "install" || reason === "update") && !(await consented())) {
    api.tabs.create({ url: api.runtime.getURL("welcome.html") });
  }
});

// -- the person's agreement ---------------------------------------------------------------------

// Nothing goes to nudger's host, not even a hello, before the person agreed on the first-run page
// (welcome.html, also the companion's options page): the host is not even started before.
async function consented() {
  const { consented: agreed = false } = await api.storage.local.get("consented");
  return agreed === true;
}

api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.consented?.newValue === true && port === null) {
    connect();
  }
});

// -- what is in front ---------------------------------------------------------------------------

api.tabs.onActivated.addListener(reportState);
api.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (tab.active && (change.url !== undefined || change.title !== undefined)) {
    reportState();
  }
});
api.tabs.onRemoved.addListener((tabId) =>
  inTab(tabId, async () => {
    const held = await heldIn(tabId);
    if (held?.shown) {
      // Closing the tab on the pause page is stepping away too.
      send({ type: "pause_answer", pause_id: held.pauseId, url: held.url, answer: "away" });
    }
    await session.remove([`held:${tabId}`, `allowed:${tabId}`, `away:${tabId}`]);
  }),
);
api.windows.onFocusChanged.addListener(reportState);
api.idle.setDetectionInterval(IDLE_SECONDS);
api.idle.onStateChanged.addListener((state) => {
  idleSince = state === "active" ? null : Date.now();
  reportState();
});

consented().then((agreed) => agreed && connect());
