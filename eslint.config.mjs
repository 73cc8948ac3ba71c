// ESLint config used by `npm run lint` (office-addin-lint picks up ./eslint.config.mjs).
// Microsoft's Office add-in rules (office-addins/*: load/sync before reading proxies, …) as in the
// default office-addin-lint config, with two project decisions:
//  - formatting is not linted (the code base uses its own style: single quotes, wide lines), so
//    prettier/prettier is off;
//  - no-undef is off for TypeScript, which checks undefined names itself (typescript-eslint's advice);
//  - the Office.js proxy rules are off where no Office.js runs (ExcelJS objects in src/node and the
//    CLI look like proxies to them: `cell.value` is a plain property there).
import officeAddins from "eslint-plugin-office-addins";
import tsParser from "@typescript-eslint/parser";

export default [
  ...officeAddins.configs.recommended,
  {
    plugins: { "office-addins": officeAddins },
    languageOptions: { parser: tsParser },
  },
  {
    rules: { "prettier/prettier": "off" },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: { "no-undef": "off" },
  },
  {
    files: ["src/node/**", "src/cli/**", "scripts/**", "test/**"],
    rules: { "office-addins/call-sync-before-read": "off", "office-addins/load-object-before-read": "off" },
  },
];
