// The pause page: one slow breath, one kind question, two ways on. It never shows the address it
// holds back, or anything about whose page it is: screens are seen by others.
"use strict";

const api = globalThis.browser ?? globalThis.chrome;

// In the browser's own language (_locales/), with the English in the page as the fallback.
const say = (key, fallback) => (api.i18n && api.i18n.getMessage(key)) || fallback;

function pause() {
  const away = document.getElementById("away");
  const on = document.getElementById("on");
  document.title = say("pauseTitle", document.title);
  document.documentElement.lang = (say("@@ui_locale", "en")).replace("_", "-");
  for (const [id, key] of [
    ["guide", "pauseGuide"],
    ["question", "pauseQuestion"],
    ["away", "stepAway"],
    ["on", "goOn"],
    ["quiet", "pauseQuiet"],
  ]) {
    const element = document.getElementById(id);
    element.textContent = say(key, element.textContent);
  }

  let closeInstead = false;
  // How many pages back the person came from: two when the held-back page itself showed (an
  // in-page or escaped address) and stands just before this one.
  let stepsBack = 1;
  const close = () => api.runtime.sendMessage({ type: "pause_answer", answer: "away", close: true });
  const stepAway = () => {
    if (closeInstead || history.length <= stepsBack) {
      close();
      return;
    }
    // Back where the person came from; if there is nothing before this page (history.length
    // counts pages ahead too), this page is still here a moment later: then close the tab.
    api.runtime.sendMessage({ type: "pause_answer", answer: "away", close: false }).then(() => {
      history.go(-stepsBack);
      setTimeout(close, 1000);
    });
  };

  api.runtime.sendMessage({ type: "pause_opened" }).then((standing) => {
    const { pauseSeconds, known, stepAway: passing, overShownPage } = standing;
    stepsBack = overShownPage ? 2 : 1;
    if (passing) {
      // Stepping away went back onto the held-back page, and the browser paused it again:
      // nothing to ask, on back past it.
      stepAway();
      return;
    }
    if (!known) {
      // Opened again from the tab's history, or after the browser forgot: nothing to hold.
      document.getElementById("question").textContent = say("pausePassed", "This moment has passed.");
      away.textContent = say("closeTab", "Close this tab");
      on.hidden = true;
      closeInstead = true;
      return;
    }
    const seconds = Math.max(0, Number(pauseSeconds) || 0);
    document.documentElement.style.setProperty("--breath", `${seconds}s`);
    // Going on is possible once the breath is taken.
    setTimeout(() => { on.disabled = false; }, seconds * 1000);
  });

  // Only a person's own clicks and keys count: not a script's, not another page's.
  away.addEventListener("click", (event) => {
    if (event.isTrusted) {
      stepAway();
    }
  });
  on.addEventListener("click", (event) => {
    if (event.isTrusted && !on.disabled) {
      on.disabled = true;
      api.runtime.sendMessage({ type: "pause_answer", answer: "go_on" });
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.isTrusted && event.key === "Escape") {
      stepAway();
    }
  });
}

// The pause acts only as the page in front of a tab: framed inside another page, it does
// nothing at all (that page could otherwise click "Go on" for the person).
if (window.top === window) {
  pause();
} else {
  document.body.replaceChildren();
}
