/**
 * The bootstrap documents main.ts writes under cdktf.out/bootstrap/<env>/, through main.ts as a
 * child process (the integration project). What they contain is checked in-process in
 * index-bootstrap.test.ts.
 */
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parsePlan } from "../../modules/search/bootstrap-plan";
import { runMain, useReferenceConfig } from "../support/project";

const ref = useReferenceConfig();

describe("bootstrap documents written by main.ts", () => {
  function synthDocs(): Record<string, string> {
    const r = runMain(ref.root);
    expect(r.status).toBe(0);
    const dir = path.join(ref.root, "cdktf.out/bootstrap/dev");
    const files = ["plan.json", ...readdirSync(path.join(dir, "indexes")).map((f) => `indexes/${f}`)];
    return Object.fromEntries(files.map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));
  }

  it("are a valid plan for the bootstrap command and identical byte for byte across synths", () => {
    const first = synthDocs();
    const second = synthDocs();
    expect(Object.keys(first).sort()).toEqual(["indexes/clicks.json", "indexes/impressions.json", "plan.json"]);
    expect(second).toEqual(first);
    const plan = parsePlan(JSON.parse(first["plan.json"]), "plan.json");
    expect(plan.sinks[0].secret_id).toBe("ad-tech-dev/msk-connect/ad-tech-sink/opensearch");
    expect(JSON.parse(first["indexes/clicks.json"])).toEqual(plan.indexes.find((i) => i.name === "clicks")!.body);
  });
});
