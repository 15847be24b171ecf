// Someone to talk to: the help-now list for the person's country, with links that call or text.
// It shows even when nudger is not running: the host reads the packaged table itself.
"use strict";

const { say, ask, why, isStopped, element, sayPage, showState, pageBar } = globalThis.nudgerPages;

const HEADINGS = { emergency: "talkEmergency", talk: "talkTalk", counsellor: "talkCounsellor" };

function heading(resource) {
  return say(resource.kind === "safety" ? `talkSafety_${resource.who}` : HEADINGS[resource.kind]);
}

function links(found) {
  return found.map((link) =>
    element("a", say(link.scheme === "sms" ? "talkText" : "talkCall", link.text), {
      href: `${link.scheme}:${link.number}`,
      class: link.scheme,
    }),
  );
}

function show(data) {
  const help = document.getElementById("help");
  help.replaceChildren();
  if (data.own_line) {
    help.append(element("h2", say("talkOwn")));
    const own = element("p", data.own_line);
    own.append(" ", ...links(data.own_links));
    help.append(own);
  }
  const list = element("ul", null, { id: "resources" });
  if (data.resources.length) {
    help.append(element("h2", say("talkIn", data.country_name)));
    for (const resource of data.resources) {
      const item = element("li", null, { "data-kind": resource.kind });
      item.append(element("strong", heading(resource)), element("br"));
      const text = resource.kind === "emergency" ? resource.contact : `${resource.name}: ${resource.contact}`;
      item.append(text + (resource.hours ? ` (${resource.hours})` : ""), element("br"), ...links(resource.links));
      list.append(item);
    }
  } else {
    const number = data.emergency;
    const item = element("li", null, { "data-kind": "emergency" });
    item.append(element("strong", say("talkEmergency")), element("br"));
    item.append(element("a", say("talkCall", number), { href: `tel:${number}`, class: "tel" }));
    const directory = element("li", say("talkDirectory"));
    directory.append(" ", element("a", data.directory, { href: data.directory }));
    list.append(item, directory);
  }
  help.append(list);
}

async function start() {
  // The browser's own language may name a country ("en-GB"), for when nothing else does.
  const hint = (navigator.language.split("-")[1] ?? "").slice(0, 2);
  const answer = await ask("help", hint ? { hint } : {});
  if (!answer.ok) {
    showState(isStopped(answer) ? "stopped" : "error", why(answer));
    return;
  }
  show(answer.data);
  // Shown from the host's own copy of the list: nudger itself is not running.
  const stopped = answer.data.from_host === "stopped";
  showState(stopped ? "stopped" : "ready", stopped ? say("pagesStoppedHelp") : "");
}

sayPage("pagesTalk");
pageBar("talk.html");
start();
