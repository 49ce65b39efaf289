/**
 * Dashboards saved objects from the environment YAML reach the bootstrap plan as the config layer
 * read them (the export's summary line dropped); without any, the plan is what it was before.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { loadPipelineConfig } from "../../modules/config/load";
import { REPO_ROOT, makeProjectCopy, pipelineStack, removeProjectCopy } from "../support/project";

const EXAMPLE = readFileSync(path.join(REPO_ROOT, "examples/dashboards/ad-tech.ndjson"), "utf8");
const DEV = readFileSync(path.join(REPO_ROOT, "configs/environments/dev.yaml"), "utf8");

function planWith(files: Record<string, string>) {
  const root = makeProjectCopy({ files });
  try {
    return pipelineStack(loadPipelineConfig({ rootDir: root })).indexBootstrap.plan;
  } finally {
    removeProjectCopy(root);
  }
}

describe("Dashboards saved objects in the bootstrap plan", () => {
  it("the example file's objects, in order, without the export's summary line", () => {
    const plan = planWith({
      "configs/dashboards/ad-tech.ndjson": EXAMPLE,
      "configs/environments/dev.yaml": DEV.replace(/\nopensearch:\n/, "\nopensearch:\n  dashboards_saved_objects: [dashboards/ad-tech.ndjson]\n"),
    });
    const [entry] = plan.dashboards_saved_objects ?? [];
    expect(entry?.file).toBe("dashboards/ad-tech.ndjson");
    expect(entry?.objects).toEqual([
      { type: "index-pattern", id: "ad-tech-impressions" },
      { type: "index-pattern", id: "ad-tech-clicks" },
      { type: "visualization", id: "ad-tech-clicks-over-time" },
      { type: "dashboard", id: "ad-tech" },
    ]);
    const lines = entry!.ndjson.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => "exportedCount" in l)).toBe(false);
    expect(lines[3]).toEqual(JSON.parse(EXAMPLE.split("\n")[3]!));
  });

  it("the reference configuration lists none, and its plan has no such field", () => {
    expect(planWith({})).not.toHaveProperty("dashboards_saved_objects");
  });
});
