// The companion's own pages (Today, Blocklist, Someone to talk to) share this: their one way to
// nudger, the words in the person's language, and the bar at the top. A page asks the
// background, which asks nudger's host over native messaging; nothing here loads anything from
// the network (see the manifest's content_security_policy).
"use strict";

// Its own scope: the pages take what they use from globalThis.nudgerPages by the same names.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const say = (key, ...values) => (api.i18n && api.i18n.getMessage(key, values.map(String))) || key;
  const language = (() => {
    const code = (api.i18n?.getUILanguage?.() ?? navigator.language ?? "en").slice(0, 2).toLowerCase();
    return ["en", "de", "es"].includes(code) ? code : "en";
  })();

  // One request: {ok, data} or {ok: false, error: {code, reason}}. Never throws.
  async function ask(kind, args = {}) {
    try {
      const answer = await api.runtime.sendMessage({ type: "page_request", kind, args: { ...args, language } });
      return answer ?? { ok: false, error: { code: "no_answer", reason: "" } };
    } catch (error) {
      return { ok: false, error: { code: "no_answer", reason: "" } };
    }
  }

  const STOPPED = new Set(["nudger_stopped", "no_host"]);
  const isStopped = (answer) => !answer.ok && STOPPED.has(answer.error?.code);

  // Why a request was refused, in words: the daemon's own (already in this language) or ours.
  function why(answer) {
    const code = answer.error?.code ?? "failed";
    if (code === "refused" && answer.error.reason) {
      return answer.error.reason;
    }
    const known = { nudger_stopped: "pagesStopped", no_host: "pagesNoHost", timeout: "pagesSlow", busy: "pagesSlow" };
    return say(known[code] ?? "pagesFailed");
  }

  function element(tag, text, attributes = {}) {
    const made = document.createElement(tag);
    if (text !== undefined && text !== null) {
      made.textContent = text;
    }
    for (const [name, value] of Object.entries(attributes)) {
      made.setAttribute(name, value);
    }
    return made;
  }

  // Words of the page itself: every element with data-say="key".
  function sayPage(titleKey) {
    document.documentElement.lang = language;
    for (const found of document.querySelectorAll("[data-say]")) {
      found.textContent = say(found.dataset.say);
    }
    for (const found of document.querySelectorAll("[data-say-label]")) {
      found.setAttribute("aria-label", say(found.dataset.sayLabel));
    }
    document.title = `${say(titleKey)} · nudger`;
  }

  // The state a page is in, for the person (the notice) and for assistive technology.
  function showState(state, text = "") {
    document.body.dataset.state = state;
    const notice = document.getElementById("notice");
    if (!notice) {
      return;
    }
    notice.hidden = !text;
    notice.textContent = text;
    if (state === "stopped") {
      notice.append(" ", element("a", say("pagesTalkStillHere"), { href: "talk.html" }));
    }
  }

  function minutes(seconds) {
    const whole = Math.round((seconds ?? 0) / 60);
    const unit = (value, name) =>
      new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
    if (whole < 60) {
      return unit(whole, "minute");
    }
    const rest = whole % 60;
    return rest ? `${unit(Math.floor(whole / 60), "hour")} ${unit(rest, "minute")}` : unit(whole / 60, "hour");
  }

  function when(seconds) {
    return new Date(seconds * 1000).toLocaleString(language, { weekday: "long", hour: "2-digit", minute: "2-digit", day: "numeric", month: "long" });
  }

  // The bar at the top: the pages, and Pause / Resume.
  function pageBar(current) {
    const nav = document.getElementById("bar");
    const links = element("ul");
    for (const [file, key] of [["today.html", "pagesToday"], ["blocklist.html", "pagesBlocklist"], ["talk.html", "pagesTalk"]]) {
      const link = element("a", say(key), { href: file });
      if (file === current) {
        link.setAttribute("aria-current", "page");
      }
      const item = element("li");
      item.append(link);
      links.append(item);
    }
    const pause = element("button", say("pagesPause"), { id: "pause", type: "button" });
    const resume = element("button", say("pagesResume"), { id: "resume", type: "button" });
    const said = element("span", "", { id: "pause-state", role: "status" });
    pause.addEventListener("click", async () => {
      const answer = await ask("pause", { minutes: 60 });
      said.textContent = !answer.ok
        ? why(answer)
        : answer.data.paused_until
          ? say("pagesPausedUntil", when(answer.data.paused_until))
          : say("pagesPauseWaits", when(answer.data.waits_until));
    });
    resume.addEventListener("click", async () => {
      const answer = await ask("resume");
      said.textContent = answer.ok ? say("pagesResumed") : why(answer);
    });
    nav.setAttribute("aria-label", say("pagesNav"));
    nav.append(links, pause, resume, said);
  }

  globalThis.nudgerPages = { api, say, ask, why, isStopped, element, sayPage, showState, minutes, when, pageBar, language };
})();
