import { Rule } from "./rule";
import { ALL_RULES } from "./rules";

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The Markdown table of RULES.md (a test checks the file contains exactly this). */
export function rulesTable(rules: readonly Rule[] = ALL_RULES): string {
  const lines = [
    "| id | resource types | checks | why | checkov | trivy |",
    "|---|---|---|---|---|---|",
    ...rules.map(
      (r) =>
        `| ${r.id} | ${r.resourceTypes.map((t) => `\`${t}\``).join(", ")} | ${cell(r.title)} | ${cell(r.why)} | ${
          r.checkov?.join(", ") || "—"
        } | ${r.trivy?.join(", ") || "—"} |`,
    ),
  ];
  return lines.join("\n");
}
