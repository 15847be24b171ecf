// The first-run page: asks for the site access the pause needs, where the browser lets the
// person withhold it (Firefox lists it as optional). A browser asks only on a person's click.
"use strict";

const api = globalThis.browser ?? globalThis.chrome;
const say = (key, fallback) => (api.i18n && api.i18n.getMessage(key)) || fallback;
const EVERY_SITE = { origins: ["<all_urls>"] };

for (const [id, key] of [
  ["title", "welcomeTitle"],
  ["text", "welcomeText"],
  ["allow", "welcomeAllow"],
  ["later", "welcomeLater"],
]) {
  const element = document.getElementById(id);
  element.textContent = say(key, element.textContent);
}
document.title = say("welcomeTitle", document.title);

const allow = document.getElementById("allow");
const done = () => {
  allow.hidden = true;
  document.getElementById("later").textContent = say("welcomeDone", "Thank you. The pause can work now.");
};
api.permissions.contains(EVERY_SITE).then((granted) => granted && done());
allow.addEventListener("click", (event) => {
  if (event.isTrusted) {
    api.permissions.request(EVERY_SITE).then((granted) => granted && done());
  }
});
