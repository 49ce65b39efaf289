/**
 * A topic warning through main.ts as a child process (the integration project): printed on
 * stderr with its file:line:col, and synth still succeeds. The warnings themselves are checked
 * in-process in pipeline-topics.test.ts.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, makeProjectCopy, removeProjectCopy, runMain } from "../support/project";

it("main.ts prints a topic warning and still synthesizes", () => {
  const sink = readFileSync(path.join(REPO_ROOT, "configs/connectors/ad-tech-sink.yaml"), "utf8").replace("tasks_max: 2", "tasks_max: 6");
  const root = makeProjectCopy({ files: { "configs/connectors/ad-tech-sink.yaml": sink } });
  try {
    const result = runMain(root);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("warning: configs/connectors/ad-tech-sink.yaml:10:12  tasks_max: 6 tasks, but its topics (impressions, clicks) have 4 partitions");
  } finally {
    removeProjectCopy(root);
  }
});
