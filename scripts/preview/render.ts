/** Text rendering of a StackDiff: grouped by component, one summary line at the end. */
import { COMPONENTS, formatPath, type ResourceRef, type StackDiff } from "./diff";
import { clusterAlerts } from "./cluster";
import { topicAlerts } from "./topics";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Labels of what Terraform will likely destroy and re-create. */
export function replacements(diff: StackDiff): string[] {
  return [...diff.changed.filter((c) => c.replace).map((c) => c.label), ...diff.renamed.map((r) => `${r.from.label} (renamed to ${r.to.label})`)];
}

/** Labels of in-place changes with a known pitfall. */
export function cautions(diff: StackDiff): string[] {
  return diff.changed.filter((c) => !c.replace && c.attributes.some((a) => a.caution)).map((c) => c.label);
}

/** `+3 ~2 -0 (1 replacement: connector ad-tech-sink)` */
export function summaryLine(diff: StackDiff): string {
  const counts = `+${diff.added.length} ~${diff.changed.length} -${diff.removed.length}`;
  const notes: string[] = [];
  const r = replacements(diff);
  const c = cautions(diff);
  const k = clusterAlerts(diff);
  const t = topicAlerts(diff);
  if (k.length > 0) notes.push(`${plural(k.length, "cluster alert")}: ${k.map((a) => a.label).join(", ")}`);
  if (t.length > 0) notes.push(`${plural(t.length, "topic alert")}: ${[...new Set(t.map((a) => a.label))].join(", ")}`);
  if (r.length > 0) notes.push(`${plural(r.length, "replacement")}: ${r.join(", ")}`);
  if (c.length > 0) notes.push(`${plural(c.length, "caution")}: ${c.join(", ")}`);
  if (notes.length === 0 && counts === "+0 ~0 -0") notes.push("no changes");
  return notes.length > 0 ? `${counts} (${notes.join("; ")})` : counts;
}

export interface RenderOptions {
  readonly env: string;
  /** What the current configs are compared with, e.g. `git revision HEAD~1`. */
  readonly baseline: string;
}

export function renderPreview(diff: StackDiff, options: RenderOptions): string {
  const lines: string[] = [`Preview of stack "${options.env}": current configs compared with ${options.baseline}`];
  const alerts = [...clusterAlerts(diff), ...topicAlerts(diff)];
  if (alerts.length > 0) lines.push("", ...alerts.map((a) => `!! ${a.message}`));
  const renamedTo = new Map(diff.renamed.map((r) => [r.to.address, r.from]));
  const head = (marker: string, r: ResourceRef, note = "") => `  ${marker} ${r.label}  (${r.type})${note}`;
  for (const component of COMPONENTS) {
    const section: string[] = [];
    for (const r of diff.removed.filter((x) => x.component === component.id)) section.push(head("-", r));
    for (const r of diff.added.filter((x) => x.component === component.id)) {
      const from = renamedTo.get(r.address);
      section.push(head("+", r, from ? `  replaces ${from.label} (logical id changed)` : ""));
    }
    for (const c of diff.changed.filter((x) => x.component === component.id)) {
      section.push(head(c.replace ? "-/+" : "~", c, c.replace ? "  REPLACE" : ""));
      for (const a of c.attributes) {
        const value = `${a.before ?? "(none)"} → ${a.after ?? "(none)"}`;
        const note = a.forcesReplacement ? "  # forces replacement" : a.caution ? `  # caution: ${a.caution}` : "";
        section.push(`      ${formatPath(a.path)}: ${value}${note}`);
      }
    }
    if (section.length > 0) lines.push("", component.title, ...section);
  }
  lines.push("", summaryLine(diff));
  return `${lines.join("\n")}\n`;
}
