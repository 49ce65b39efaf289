/**
 * What the download script is given to build: every manifest entry, or with --used-only the ones
 * a connector or processor file of the project names (what scripts/synth.sh builds).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT, makeProjectCopy, removeProjectCopy } from "../support/project";

const listed = (root: string, args: string[]): string[] => {
  const r = spawnSync(path.join(REPO_ROOT, "node_modules/.bin/tsx"), [path.join(REPO_ROOT, "scripts/plugin-sources.ts"), "list", ...args, path.join(root, "connectors/manifest.yaml")], { encoding: "utf8" });
  expect(r.status).toBe(0);
  return [...new Set(r.stdout.trim().split("\n").map((l) => l.split("\t")[0]))];
};

describe("plugin-sources list", () => {
  it("lists every manifest plugin, or with --used-only those configs/ uses", () => {
    const root = makeProjectCopy();
    try {
      const all = listed(root, []);
      expect(all).toEqual(expect.arrayContaining(["msk-data-generator", "opensearch-sink", "s3-sink"]));
      expect(listed(root, ["--used-only"])).toEqual(["msk-data-generator", "opensearch-sink"]);
    } finally {
      removeProjectCopy(root);
    }
  }, 120_000);
});
