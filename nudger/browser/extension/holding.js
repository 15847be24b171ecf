// Which pages this browser holds back for a breath, and which it only counts: the twin of
// nudger/core/holding.py, shared by background.js and nudger's tests (tests/core/test_holding.py
// runs the same table of cases, tests/core/holding_cases.json, here as in Python).
// One global only (nudgerHolding): the background shares its scope with this file.
(() => {
"use strict";

// What a message from nudger asks this browser to hold back: {rules, onlyCounted}. A breath
// of no length holds nothing back, and neither does a nudger that is not running (its host
// says "nudger_stopped"); a paused nudger sends no rules at all.
function holding(message) {
  if (message?.type !== "pause_rules" || !(message.pause_seconds > 0)) {
    return { rules: [], onlyCounted: 0 };
  }
  return { rules: message.rules ?? [], onlyCounted: message.only_counted ?? 0 };
}

// The rule that holds `url` back, or undefined: on the address in the browser form, with
// regard to case, as the browsers' own rules match (addresses.js).
function ruleHolding(rules, url) {
  return globalThis.nudgerAddresses.ruleFor(rules, url);
}

globalThis.nudgerHolding = { holding, ruleHolding };
})();
