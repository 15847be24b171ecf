// The extension's scripts, checked for names that are used but never defined (a function
// renamed in one file and still called by its old name in another fails only at run time, in
// one browser, in one case). Run from the extension's folder with --config (the base path is
// then that folder): tests/browser/test_extension_lint.py.
import globals from "globals";

export default [
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, ...globals.serviceworker, ...globals.webextensions },
    },
    rules: { "no-undef": "error", "no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
];
