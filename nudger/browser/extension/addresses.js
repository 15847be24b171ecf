// Addresses as nudger's rules read them, shared by background.js and nudger's tests
// (tests/core/test_addresses.py runs the same table of cases here as in Python and RE2).
// One global only (nudgerAddresses): the background shares its scope with this file.
(() => {
"use strict";

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

// The address in the form nudger's rules are written for: escapes of letters, digits and "-._~"
// read (a site reads /%61lexdoe as /alexdoe), every other character outside ASCII escaped, the
// scheme's own port left out, the scheme and host in lower case. The browsers' own rules see
// such escapes as they are; testing each page that arrives in this form lets the extension
// pause one they could not see. nudger/core/addresses.py:browser_form does the same.
function browserForm(url) {
  const read = url.replace(/%([0-9a-fA-F]{2})/g, (whole, hex) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : whole;
  });
  const portless = read
    .replace(/^(https:\/\/[^/?#]*?):443(?=[/?#]|$)/i, "$1")
    .replace(/^(http:\/\/[^/?#]*?):80(?=[/?#]|$)/i, "$1")
    .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, (origin) => origin.toLowerCase());
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
  // Matched with regard to case, as the browsers' rules do (the regex spells both cases).
  return rules.find((rule) => new RegExp(rule.regex, "u").test(form));
}

globalThis.nudgerAddresses = { browserForm, ruleFor };
})();
