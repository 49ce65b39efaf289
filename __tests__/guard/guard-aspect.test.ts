// The SecurityGuard aspect: synth fails on violations, waivers, unused waivers, prop validation.
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, test } from "vitest";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { evaluateStack, SecurityGuard, SecurityGuardProps, Waiver } from "../../modules/guard/security-guard";
import mskTlsClientBroker from "../../modules/guard/rules/msk-tls-client-broker";
import { bucket, connector, instance, mskCluster, newStack, opensearchDomain } from "./guard-fixtures";

const PLAINTEXT = { encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT", inCluster: false } } };
const MSK2_KAFKA = 'MSK-2 aws_msk_cluster.kafka/resource: encryption_info.encryption_in_transit.client_broker is "PLAINTEXT", must be "TLS"';
const MSK2_OTHER = 'MSK-2 aws_msk_cluster.other/resource: encryption_info.encryption_in_transit.client_broker is "PLAINTEXT", must be "TLS"';
const MSK3_KAFKA = "MSK-3 aws_msk_cluster.kafka/resource: encryption_info.encryption_in_transit.in_cluster is false, must be true";

function guard(stack: TerraformStack, props: SecurityGuardProps = {}): TerraformStack {
  Aspects.of(stack).add(new SecurityGuard(props));
  return stack;
}

/** Runs the aspects (Testing.synth does, without failing on errors) and returns all annotations. */
function annotations(stack: TerraformStack): { path: string; level: "error" | "warn" | "info"; message: string }[] {
  Testing.synth(stack);
  return stack.node.findAll().flatMap((n) =>
    n.node.metadata
      .filter((m) => m.type.startsWith("@cdktf/"))
      .map((m) => ({ path: n.node.path, level: m.type.replace("@cdktf/", "") as "error" | "warn" | "info", message: String(m.data) })),
  );
}

function errors(stack: TerraformStack): string[] {
  return annotations(stack)
    .filter((a) => a.level === "error")
    .map((a) => a.message);
}

/** A stack that satisfies every built-in rule. */
function compliantStack(): TerraformStack {
  const s = newStack();
  mskCluster(s);
  opensearchDomain(s);
  bucket(s);
  connector(s);
  instance(s);
  const vpc = new Vpc(new Construct(s, "network"), "vpc", { cidrBlock: "10.0.0.0/16" });
  new FlowLog(new Construct(s, "network-logs"), "flow", { vpcId: vpc.id, trafficType: "ALL", logDestination: "arn:aws:logs:x" });
  new CloudwatchLogGroup(s, "broker-logs", { name: "/msk/pipeline", retentionInDays: 30 });
  new SecurityGroup(s, "msk-sg", {
    vpcId: vpc.id,
    description: "MSK brokers",
    ingress: [{ description: "IAM auth from connectors", fromPort: 9098, toPort: 9098, protocol: "tcp", securityGroups: ["sg-connect"] }],
  });
  return s;
}

describe("synth", () => {
  test("a compliant stack synthesizes", () => {
    const s = guard(compliantStack());
    expect(() => Testing.fullSynth(s)).not.toThrow();
    expect(annotations(s)).toEqual([]);
  });

  test("a violation fails Testing.fullSynth with the rule, the resource and what is wrong", () => {
    const s = guard(newStack());
    mskCluster(s, { encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } } });
    expect(() => Testing.fullSynth(s)).toThrow(`[test/kafka/resource] ${MSK2_KAFKA}`);
  });

  test("a violation fails app.synth()", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "guard-")) });
    const s = new TerraformStack(app, "dev");
    new AwsProvider(s, "aws", { region: "eu-west-1" });
    mskCluster(s, { encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } } });
    Aspects.of(s).add(new SecurityGuard());
    expect(() => app.synth()).toThrow(MSK2_KAFKA);
  });

  test("cdktf does not run App-level aspects on stacks, so the guard must be added to each stack", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "guard-")) });
    const s = new TerraformStack(app, "dev");
    new AwsProvider(s, "aws", { region: "eu-west-1" });
    mskCluster(s, { encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } } });
    Aspects.of(app).add(new SecurityGuard());
    // invokeAspects starts at the stack with no inherited aspects (cdktf 0.21 synthesizer.js).
    expect(() => app.synth()).not.toThrow();
  });

  test("the error annotation sits on the resource's construct", () => {
    const s = guard(newStack());
    mskCluster(s, PLAINTEXT);
    expect(annotations(s).filter((a) => a.message.startsWith("MSK-2"))).toEqual([
      { path: "test/kafka/resource", level: "error", message: MSK2_KAFKA },
    ]);
  });

  test("plain Testing.synth does not throw (style.md §1.D), so rule packs are tested with fullSynth", () => {
    const s = guard(newStack());
    mskCluster(s, PLAINTEXT);
    expect(() => Testing.synth(s, true)).not.toThrow();
  });

  test("only the rules given are enforced", () => {
    const s = guard(newStack(), { rules: [mskTlsClientBroker] });
    mskCluster(s, { ...PLAINTEXT, loggingInfo: undefined });
    expect(errors(s)).toEqual([MSK2_KAFKA]);
  });

  test("sourceOf appends where the setting comes from", () => {
    const s = guard(newStack(), {
      rules: [mskTlsClientBroker],
      sourceOf: (resource, rule) => (resource === "aws_msk_cluster.kafka/resource" && rule.id === "MSK-2" ? "configs/environments/dev.yaml:14:5" : undefined),
    });
    mskCluster(s, PLAINTEXT);
    mskCluster(s, PLAINTEXT, "other");
    expect(errors(s).sort()).toEqual([`${MSK2_KAFKA} (configs/environments/dev.yaml:14:5)`, MSK2_OTHER]);
  });

  test("minimumLogRetentionDays sets LOG-1's minimum", () => {
    const s = guard(newStack(), { minimumLogRetentionDays: 30 });
    new CloudwatchLogGroup(s, "lg", { name: "/x", retentionInDays: 14 });
    new CloudwatchLogGroup(s, "ok", { name: "/y", retentionInDays: 30 });
    expect(errors(s)).toEqual(["LOG-1 aws_cloudwatch_log_group.lg: retention_in_days is 14, must be at least 30"]);
  });
});

describe("waivers", () => {
  const waiver: Waiver = { rule: "MSK-2", resource: "aws_msk_cluster.kafka/resource", reason: "legacy clients until 2026-12" };

  function twoClusters(props: SecurityGuardProps): TerraformStack {
    const s = guard(newStack(), props);
    mskCluster(s, PLAINTEXT);
    mskCluster(s, PLAINTEXT, "other");
    return s;
  }

  test("silences exactly its rule on exactly its resource", () => {
    const s = twoClusters({ waivers: [waiver] });
    const errs = errors(s).filter((m) => /^MSK-[23] /.test(m));
    expect(errs.sort()).toEqual([MSK2_OTHER, MSK3_KAFKA, MSK3_KAFKA.replace("kafka/", "other/")].sort());
    expect(() => Testing.fullSynth(s)).toThrow(MSK2_OTHER);
    expect(() => Testing.fullSynth(s)).toThrow(MSK3_KAFKA);
  });

  test("a waived violation becomes a warning with the reason and the violation", () => {
    const s = twoClusters({ waivers: [waiver], waiverSource: "configs/environments/dev.yaml" });
    expect(annotations(s).filter((a) => a.level === "warn")).toEqual([
      {
        path: "test/kafka/resource",
        level: "warn",
        message:
          'waived MSK-2 aws_msk_cluster.kafka/resource: legacy clients until 2026-12 (waiver in configs/environments/dev.yaml) [violation: encryption_info.encryption_in_transit.client_broker is "PLAINTEXT", must be "TLS"]',
      },
    ]);
  });

  test("when every violation is waived, synth succeeds", () => {
    const s = guard(newStack(), { waivers: [waiver] });
    mskCluster(s, { encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } } });
    expect(() => Testing.fullSynth(s)).not.toThrow();
  });

  test("evaluateStack marks the waived finding and keeps the others", () => {
    const s = newStack();
    mskCluster(s, PLAINTEXT);
    mskCluster(s, PLAINTEXT, "other");
    const msk2 = evaluateStack(s, { waivers: [waiver] }).filter((f) => f.rule === "MSK-2");
    expect(msk2).toEqual([
      { rule: "MSK-2", resource: "aws_msk_cluster.kafka/resource", status: "non_compliant", message: 'encryption_info.encryption_in_transit.client_broker is "PLAINTEXT", must be "TLS"', waived: true, reason: "legacy clients until 2026-12" },
      { rule: "MSK-2", resource: "aws_msk_cluster.other/resource", status: "non_compliant", message: 'encryption_info.encryption_in_transit.client_broker is "PLAINTEXT", must be "TLS"' },
    ]);
  });

  test("evaluateStack reports compliant findings too", () => {
    const s = newStack();
    mskCluster(s);
    expect(evaluateStack(s, { rules: [mskTlsClientBroker] })).toEqual([
      { rule: "MSK-2", resource: "aws_msk_cluster.kafka/resource", status: "compliant" },
    ]);
  });

  test.each([
    ["the resource complies", () => mskCluster, "aws_msk_cluster.kafka/resource", "the resource complies with MSK-2; remove the waiver"],
    ["no such resource", () => mskCluster, "aws_msk_cluster.kafka-old/resource", "no such resource in the stack"],
    ["the rule does not apply to the type", () => mskCluster, "aws_s3_bucket.artifacts/resource", "rule MSK-2 does not apply to aws_s3_bucket"],
  ])("an unused waiver fails synth: %s", (_name, _build, resource, why) => {
    const s = guard(newStack(), { waivers: [{ rule: "MSK-2", resource, reason: "r" }], waiverSource: "configs/environments/dev.yaml" });
    mskCluster(s);
    bucket(s);
    const msg = `unused waiver MSK-2 ${resource} (waiver in configs/environments/dev.yaml): ${why}`;
    expect(annotations(s).filter((a) => a.message.startsWith("unused"))).toEqual([{ path: "test", level: "error", message: msg }]);
    expect(() => Testing.fullSynth(s)).toThrow(`[test] ${msg}`);
  });

  test("one guard shared by two stacks checks waivers per stack", () => {
    const app = Testing.app();
    const dev = new TerraformStack(app, "dev");
    const prod = new TerraformStack(app, "prod");
    for (const s of [dev, prod]) new AwsProvider(s, "aws", { region: "eu-west-1" });
    mskCluster(dev, { encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } } });
    mskCluster(prod);
    const shared = new SecurityGuard({ waivers: [waiver] });
    for (const s of [dev, prod]) Aspects.of(s).add(shared);
    expect(() => Testing.fullSynth(dev)).not.toThrow();
    expect(() => Testing.fullSynth(prod)).toThrow("unused waiver MSK-2 aws_msk_cluster.kafka/resource: the resource complies with MSK-2; remove the waiver");
  });
});

describe("props validation", () => {
  test.each<[string, SecurityGuardProps, string]>([
    [
      "empty reason",
      { waivers: [{ rule: "MSK-2", resource: "aws_msk_cluster.kafka/resource", reason: "  " }] },
      "waiver 1 (MSK-2 aws_msk_cluster.kafka/resource): reason is empty; say why the violation is accepted",
    ],
    [
      "unknown rule",
      { waivers: [{ rule: "MSK-99", resource: "aws_msk_cluster.kafka/resource", reason: "r" }] },
      'waiver 1 (MSK-99 aws_msk_cluster.kafka/resource): unknown rule "MSK-99"; known rules: MSK-1, MSK-2',
    ],
    [
      "resource without a type",
      { waivers: [{ rule: "MSK-2", resource: "kafka/resource", reason: "r" }] },
      'waiver 1 (MSK-2 kafka/resource): resource must be "<terraform type>.<construct path relative to the stack>", e.g. "aws_msk_cluster.kafka/resource", got "kafka/resource"',
    ],
    [
      "duplicate waiver",
      {
        waivers: [
          { rule: "MSK-2", resource: "aws_msk_cluster.kafka/resource", reason: "r" },
          { rule: "MSK-2", resource: "aws_msk_cluster.kafka/resource", reason: "r2" },
        ],
      },
      "waiver 2 (MSK-2 aws_msk_cluster.kafka/resource): duplicate waiver",
    ],
    ["retention below 1", { minimumLogRetentionDays: 0 }, "minimumLogRetentionDays must be a whole number >= 1, got 0"],
    ["duplicate rule ids", { rules: [mskTlsClientBroker, mskTlsClientBroker] }, "rule id MSK-2 is used twice"],
  ])("%s throws", (_name, props, message) => {
    expect(() => new SecurityGuard(props)).toThrow(message);
  });

  test("all problems are reported at once, naming the waiver file", () => {
    let caught: unknown;
    try {
      new SecurityGuard({
        waiverSource: "configs/environments/dev.yaml",
        waivers: [
          { rule: "NOPE", resource: "aws_msk_cluster.kafka/resource", reason: "r" },
          { rule: "MSK-2", resource: "aws_msk_cluster.kafka/resource", reason: "" },
        ],
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    const lines = (caught as Error).message.split("\n");
    expect(lines[0]).toBe("SecurityGuard: invalid props (waivers from configs/environments/dev.yaml):");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^ {2}- waiver 1 \(NOPE .*unknown rule "NOPE"/);
    expect(lines[2]).toBe("  - waiver 2 (MSK-2 aws_msk_cluster.kafka/resource): reason is empty; say why the violation is accepted");
  });
});
