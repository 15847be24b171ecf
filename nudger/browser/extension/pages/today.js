// Today: what `nudger summary` says of today, and the week's small chart.
"use strict";

const { say, ask, why, isStopped, element, sayPage, showState, minutes, pageBar, language } = globalThis.nudgerPages;

function fill(id, text, value) {
  const found = document.getElementById(id);
  found.textContent = text;
  found.dataset.value = String(value);
}

function week(days) {
  const chart = document.getElementById("week");
  chart.replaceChildren();
  const most = Math.max(60, ...days.map((day) => day.site_seconds + day.blocklist_seconds));
  for (const day of days) {
    const seconds = day.site_seconds + day.blocklist_seconds;
    const name = new Date(`${day.date}T12:00:00`).toLocaleDateString(language, { weekday: "short" });
    const item = element("li", null, { "data-date": day.date, "data-seconds": String(seconds) });
    const bar = element("span", null, { class: "bar", "aria-hidden": "true" });
    bar.style.height = `${Math.round((seconds / most) * 100)}%`;
    item.append(bar, element("span", name, { "aria-label": `${name}: ${minutes(seconds)}` }));
    chart.append(item);
  }
}

async function show() {
  const answer = await ask("today");
  if (!answer.ok) {
    showState(isStopped(answer) ? "stopped" : "error", why(answer));
    return;
  }
  const { day, week: days } = answer.data;
  fill("site-time", minutes(day.site_seconds), day.site_seconds);
  fill("blocklist-time", minutes(day.blocklist_seconds), day.blocklist_seconds);
  fill("glances", String(day.blocklist_visits), day.blocklist_visits);
  fill("pauses", String(day.nudges.pauses), day.nudges.pauses);
  fill("clear-days", String(day.streak.days_without_blocklist), day.streak.days_without_blocklist);
  week(days.days);
  const plans = document.getElementById("plans");
  plans.replaceChildren(...day.plans.map((plan) => element("li", plan)));
  if (!day.plans.length) {
    plans.append(element("li", say("todayNoPlans")));
  }
  document.getElementById("today").hidden = false;
  showState("ready");
}

sayPage("pagesToday");
pageBar("today.html");
show();
