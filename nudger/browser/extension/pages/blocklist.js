// Blocklist: add, change and remove entries, with the tester as you type. nudger writes the
// settings file exactly as `nudger block` does; a refusal says why here and keeps what was typed.
"use strict";

const { say, ask, why, isStopped, element, sayPage, showState, when, pageBar } = globalThis.nudgerPages;

const form = document.getElementById("entry");
const fields = { name: form.elements.name, match: form.elements.match, apps: form.elements.apps };
let editing = null; // the name of the entry being changed, or null when adding

const lines = (text) => text.split("\n").map((line) => line.trim()).filter(Boolean);

function listEntries(entries) {
  const list = document.getElementById("entries");
  list.replaceChildren();
  if (!entries.length) {
    list.append(element("li", say("blockEmpty")));
  }
  for (const entry of entries) {
    const item = element("li", null, { "data-name": entry.name });
    item.append(element("strong", entry.name), ` — ${entry.match.join(", ")}`);
    if (entry.apps.length) {
      item.append(` (${entry.apps.join(", ")})`);
    }
    const edit = element("button", say("blockEdit"), { type: "button", "aria-label": say("blockEditNamed", entry.name) });
    edit.addEventListener("click", () => startEditing(entry));
    const remove = element("button", say("blockRemove"), { type: "button", "aria-label": say("blockRemoveNamed", entry.name) });
    remove.addEventListener("click", () => removeEntry(entry.name));
    item.append(edit, remove);
    list.append(item);
  }
}

function startEditing(entry) {
  editing = entry.name;
  fields.name.value = entry.name;
  fields.match.value = entry.match.join("\n");
  fields.apps.value = entry.apps.join("\n");
  document.getElementById("form-title").textContent = say("blockChange", entry.name);
  document.getElementById("cancel").hidden = false;
  fields.name.focus();
}

function stopEditing() {
  editing = null;
  form.reset();
  document.getElementById("form-title").textContent = say("blockAdd");
  document.getElementById("cancel").hidden = true;
}

// What was saved, and what of it a promise holds back until when.
function saidAfter(answer) {
  const waiting = answer.data.waiting ?? [];
  if (!waiting.length) {
    return say("blockSaved");
  }
  const latest = Math.max(...waiting.map((found) => found.due));
  return say("blockWaits", when(latest));
}

async function save(event) {
  event.preventDefault();
  const error = document.getElementById("form-error");
  const said = document.getElementById("form-said");
  error.textContent = "";
  said.textContent = "";
  const entry = { name: fields.name.value.trim(), match: lines(fields.match.value), apps: lines(fields.apps.value) };
  const answer = editing === null
    ? await ask("block_add", entry)
    : await ask("block_edit", { ...entry, name: editing, rename: entry.name === editing ? "" : entry.name });
  if (!answer.ok) {
    error.textContent = why(answer); // what was typed stays in the form
    document.body.dataset.state = "refused";
    return;
  }
  listEntries(answer.data.entries);
  stopEditing();
  said.textContent = saidAfter(answer);
  document.body.dataset.state = "saved";
}

async function removeEntry(name) {
  const answer = await ask("block_remove", { name });
  const said = document.getElementById("form-said");
  if (!answer.ok) {
    document.getElementById("form-error").textContent = why(answer);
    return;
  }
  listEntries(answer.data.entries);
  said.textContent = saidAfter(answer);
}

// The tester, as you type: what `nudger block test` says, and any pattern nudger cannot take.
let testing = 0;
async function test() {
  const number = ++testing;
  const answer = await ask("block_test", { text: document.getElementById("test").value, match: lines(fields.match.value) });
  if (number !== testing || !answer.ok) {
    return;
  }
  const result = document.getElementById("test-result");
  result.replaceChildren(
    ...answer.data.matches.map((found) =>
      element("li", say(found.kind === "blocklist" ? "blockMatchEntry" : "blockMatchSite", found.target, found.pattern)),
    ),
  );
  if (document.getElementById("test").value.trim() && !answer.data.matches.length) {
    result.append(element("li", say("blockNothing")));
  }
  const problems = Object.entries(answer.data.problems);
  document.getElementById("match-problems").textContent = problems
    .map(([pattern, problem]) => say("blockPatternProblem", pattern, problem))
    .join(" ");
}

let waitToTest = null;
const testSoon = () => {
  clearTimeout(waitToTest);
  waitToTest = setTimeout(test, 200);
};

async function start() {
  const answer = await ask("blocklist");
  if (!answer.ok) {
    form.hidden = true;
    showState(isStopped(answer) ? "stopped" : "error", why(answer));
    return;
  }
  listEntries(answer.data.entries);
  showState("ready");
}

sayPage("pagesBlocklist");
pageBar("blocklist.html");
form.addEventListener("submit", save);
document.getElementById("cancel").addEventListener("click", stopEditing);
document.getElementById("test").addEventListener("input", testSoon);
fields.match.addEventListener("input", testSoon);
start();
