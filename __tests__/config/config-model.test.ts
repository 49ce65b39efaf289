import { loadPipelineConfig } from "../../modules/config/load";
import { ConfigError } from "../../modules/config/issues";
import { isValidDateFormat } from "../../modules/config/schema";
import { planSubnets } from "../../modules/validators/cidr";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { makeProjectCopy, removeProjectCopy, useReferenceConfig } from "../support/project";

describe("reference configuration", () => {
  const ref = useReferenceConfig();

  it("has one environment, dev, in ap-southeast-2 with prefix ad-tech-dev", () => {
    expect(ref.config.environments.map((e) => e.name)).toEqual(["dev"]);
    expect(ref.config.environments[0].spec.region).toBe("ap-southeast-2");
    expect(ref.config.environments[0].spec.name_prefix).toBe("ad-tech-dev");
  });

  it("applies defaults the file leaves out", () => {
    const env = ref.config.environments[0].spec;
    expect(env.backend).toBeUndefined();
    expect(env.vpn.allowed_cidrs).toBeUndefined();
    expect(env.kafka.server_properties.extra).toEqual({});
    expect(env.security.waivers).toEqual([]);
  });

  it("keeps secure defaults: no anonymous OpenSearch, no open VPN ingress, 30-day logs", () => {
    const env = ref.config.environments[0].spec;
    expect(env.opensearch.anonymous_access).toBe(false);
    expect(env.vpn.allow_open_ingress).toBe(false);
    expect(env.kafka.log_retention_days).toBe(30);
    expect(env.connect.log_retention_days).toBe(30);
  });

  it("has the topics impressions and clicks with created_at as a yyyy-MM-dd HH:mm:ss date", () => {
    expect(ref.config.topics.map((t) => t.name)).toEqual(["clicks", "impressions"]);
    for (const t of ref.config.topics) {
      expect(t.spec.index.name).toBe(t.name);
      expect(t.spec.index.mappings.created_at).toEqual({ type: "date", format: "yyyy-MM-dd HH:mm:ss" });
    }
    const impressions = ref.config.topics.find((t) => t.name === "impressions")!.spec;
    expect(Object.keys(impressions.index.mappings).sort()).toEqual(
      ["bid_id", "campaign_id", "country_code", "created_at", "creative_details"],
    );
    expect(impressions.index.mappings.country_code.type).toBe("keyword");
  });

  it("makes clicks.correlation_id sometimes match impressions.value.bid_id, otherwise NA", () => {
    const clicks = ref.config.topics.find((t) => t.name === "clicks")!.spec;
    expect(clicks.generator?.fields.correlation_id).toEqual({
      sometimes: { matching: "impressions.value.bid_id", with: "NA" },
    });
  });

  it("has the datagen source (throttle 500 ms, 2 tasks) and the OpenSearch sink", () => {
    const byName = Object.fromEntries(ref.config.connectors.map((c) => [c.name, c.spec]));
    const source = byName["ad-tech-source"];
    const sink = byName["ad-tech-sink"];
    expect(source.kind).toBe("msk-datagen");
    if (source.kind !== "msk-datagen") throw new Error("unreachable");
    expect(source.tasks_max).toBe(2);
    expect(source.datagen.throttle_ms).toBe(500);
    expect(sink.kind).toBe("opensearch-sink");
    if (sink.kind !== "opensearch-sink") throw new Error("unreachable");
    expect(sink.opensearch.key_ignore).toBe(true);
    expect(sink.opensearch.schema_ignore).toBe(true);
    expect(sink.errors.dead_letter_queue?.topic).toBe("ad-tech-dl");
    expect(sink.transforms.map((t) => t.name)).toEqual(["insertTS", "formatTS"]);
    expect(sink.transforms[1].config.format).toBe("yyyy-MM-dd HH:mm:ss");
  });

  it("resolves the plugins the connectors use, with the artifact's pinned and verified sha256", () => {
    expect(ref.config.plugins.map((p) => p.name)).toEqual(["msk-data-generator", "opensearch-sink"]);
    expect(ref.config.plugins[0].artifact.sha256).toBe(createHash("sha256").update("stand-in artifact of msk-data-generator\n").digest("hex"));
    expect(ref.config.plugins[0].artifact.present).toBe(true);
    expect(ref.config.plugins[1].spec.java_version).toBe(11);
  });

  it("is deeply frozen", () => {
    expect(Object.isFrozen(ref.config.environments[0].spec.kafka)).toBe(true);
    expect(Object.isFrozen(ref.config.topics[0].spec.index.mappings)).toBe(true);
  });

  it("gives the origin of a value as file:line:col", () => {
    expect(ref.config.environments[0].origin.at(["kafka", "broker_count"])).toMatch(/configs\/environments\/dev\.yaml:\d+:\d+$/);
  });
});

describe("loader behaviour", () => {
  it("turns a missing artifact into a warning only when allowed", () => {
    const root = makeProjectCopy({ artifacts: false });
    try {
      expect(() => loadPipelineConfig({ rootDir: root })).toThrow(ConfigError);
      const config = loadPipelineConfig({ rootDir: root, allowMissingArtifacts: true });
      // One warning for all missing plugins.
      expect(config.warnings).toEqual([
        "plugins msk-data-generator, opensearch-sink not downloaded: synthesized for review only; deploying needs them " +
          "(run `bash scripts/download-connectors.sh` where the release hosts are reachable)",
      ]);
      expect(config.plugins[0].artifact).toMatchObject({ present: false, sha256: undefined });
    } finally {
      removeProjectCopy(root);
    }
  });

  it("does not ask for an artifact of a plugin no connector uses", () => {
    const root = makeProjectCopy({ artifacts: false });
    try {
      rmSync(`${root}/configs/connectors/ad-tech-sink.yaml`);
      rmSync(`${root}/configs/connectors/ad-tech-source.yaml`);
      const config = loadPipelineConfig({ rootDir: root });
      expect(config.plugins).toEqual([]);
    } finally {
      removeProjectCopy(root);
    }
  });

  it("gives the same config whatever order the files are read in (sorted by name)", () => {
    const root = makeProjectCopy({ files: { "configs/topics/aaa.yaml": "name: zzz\nindex:\n  name: zzz\n  mappings:\n    a: { type: keyword }\n" } });
    try {
      const config = loadPipelineConfig({ rootDir: root });
      expect(config.topics.map((t) => t.name)).toEqual(["clicks", "impressions", "zzz"]);
    } finally {
      removeProjectCopy(root);
    }
  });
});

describe("date formats", () => {
  it.each(["yyyy-MM-dd HH:mm:ss", "strict_date_optional_time||epoch_millis", "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "epoch_second"])(
    "accepts %s",
    (f) => expect(isValidDateFormat(f)).toBe(true),
  );
  it.each(["yyyy-MM-ddTHH:mm:ss", "", "epoch_millis||", "yyyy-MM-dd'T", "bogus_format"])("rejects %j", (f) =>
    expect(isValidDateFormat(f)).toBe(false),
  );
});

describe("subnet planning", () => {
  it("splits a /16 over 3 AZs into /19 public then private blocks", () => {
    expect(planSubnets("10.0.0.0/16", 3)).toEqual({
      publicCidrs: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
      privateCidrs: ["10.0.96.0/19", "10.0.128.0/19", "10.0.160.0/19"],
    });
  });
  it("carves the same slots for 2 AZs: the first two AZs' subnets do not move", () => {
    expect(planSubnets("10.0.0.0/16", 2)).toEqual({
      publicCidrs: ["10.0.0.0/19", "10.0.32.0/19"],
      privateCidrs: ["10.0.96.0/19", "10.0.128.0/19"],
    });
  });
  it("refuses a CIDR too small for the slots, whatever the AZ count", () => {
    expect(() => planSubnets("10.0.0.0/26", 2)).toThrow(
      "10.0.0.0/26 is too small: subnets are carved for 3 AZs (6 subnets), each would be /29, AWS needs /28 or larger; use a VPC CIDR of /25 or larger",
    );
    expect(planSubnets("10.0.0.0/25", 2).privateCidrs).toEqual(["10.0.0.48/28", "10.0.0.64/28"]);
  });
  it("refuses more AZs than slots", () => {
    expect(() => planSubnets("10.0.0.0/16", 4)).toThrow("4 AZs do not fit in 3 subnet slots per tier");
  });
});
