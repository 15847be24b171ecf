// The first-run page: says what the companion sends and to what, and asks before it sends
// anything. background.js connects to nudger's host only once "consented" is stored here.
// The same click asks for the site access the pause needs, where the browser lets the person
// withhold it (Firefox lists it as optional): a browser asks only on a person's click.
"use strict";

const api = globalThis.browser ?? globalThis.chrome;
const say = (key, fallback) => (api.i18n && api.i18n.getMessage(key)) || fallback;
const EVERY_SITE = { origins: ["<all_urls>"] };

for (const [id, key] of [
  ["title", "welcomeTitle"],
  ["what", "welcomeWhat"],
  ["never", "welcomeNever"],
  ["pause", "welcomePause"],
  ["allow", "welcomeAgree"],
  ["later", "welcomeNotNow"],
]) {
  const element = document.getElementById(id);
  element.textContent = say(key, element.textContent);
}
document.title = say("welcomeTitle", document.title);

const allow = document.getElementById("allow");
const done = () => {
  allow.hidden = true;
  document.title = say("welcomeDoneTitle", "nudger's companion is on");
  document.getElementById("later").textContent = say(
    "welcomeDone",
    "Thank you. The companion now tells nudger on this computer which page is in front.",
  );
};
api.storage.local.get("consented").then((found) => found.consented === true && done());
allow.addEventListener("click", (event) => {
  if (!event.isTrusted) {
    return; // only the person's own click agrees
  }
  // Asked first, while the click still counts as the person's; agreed either way (without site
  // access nudger still counts the pages, and `nudger browser status` says so).
  const asked = api.permissions.request(EVERY_SITE).catch(() => false);
  asked.then(() => api.storage.local.set({ consented: true })).then(done);
});
