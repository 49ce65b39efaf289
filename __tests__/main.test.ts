/** main.ts end to end, as `cdktf synth` runs it. */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { runMain, useReferenceConfig } from "./support/project";

const ref = useReferenceConfig();

describe("main.ts", () => {
  it("synthesizes on a machine without terraform (no binary probe at synth)", () => {
    const nodeDir = path.dirname(process.execPath);
    const r = runMain(ref.root, { PATH: `${nodeDir}:/usr/bin:/bin`.split(":").filter((d) => !existsSync(path.join(d, "terraform"))).join(":") });
    expect(r.stderr).not.toMatch(/terraform version/);
    expect(r.status).toBe(0);
    const tf = JSON.parse(readFileSync(path.join(ref.root, "cdktf.out/stacks/dev/cdk.tf.json"), "utf8"));
    expect(Object.keys(tf.resource.aws_mskconnect_connector)).toHaveLength(2);
    expect(existsSync(path.join(ref.root, "cdktf.out/bootstrap/dev/plan.json"))).toBe(true);
  });

  it("writes one stack per environment file, named after it", () => {
    const r = runMain(ref.root);
    expect(r.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(ref.root, "cdktf.out/manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["dev"]);
  });
});
