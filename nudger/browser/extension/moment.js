// The pause page's second half: the exercise changes from one pause to the next (one line,
// shown once, says why), one optional tap "How are you right now?" (never needed to go on),
// and the person's if-then plans, in their words. Runs after pause.js.
"use strict";

(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const say = (key, fallback) => (api.i18n && api.i18n.getMessage(key)) || fallback;
  const byId = (id) => document.getElementById(id);

  // A breath, five things you can see, a hand on your chest, a slow circle: each a way back
  // into the body for a moment. The same one every time soon goes unseen (HabitLab, 2018).
  const EXERCISES = [
    { name: "breath", key: "pauseGuide", text: "Breathe in slowly… and out.", circle: "" },
    { name: "five", key: "exerciseFive", text: "Name five things you can see around you.", circle: "still" },
    { name: "hand", key: "exerciseHand", text: "Put a hand on your chest and feel it rise and fall.", circle: "still" },
    { name: "circle", key: "exerciseCircle", text: "Follow the slow circle with your eyes, once round.", circle: "circle" },
  ];
  const FEELINGS = [
    ["lonely", "feelingLonely", "lonely"],
    ["sad", "feelingSad", "sad"],
    ["bored", "feelingBored", "bored"],
    ["angry", "feelingAngry", "angry"],
    ["curious", "feelingCurious", "curious"],
    ["cant_sleep", "feelingCantSleep", "can't sleep"],
    ["fine", "feelingFine", "fine"],
    ["skip", "feelingSkip", "skip"],
  ];

  async function exercise() {
    const { exerciseTurn = 0, rotationExplained = false } = await api.storage.local.get([
      "exerciseTurn",
      "rotationExplained",
    ]);
    const chosen = EXERCISES[Number(exerciseTurn) % EXERCISES.length] ?? EXERCISES[0];
    await api.storage.local.set({ exerciseTurn: (Number(exerciseTurn) + 1) % EXERCISES.length });
    document.body.dataset.exercise = chosen.name;
    byId("guide").textContent = say(chosen.key, chosen.text);
    if (chosen.circle) {
      byId("breath").classList.add(chosen.circle);
    }
    if (!rotationExplained && exerciseTurn > 0) {
      // Said once, the first time it changes, and never again.
      const why = byId("why");
      why.textContent = say(
        "exerciseWhy",
        "The exercise changes from one pause to the next: the same one every time soon goes unnoticed.",
      );
      why.hidden = false;
      await api.storage.local.set({ rotationExplained: true });
    }
  }

  function feelings() {
    byId("feelingQuestion").textContent = say("feelingQuestion", "How are you right now?");
    const taps = byId("taps");
    const done = () => {
      taps.hidden = true;
      byId("feelingQuestion").hidden = true;
    };
    for (const [answer, key, fallback] of FEELINGS) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.feeling = answer;
      button.textContent = say(key, fallback);
      button.addEventListener("click", (event) => {
        if (!event.isTrusted) {
          return;
        }
        done();
        if (answer !== "skip") {
          // Only the answer goes: the background adds nothing of the page.
          api.runtime.sendMessage({ type: "pause_feeling", feeling: answer });
          const thanks = byId("feelingThanks");
          thanks.textContent = say("feelingThanks", "Thank you.");
          thanks.hidden = false;
        }
      });
      taps.append(button);
    }
  }

  async function plans() {
    const { plans: mine = [] } = (await api.runtime.sendMessage({ type: "pause_plans" })) ?? {};
    if (!Array.isArray(mine) || mine.length === 0) {
      return;
    }
    byId("plansHeading").textContent = say("plansHeading", "Your plan");
    const list = byId("planList");
    for (const plan of mine.slice(0, 5)) {
      const item = document.createElement("li");
      item.textContent = String(plan); // text only: a plan is the person's words, never markup
      list.append(item);
    }
    byId("plans").hidden = false;
  }

  if (window.top === window) {
    exercise();
    feelings();
    plans();
  }
})();
