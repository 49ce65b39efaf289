/**
 * kind: opensearch-ingestion in the whole stack (examples/connectors/opensearch-ingestion.yaml with
 * an environment set up for it): the aws_osis_pipeline (counted by to_create_connector, in the
 * connectors group, after the index bootstrap), its body (parsed as YAML: Data Prepper's keys, see
 * modules/search/opensearch-ingestion-pipeline.ts), its role's exact statements and trust, its
 * security group, log group, outputs, the bootstrap plan's iam_sinks and the guard.
 */
import { Testing } from "cdktf";
import { parse } from "yaml";
import { parsePolicyJson } from "../../modules/guard/policy";
import { OpenSearchIngestionPipeline, type OpenSearchIngestionPipelineProps } from "../../modules/search/opensearch-ingestion-pipeline";
import { osisReadyEnvironment } from "../support/osis-environment";
import { example, synthKind, type Resource, type Tf } from "../support/kind-example";

const files = () => ({
  "configs/environments/dev.yaml": osisReadyEnvironment(),
  "configs/connectors/ad-tech-ingest.yaml": example("opensearch-ingestion"),
});

/** The body with each Terraform interpolation replaced by a stand-in value, parsed as YAML. */
function parsedBody(body: string): Record<string, any> {
  return parse(body.replace(/\$\{[^}]*\}/g, (ref) => `REF(${ref.slice(2, -1).replace(/[^A-Za-z0-9_.]/g, "_")})`));
}

describe("the opensearch-ingestion example (impressions and clicks, 1-4 OCUs)", () => {
  const { stack, tf } = synthKind(files());
  const [pipelineId, pipeline] = Object.entries(tf.resource.aws_osis_pipeline)[0]!;
  const body = parsedBody(pipeline.pipeline_configuration_body as string);
  const sub = body["ad-tech-ingest"];
  const roleId = Object.keys(tf.resource.aws_iam_role).find((id) => id.startsWith("connectors_ad-tech-ingest_role"))!;
  const roleRef = `REF(aws_iam_role.${roleId.replace(/[^A-Za-z0-9_.]/g, "_")}.arn)`;

  it("is one aws_osis_pipeline in the connectors group, counted by to_create_connector", () => {
    expect(Object.keys(tf.resource.aws_osis_pipeline)).toEqual([pipelineId]);
    expect(pipelineId.startsWith("connectors_ad-tech-ingest_resource")).toBe(true);
    expect(pipeline.count).toBe("${var.to_create_connector ? 1 : 0}");
    expect(pipeline).toMatchObject({ pipeline_name: "ad-tech-dev-ad-tech-ingest", min_units: 1, max_units: 4, buffer_options: [{ persistent_buffer_enabled: false }] });
    expect(pipeline).not.toHaveProperty("encryption_at_rest_options");
    // No MSK Connect connector, plugin or worker configuration for it.
    expect(Object.values(tf.resource.aws_mskconnect_connector).map((c) => c.name)).not.toContain("ad-tech-dev-ad-tech-ingest");
  });

  it("has a body that parses as YAML: the kafka source with its topics, group and JSON serde, acknowledgments on", () => {
    expect(body.version).toBe("2");
    expect(Object.keys(body)).toEqual(["version", "ad-tech-ingest"]);
    const kafka = sub.source.kafka;
    expect(kafka.acknowledgments).toBe(true);
    expect(kafka.topics).toEqual([
      { name: "impressions", group_id: "ad-tech-ingest", serde_format: "json", auto_offset_reset: "earliest" },
      { name: "clicks", group_id: "ad-tech-ingest", serde_format: "json", auto_offset_reset: "earliest" },
    ]);
    expect(kafka.aws).toEqual({ region: "ap-southeast-2", sts_role_arn: roleRef, msk: { arn: expect.stringMatching(/^REF\(aws_msk_cluster\./) } });
  });

  it("routes each topic to its own index's sink, signed with the role, with the S3 dead-letter prefix", () => {
    expect(sub.route).toEqual([{ "topic-impressions": 'getMetadata("kafka_topic") == "impressions"' }, { "topic-clicks": 'getMetadata("kafka_topic") == "clicks"' }]);
    expect(sub.sink.map((s: any) => [s.opensearch.index, s.opensearch.routes])).toEqual([
      ["impressions", ["topic-impressions"]],
      ["clicks", ["topic-clicks"]],
    ]);
    for (const { opensearch: s } of sub.sink) {
      expect(s.hosts).toEqual([expect.stringMatching(/^https:\/\/REF\(aws_opensearch_domain\.[^)]*\.endpoint\)$/)]);
      expect(s.aws).toEqual({ region: "ap-southeast-2", sts_role_arn: roleRef });
      expect(s.dlq.s3).toEqual({ bucket: expect.stringMatching(/^REF\(aws_s3_bucket\./), key_path_prefix: "dlq/ad-tech-ingest/", region: "ap-southeast-2", sts_role_arn: roleRef });
      expect(JSON.stringify(s)).not.toMatch(/password|username/);
    }
  });

  it("its role is trusted by this account's OpenSearch Ingestion for this pipeline only", () => {
    const role = tf.resource.aws_iam_role[roleId]!;
    expect(role.name).toBe("ad-tech-dev-ad-tech-ingest-osis");
    expect(role).not.toHaveProperty("count");
    expect((parsePolicyJson(role.assume_role_policy) as { Statement: Resource[] }).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "osis-pipelines.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.caller.account_id}" },
          ArnLike: { "aws:SourceArn": "arn:${data.aws_partition.partition.partition}:osis:ap-southeast-2:${data.aws_caller_identity.caller.account_id}:pipeline/ad-tech-dev-ad-tech-ingest" },
        },
      },
    ]);
  });

  it("its role may read exactly its topics and group, write the domain over HTTP and put dead letters under its prefix", () => {
    const policy = Object.entries(tf.resource.aws_iam_role_policy).find(([id]) => id.startsWith("connectors_ad-tech-ingest_policy"))![1];
    const st = (parsePolicyJson(policy.policy) as { Statement: Resource[] }).Statement;
    const cluster = st[0]!.Resource[0] as string;
    expect(cluster).toMatch(/^\$\{aws_msk_cluster\.[^}]*\.arn\}$/);
    const child = (kind: string, leaf: string) => `\${replace(${cluster.slice(2, -1)}, ":cluster/", ":${kind}/")}/${leaf}`;
    const domain = expect.stringMatching(/^\$\{aws_opensearch_domain\.[^}]*\.arn\}$/);
    expect(st).toEqual([
      { Sid: "Cluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [cluster] },
      { Sid: "ClusterBrokers", Effect: "Allow", Action: ["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"], Resource: [cluster] },
      { Sid: "ReadOwnTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource: [child("topic", "impressions"), child("topic", "clicks")] },
      { Sid: "OwnGroup", Effect: "Allow", Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: [child("group", "ad-tech-ingest")] },
      { Sid: "DescribeDomain", Effect: "Allow", Action: ["es:DescribeDomain"], Resource: [domain] },
      { Sid: "WriteDomain", Effect: "Allow", Action: ["es:ESHttp*"], Resource: [domain, expect.stringMatching(/^\$\{aws_opensearch_domain\.[^}]*\.arn\}\/\*$/)] },
      { Sid: "DeadLetterQueue", Effect: "Allow", Action: ["s3:PutObject"], Resource: [expect.stringMatching(/^\$\{aws_s3_bucket\.[^}]*\.arn\}\/dlq\/ad-tech-ingest\/\*$/)] },
    ]);
  });

  it("sits in the private subnets with its own group: no ingress, egress 443 to the domain only; the domain accepts it", () => {
    const vpc = pipeline.vpc_options[0];
    expect(vpc.subnet_ids).toHaveLength(3);
    expect(vpc.subnet_ids.every((s: string) => /aws_subnet\.network_private/.test(s))).toBe(true);
    const [sgId, sg] = Object.entries(tf.resource.aws_security_group).find(([, g]) => g.name === "ad-tech-dev-ad-tech-ingest-osis")!;
    expect(vpc.security_group_ids).toEqual([`\${aws_security_group.${sgId}.id}`]);
    expect(sg).not.toHaveProperty("ingress");
    const own = (r: Resource) => r.security_group_id === `\${aws_security_group.${sgId}.id}`;
    expect(Object.values(tf.resource.aws_vpc_security_group_ingress_rule).filter(own)).toEqual([]);
    const egress = Object.values(tf.resource.aws_vpc_security_group_egress_rule).filter(own);
    expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id])).toEqual([["tcp", 443, 443, expect.stringMatching(/aws_security_group\.search_/)]]);
    const domainIngress = Object.values(tf.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.referenced_security_group_id === `\${aws_security_group.${sgId}.id}`);
    expect(domainIngress.map((r) => [r.from_port, r.description])).toEqual([[443, "OpenSearch HTTPS (443) from ingestion-ad-tech-ingest"]]);
  });

  it("logs to /aws/vendedlogs/OpenSearchIngestion/<pipeline>/ with retention", () => {
    const [lgId, lg] = Object.entries(tf.resource.aws_cloudwatch_log_group).find(([, g]) => String(g.name).startsWith("/aws/vendedlogs/OpenSearchIngestion/"))!;
    expect(lg).toEqual({ name: "/aws/vendedlogs/OpenSearchIngestion/ad-tech-dev-ad-tech-ingest/audit-logs", retention_in_days: 30 });
    expect(pipeline.log_publishing_options).toEqual([{ is_logging_enabled: true, cloudwatch_log_destination: [{ log_group: `\${aws_cloudwatch_log_group.${lgId}.name}` }] }]);
  });

  it("waits for the index bootstrap, its topics and the cluster policy", () => {
    const deps = pipeline.depends_on as string[];
    expect(deps.some((d) => d.startsWith("terraform_data.index-bootstrap_run"))).toBe(true);
    expect(deps.some((d) => d.startsWith("aws_msk_cluster_policy."))).toBe(true);
    expect(deps.filter((d) => d.startsWith("aws_msk_topic.")).length).toBe(2);
    expect(deps.some((d) => d.startsWith("aws_iam_role_policy.connectors_ad-tech-ingest_policy"))).toBe(true);
    // The MSK Connect source runs first (the sinks' first run finds data).
    expect(deps.some((d) => d.startsWith("aws_mskconnect_connector.connectors_ad-tech-source"))).toBe(true);
  });

  it("outputs its ARN like a connector's, and its role's ARN for the bootstrap", () => {
    const out = (JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: string }> }).output;
    expect(out.connector_arn_ad_tech_ingest!.value).toBe(`\${one(aws_osis_pipeline.${pipelineId}[*].pipeline_arn)}`);
    expect(out.ingestion_role_arn_ad_tech_ingest!.value).toBe(`\${aws_iam_role.${roleId}.arn}`);
  });

  it("puts an iam_sinks entry in the bootstrap plan (its role, its indexes; no user, no secret) and the role ARN on the runner's command", () => {
    expect(stack.indexBootstrap.plan.iam_sinks).toEqual([
      { connector: "ad-tech-ingest", role: "ad-tech-dev-ad-tech-ingest-ingestion", role_arn_output: "ingestion_role_arn_ad_tech_ingest", index_patterns: ["clicks", "impressions"] },
    ]);
    expect(stack.indexBootstrap.plan.sinks.map((s) => s.connector)).toEqual(["ad-tech-sink"]);
    const runner = Object.values((tf.resource as Record<string, Record<string, Resource>>).terraform_data).find((r) => r.provisioner)!;
    expect(runner.provisioner[0]["local-exec"].command).toContain(
      " --iam-role 'ad-tech-ingest=arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.caller.account_id}:role/ad-tech-dev-ad-tech-ingest-osis'",
    );
  });

  it("passes the security guard", () => {
    expect(stack.securityReport().errors).toEqual([]);
  });
});

describe("opensearch-ingestion options: a named dead-letter bucket, a KMS key, persistent buffer, the default group", () => {
  const yaml = [
    "name: ingest-two",
    "kind: opensearch-ingestion",
    "topics: [clicks]",
    "ingestion:",
    "  min_units: 2",
    "  max_units: 2",
    "  persistent_buffer: true",
    "  kms_key_arn: arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "  dead_letter_queue: { bucket: my-dead-letters }",
    "",
  ].join("\n");
  const { stack, tf } = synthKind({ "configs/environments/dev.yaml": osisReadyEnvironment(), "configs/connectors/ingest-two.yaml": yaml });
  const pipeline = Object.values(tf.resource.aws_osis_pipeline)[0]!;
  const sub = parsedBody(pipeline.pipeline_configuration_body as string)["ingest-two"];

  it("renders them", () => {
    expect(pipeline).toMatchObject({
      min_units: 2,
      max_units: 2,
      buffer_options: [{ persistent_buffer_enabled: true }],
      encryption_at_rest_options: [{ kms_key_arn: "arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
    });
    expect(sub.source.kafka.topics[0].group_id).toBe("osis-ingest-two");
    expect(sub.sink[0].opensearch.dlq.s3).toMatchObject({ bucket: "my-dead-letters", key_path_prefix: "dlq/ingest-two/" });
    const policy = Object.entries(tf.resource.aws_iam_role_policy).find(([id]) => id.startsWith("connectors_ingest-two_policy"))![1];
    const dlq = (parsePolicyJson(policy.policy) as { Statement: Resource[] }).Statement.find((s) => s.Sid === "DeadLetterQueue");
    expect(dlq!.Resource).toEqual(["arn:${data.aws_partition.partition.partition}:s3:::my-dead-letters/dlq/ingest-two/*"]);
    expect(stack.securityReport().errors).toEqual([]);
  });
});

describe("OpenSearchIngestionPipeline validation", () => {
  const base: OpenSearchIngestionPipelineProps = {
    namePrefix: "p",
    name: "ingest",
    topics: [{ topic: "a", index: "a" }],
    consumerGroup: "g",
    clusterArn: "arn:aws:kafka:us-east-1:111122223333:cluster/c/0000",
    domain: { arn: "arn:aws:es:us-east-1:111122223333:domain/d", endpoint: "vpc-d.us-east-1.es.amazonaws.com" },
    deadLetterQueue: { bucketName: "b", bucketArn: "arn:aws:s3:::b", prefix: "dlq/ingest/" },
    subnetIds: ["subnet-1"],
    securityGroupId: "sg-0123456789abcdef0",
    create: true,
    accountId: "111122223333",
    partition: "aws",
    region: "us-east-1",
  };
  const make = (over: Partial<OpenSearchIngestionPipelineProps>) => () => Testing.synthScope((s) => new OpenSearchIngestionPipeline(s, "p", { ...base, ...over }));

  it.each([
    [{ topics: [] }, "OpenSearchIngestionPipeline ingest: topics must name 1 to 4 topics, got 0"],
    [{ topics: ["a", "b", "c", "d", "e"].map((t) => ({ topic: t, index: t })) }, "OpenSearchIngestionPipeline ingest: topics must name 1 to 4 topics, got 5"],
    [{ topics: [{ topic: "a", index: "a" }, { topic: "a", index: "b" }] }, "OpenSearchIngestionPipeline ingest: topic a is listed twice"],
    [{ minUnits: 3, maxUnits: 2 }, "OpenSearchIngestionPipeline ingest: minUnits (3) must not exceed maxUnits (2)"],
    [{ maxUnits: 97 }, "OpenSearchIngestionPipeline ingest: maxUnits must be an integer from 1 to 96, got 97"],
    [{ namePrefix: "a-very-long-name-prefix", name: "ingestion" }, 'OpenSearchIngestionPipeline ingestion: pipeline name "a-very-long-name-prefix-ingestion" must be 3-28 lowercase letters, digits and \'-\', starting with a letter (33 characters)'],
    [{ logRetentionDays: 2 }, "OpenSearchIngestionPipeline ingest: log retention must be one of"],
    [{ deadLetterQueue: { ...base.deadLetterQueue, prefix: "dlq" } }, "OpenSearchIngestionPipeline ingest: deadLetterQueue.prefix must be a key prefix ending in '/', got \"dlq\""],
  ])("refuses %j", (over, message) => {
    expect(make(over as Partial<OpenSearchIngestionPipelineProps>)).toThrow(message);
  });

  it("builds with the defaults: 1-2 OCUs, earliest, no persistent buffer", () => {
    const tf = JSON.parse(make({})()) as Tf;
    const p = Object.values(tf.resource.aws_osis_pipeline)[0]!;
    expect(p).toMatchObject({ min_units: 1, max_units: 2, buffer_options: [{ persistent_buffer_enabled: false }], count: "${true ? 1 : 0}" });
  });
});
