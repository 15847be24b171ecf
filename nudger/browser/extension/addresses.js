// Addresses as nudger's rules read them, shared by background.js and nudger's tests
// (tests/core/test_addresses.py runs the same table of cases here as in Python and RE2).
"use strict";

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

// The address as Chromium hands it to its request rules: escapes of letters, digits and "-._~"
// read, every other character outside ASCII escaped, the scheme's own port left out. Firefox keeps such escapes; bringing its
// addresses to this form lets the extension test them with the very rules Chromium applies.
// nudger/core/addresses.py:browser_form does the same.
function browserForm(url) {
  const read = url.replace(/%([0-9a-fA-F]{2})/g, (whole, hex) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : whole;
  });
  const portless = read
    .replace(/^(https:\/\/[^/?#]*?):443(?=[/?#]|$)/i, "$1")
    .replace(/^(http:\/\/[^/?#]*?):80(?=[/?#]|$)/i, "$1");
  return portless.replace(/[^\x00-\x7f]/gu, (char) => {
    try {
      return encodeURIComponent(char);
    } catch (error) {
      return char; // a lone surrogate: no address a browser gives
    }
  });
}

// Whether `url` is one a rule (as nudger sends it: {regex}) holds back; the rule, or undefined.
function ruleFor(rules, url) {
  const form = browserForm(url);
  return rules.find((rule) => new RegExp(rule.regex, "iu").test(form));
}

globalThis.nudgerAddresses = { browserForm, ruleFor };
