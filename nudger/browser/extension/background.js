// nudger companion: reports the active tab to nudger on this computer, and holds a page on the
// blocklist back for a slow breath. It talks to nothing but nudger's own native-messaging host.
"use strict";

const api = globalThis.browser ?? globalThis.chrome;
const HOST = "app.nudger.companion";
const IDLE_SECONDS = 60; // nudger adds this back: "idle" is said once input stopped this long ago
const PAUSE_RULE_BASE = 1000; // dynamic rules: 1000 + n; session "go on" rules: 5000 + tab id
const ALLOW_RULE_BASE = 5000;

let port = null;
let retryMs = 1000;
let idleSince = null;
// The rules as nudger last sent them (also kept in storage, for a restarted service worker).
let pauseRules = null;
// tab id -> the address it was about to open, the rule that held it back, and the pause's id
const heldBack = new Map();
// tab id -> until when it may open its held-back page again without a pause (ms)
const allowedUntil = new Map();

function connect() {
  try {
    port = api.runtime.connectNative(HOST);
  } catch (error) {
    port = null;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
    return;
  }
  port.onMessage.addListener(fromNudger);
  port.onDisconnect.addListener(() => {
    port = null;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
  });
  retryMs = 1000;
  send({ type: "hello", version: api.runtime.getManifest().version });
  reportState();
}

function send(message) {
  if (port) {
    try {
      port.postMessage({ ...message, at: Date.now() });
    } catch (error) {
      port = null;
    }
  }
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

// -- what nudger asks: which addresses to hold back, and for how long -------------------------

async function fromNudger(message) {
  if (message.type === "pause_rules") {
    await api.storage.local.set({
      pauseSeconds: message.pause_seconds,
      pauseAgainMinutes: message.pause_again_minutes,
    });
    await installPauseRules(message.rules, message.pause_seconds > 0);
  } else if (message.type === "nudger_stopped") {
    // nudger is not running (or was stopped on purpose): hold nothing back until it is again.
    await installPauseRules([], false);
  }
}

async function installPauseRules(rules, enabled) {
  const existing = await api.declarativeNetRequest.getDynamicRules();
  const addRules = enabled
    ? rules.map((rule, index) => ({
        id: PAUSE_RULE_BASE + index,
        priority: 1,
        action: { type: "redirect", redirect: { extensionPath: "/pause.html" } },
        condition: {
          regexFilter: rule.regex,
          isUrlFilterCaseSensitive: false,
          resourceTypes: ["main_frame"],
        },
      }))
    : [];
  await api.declarativeNetRequest.updateDynamicRules({
    removeRuleIds: existing.map((rule) => rule.id),
    addRules,
  });
  pauseRules = enabled ? rules : [];
  await api.storage.local.set({ pauseRules });
  // So that `nudger browser status` can say what this browser holds back (a count only).
  send({ type: "holding", count: addRules.length });
}

async function currentRules() {
  if (pauseRules === null) {
    ({ pauseRules = [] } = await api.storage.local.get("pauseRules"));
  }
  return pauseRules;
}

// The address a tab was about to open, before the pause page took its place. Kept here, never in
// the pause page's own address or title, where someone looking at the screen would read it.
api.webNavigation.onBeforeNavigate.addListener(async (details) => {
  if (details.frameId !== 0 || (allowedUntil.get(details.tabId) ?? 0) > Date.now()) {
    return;
  }
  if (details.url.startsWith(api.runtime.getURL(""))) {
    return; // the pause page itself (Firefox reports the redirect to it as a navigation)
  }
  const rule = (await currentRules()).find((r) => new RegExp(r.regex, "iu").test(details.url));
  const earlier = heldBack.get(details.tabId);
  if (earlier && !rule) {
    // Off to another page from the pause: that is stepping away too.
    send({ type: "pause_answer", pause_id: earlier.pauseId, url: earlier.url, answer: "away" });
    heldBack.delete(details.tabId);
  }
  if (rule) {
    heldBack.set(details.tabId, { url: details.url, rule, pauseId: crypto.randomUUID() });
  }
});

// The pause page can load before onBeforeNavigate's listener has finished (a busy browser
// takes its time): wait for it a little.
async function heldIn(tabId) {
  for (let waited = 0; waited < 5000 && !heldBack.has(tabId); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return heldBack.get(tabId);
}

api.runtime.onMessage.addListener((message, sender, reply) => {
  const tabId = sender.tab?.id;
  if (message.type === "pause_opened") {
    Promise.all([api.storage.local.get(["pauseSeconds"]), heldIn(tabId)]).then(
      ([{ pauseSeconds = 5 }, held]) => {
        if (held && !held.reported) {
          held.reported = true;
          send({ type: "pause", pause_id: held.pauseId, url: held.url });
        }
        reply({ pauseSeconds, known: Boolean(held) });
      },
    );
    return true; // the reply comes later
  }
  const held = tabId === undefined ? undefined : heldBack.get(tabId);
  if (message.type === "pause_answer" && held) {
    send({ type: "pause_answer", pause_id: held.pauseId, url: held.url, answer: message.answer });
    heldBack.delete(tabId);
    if (message.answer === "go_on") {
      goOn(tabId, held).then(() => reply({}));
      return true;
    }
    if (message.answer === "away" && message.close) {
      api.tabs.remove(tabId);
    }
  }
  reply({});
  return false;
});

async function goOn(tabId, held) {
  // This tab may open the page now, and again for pause_again_minutes, without a second pause.
  const { pauseAgainMinutes = 10 } = await api.storage.local.get("pauseAgainMinutes");
  const id = ALLOW_RULE_BASE + (tabId % 100000);
  // At least long enough for the page to open (browsers fire alarms 30 s apart at the least).
  const until = Date.now() + Math.max(pauseAgainMinutes * 60000, 30000);
  allowedUntil.set(tabId, until);
  await api.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [id],
    addRules: [
      {
        id,
        priority: 2,
        action: { type: "allow" },
        condition: {
          tabIds: [tabId],
          regexFilter: held.rule.regex,
          isUrlFilterCaseSensitive: false,
          resourceTypes: ["main_frame"],
        },
      },
    ],
  });
  api.alarms.create(`allow-${id}`, { when: until });
  await api.tabs.update(tabId, { url: held.url });
}

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name.startsWith("allow-")) {
    const id = Number(alarm.name.slice("allow-".length));
    api.declarativeNetRequest.updateSessionRules({ removeRuleIds: [id] });
  }
});

// -- what is in front ---------------------------------------------------------------------------

api.tabs.onActivated.addListener(reportState);
api.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (tab.active && (change.url !== undefined || change.title !== undefined)) {
    reportState();
  }
});
api.tabs.onRemoved.addListener((tabId) => {
  const held = heldBack.get(tabId);
  if (held) {
    // Closing the tab on the pause page is stepping away too.
    send({ type: "pause_answer", pause_id: held.pauseId, url: held.url, answer: "away" });
  }
  heldBack.delete(tabId);
  allowedUntil.delete(tabId);
});
api.windows.onFocusChanged.addListener(reportState);
api.idle.setDetectionInterval(IDLE_SECONDS);
api.idle.onStateChanged.addListener((state) => {
  idleSince = state === "active" ? null : Date.now();
  reportState();
});

connect();
