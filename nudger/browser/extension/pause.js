// The pause page: one slow breath, one kind question, two ways on. It never shows the address it
// holds back, or anything about whose page it is: screens are seen by others.
"use strict";

const api = globalThis.browser ?? globalThis.chrome;
const away = document.getElementById("away");
const on = document.getElementById("on");

// In the browser's own language (_locales/), with the English in the page as the fallback.
const say = (key, fallback) => (api.i18n && api.i18n.getMessage(key)) || fallback;
document.title = say("pauseTitle", document.title);
document.documentElement.lang = ((api.i18n && api.i18n.getMessage("@@ui_locale")) || "en").replace("_", "-");
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

api.runtime.sendMessage({ type: "pause_opened" }).then(({ pauseSeconds, known }) => {
  const seconds = Math.max(0, Number(pauseSeconds) || 0);
  document.documentElement.style.setProperty("--breath", `${seconds}s`);
  // Going on is possible once the breath is taken (and only when there is a page to go on to).
  setTimeout(() => { on.disabled = !known; }, seconds * 1000);
});

away.addEventListener("click", () => {
  const back = history.length > 1;
  api.runtime.sendMessage({ type: "pause_answer", answer: "away", close: !back }).then(() => {
    if (back) {
      history.back();
    }
  });
});

on.addEventListener("click", () => {
  on.disabled = true;
  api.runtime.sendMessage({ type: "pause_answer", answer: "go_on" });
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    away.click();
  }
});
