// ESLint: typescript-eslint's recommended rules, plus the two import rules this project lives by.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const barrel = {
  name: "@cdktf/provider-aws",
  message: "Import the resource by deep path (@cdktf/provider-aws/lib/<resource>): the barrel costs ~6 s and ~600 MB per synth.",
};

const scriptsPattern = { group: ["**/scripts/**", "**/scripts"], message: "modules/ must not import scripts/." };

export default tseslint.config(
  { ignores: ["node_modules/**", "cdktf.out/**", ".gen/**", "coverage/**", "**/*.js", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-restricted-imports": ["error", { paths: [barrel] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests index into synthesized Terraform JSON, which has no static type.
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // modules/ never depends on scripts/ (scripts/ may depend on modules/).
    files: ["modules/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [barrel], patterns: [scriptsPattern] },
      ],
    },
  },
  {
    // Constructs take typed camelCase props; the YAML shape (modules/config/, its zod schemas) is
    // mapped to them by the config layer (modules/config/*-props.ts) and never reaches a construct.
    files: ["modules/{network,kafka,search,connect,storage,processing}/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [barrel],
          patterns: [
            scriptsPattern,
            { group: ["**/config/**", "**/config"], message: "Constructs must not import modules/config/ (YAML types, zod schemas): take camelCase props; shared constants live in modules/validators/." },
          ],
        },
      ],
    },
  },
);
