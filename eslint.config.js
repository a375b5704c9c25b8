// ESLint (flat config) for the widget's browser modules, their tests and the build script:
// `npm run lint`, run by `make check` with --max-warnings 0.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", ".venv/", "reader_ext/widget/static/dist/", "test-artifacts/"] },
  js.configs.recommended,
  {
    files: ["reader_ext/widget/static/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["tests/js/**/*.js", "scripts/**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
  {
    rules: {
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-shadow": "error",
      "no-param-reassign": ["error", { props: false }],
      "no-implicit-coercion": ["error", { allow: ["!!"] }],
      "no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
      "no-restricted-syntax": [
        "error",
        {
          // HTML from Python is assigned with innerHTML (it is sanitised there); nothing builds
          // HTML from strings here.
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: "Insert text or elements; HTML comes only from Python's sanitiser.",
        },
      ],
    },
  },
];
