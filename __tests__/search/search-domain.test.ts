import { describe, expect, it, test } from "vitest";
import { TerraformOutput, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SearchDomain, type SearchDomainProps } from "../../modules/search/search-domain";

const VPN_SG = "sg-0123456789abcdef0";
const CONNECTORS_SG = "sg-0fedcba9876543210";
const BASE: SearchDomainProps = {
  namePrefix: "ad-tech-dev",
  vpcId: "vpc-123",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  clientSecurityGroups: { connectors: CONNECTORS_SG, vpn: VPN_SG },
};

function synth(props: Partial<SearchDomainProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
  const s = new SearchDomain(stack, "search", { ...BASE, ...props });
  const tf = JSON.parse(Testing.synth(stack, true));
  const r = tf.resource;
  const id = (c: Parameters<typeof stack.getLogicalId>[0]) => stack.getLogicalId(c);
  return {
    tf,
    r,
    s,
    stack,
    domain: r.aws_opensearch_domain[id(s.domain)],
    accessPolicy: JSON.parse(r.aws_opensearch_domain_policy[id(s.domainPolicy)].access_policies),
    logPolicy: JSON.parse(r.aws_cloudwatch_log_resource_policy[id(s.logResourcePolicy)].policy_document),
    sg: r.aws_security_group[id(s.securityGroup)],
    sgRef: `\${aws_security_group.${id(s.securityGroup)}.id}`,
    logGroupRef: (type: keyof typeof s.logGroups) => `\${aws_cloudwatch_log_group.${id(s.logGroups[type]!)}.arn}`,
    ingress: (key: string) => r.aws_vpc_security_group_ingress_rule[id(s.ingressRules[key])],
  };
}

describe("SearchDomain: domain", () => {
  it("names the domain <prefix>-search", () => {
    expect(synth().domain.domain_name).toBe("ad-tech-dev-search");
  });

  it("runs OpenSearch_2.19 by default", () => {
    expect(synth().domain.engine_version).toBe("OpenSearch_2.19");
  });

  it("uses the first zoneCount private subnets and its own security group", () => {
    const { domain, sgRef } = synth({ zoneCount: 2 });
    expect(domain.vpc_options).toEqual({ subnet_ids: ["subnet-a", "subnet-b"], security_group_ids: [sgRef] });
  });

  it("turns zone awareness on over zoneCount AZs", () => {
    const { cluster_config } = synth({ zoneCount: 3, instanceCount: 3 }).domain;
    expect(cluster_config.zone_awareness_enabled).toBe(true);
    expect(cluster_config.zone_awareness_config).toEqual({ availability_zone_count: 3 });
  });

  it("turns zone awareness off for one zone", () => {
    const { cluster_config } = synth({ zoneCount: 1, instanceCount: 1 }).domain;
    expect(cluster_config.zone_awareness_enabled).toBe(false);
    expect(cluster_config).not.toHaveProperty("zone_awareness_config");
  });

  it("sets instance type and count", () => {
    const { cluster_config } = synth({ instanceType: "r6g.large.search", instanceCount: 4 }).domain;
    expect(cluster_config).toMatchObject({ instance_type: "r6g.large.search", instance_count: 4 });
  });

  it("has no dedicated masters by default", () => {
    const { cluster_config } = synth().domain;
    expect(cluster_config.dedicated_master_enabled).toBe(false);
    expect(cluster_config).not.toHaveProperty("dedicated_master_type");
  });

  it("adds three dedicated masters of the given type", () => {
    const { cluster_config } = synth({ dedicatedMasterType: "m6g.large.search" }).domain;
    expect(cluster_config).toMatchObject({
      dedicated_master_enabled: true,
      dedicated_master_type: "m6g.large.search",
      dedicated_master_count: 3,
    });
  });

  it("uses gp3 EBS of the given size", () => {
    expect(synth({ ebsVolumeGb: 50 }).domain.ebs_options).toEqual({ ebs_enabled: true, volume_type: "gp3", volume_size: 50 });
  });

  it("encrypts at rest", () => {
    expect(synth().domain.encrypt_at_rest).toEqual({ enabled: true });
  });

  it("encrypts node-to-node traffic", () => {
    expect(synth().domain.node_to_node_encryption).toEqual({ enabled: true });
  });

  it("enforces HTTPS with TLS 1.2+ and forward secrecy", () => {
    expect(synth().domain.domain_endpoint_options).toEqual({
      enforce_https: true,
      tls_security_policy: "Policy-Min-TLS-1-2-PFS-2023-10",
    });
  });
});

describe("SearchDomain: fine-grained access control", () => {
  it("is enabled", () => {
    expect(synth().domain.advanced_security_options.enabled).toBe(true);
  });

  it("denies anonymous access by default", () => {
    expect(synth().domain.advanced_security_options.anonymous_auth_enabled).toBe(false);
  });

  it("allows anonymous access only when asked", () => {
    expect(synth({ anonymousAccess: true }).domain.advanced_security_options.anonymous_auth_enabled).toBe(true);
  });

  it("turns the internal user database on, so basic-auth sinks and Dashboards users can sign in", () => {
    expect(synth().domain.advanced_security_options.internal_user_database_enabled).toBe(true);
  });

  it("has an internal master user named from the prefix, and no IAM master ARN", () => {
    const { domain, tf } = synth();
    const master = domain.advanced_security_options.master_user_options;
    expect(master.master_user_name).toBe("ad-tech-dev-master");
    expect(master).not.toHaveProperty("master_user_arn");
    expect(tf.data?.aws_iam_session_context).toBeUndefined();
  });

  it("takes the master password from the secret's first version, which comes from a generated password", () => {
    const { domain, tf, r, s, stack } = synth();
    const version = r.aws_secretsmanager_secret_version[stack.getLogicalId(s.masterInitialVersion)];
    const versionRef = `aws_secretsmanager_secret_version.${stack.getLogicalId(s.masterInitialVersion)}`;
    expect(domain.advanced_security_options.master_user_options.master_user_password).toBe(
      `\${jsondecode(${versionRef}.secret_string).password}`,
    );
    const [pwName] = Object.keys(tf.data.aws_secretsmanager_random_password);
    const pw = tf.data.aws_secretsmanager_random_password[pwName];
    expect(pw.password_length).toBe(32);
    expect(pw.require_each_included_type).toBe(true);
    expect(version.secret_string).toBe(
      `\${jsonencode({"username" = "ad-tech-dev-master", "password" = data.aws_secretsmanager_random_password.${pwName}.random_password})}`,
    );
    expect(version.secret_id).toBe(`\${aws_secretsmanager_secret.${stack.getLogicalId(s.masterSecret)}.id}`);
  });

  it("labels the initial version TERRAFORM_INITIAL and never updates it after the bootstrap rotated the master", () => {
    const { r, s, stack } = synth();
    const version = r.aws_secretsmanager_secret_version[stack.getLogicalId(s.masterInitialVersion)];
    expect(version.version_stages).toEqual(["AWSCURRENT", "TERRAFORM_INITIAL"]);
    expect(version.lifecycle.ignore_changes).toEqual(["secret_string", "version_stages"]);
  });

  it("does not ignore changes on the domain's security options (re-send and repair, not ignore_changes)", () => {
    expect(synth().domain.lifecycle).toBeUndefined();
  });

  it("names the master secret from the prefix, with a recovery window", () => {
    const { r, s, stack } = synth({ secretRecoveryWindowDays: 14 });
    const secret = r.aws_secretsmanager_secret[stack.getLogicalId(s.masterSecret)];
    expect(secret.name).toBe("ad-tech-dev/opensearch/master");
    expect(secret.recovery_window_in_days).toBe(14);
  });

  it("creates an empty secret per Dashboards user (no version: the bootstrap writes it)", () => {
    const { r, s, stack } = synth({ dashboardsUsers: ["bob", "alice"] });
    expect(Object.keys(s.dashboardsUserSecrets)).toEqual(["alice", "bob"]);
    expect(r.aws_secretsmanager_secret[stack.getLogicalId(s.dashboardsUserSecrets.alice!)].name).toBe("ad-tech-dev/opensearch/dashboards/alice");
    expect(Object.keys(r.aws_secretsmanager_secret_version)).toHaveLength(1); // only the master's
  });
});

describe("SearchDomain: access policy", () => {
  it("allows only es:ESHttp* on the domain's paths", () => {
    const { accessPolicy, stack, s } = synth();
    expect(accessPolicy.Statement).toEqual([
      {
        Sid: "HttpDataPlaneThroughFgac",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "es:ESHttp*",
        Resource: `\${aws_opensearch_domain.${stack.getLogicalId(s.domain)}.arn}/*`,
      },
    ]);
  });

  it("never allows es:* nor *", () => {
    const actions = synth().accessPolicy.Statement.flatMap((st: any) => [st.Action].flat());
    expect(actions).not.toContain("es:*");
    expect(actions).not.toContain("*");
  });

  it("limits every statement to the domain's own paths", () => {
    for (const st of synth().accessPolicy.Statement) expect(st.Resource).toMatch(/\.arn\}\/\*$/);
  });
});

describe("SearchDomain: logs", () => {
  it("publishes index slow, search slow and application logs", () => {
    const { domain, logGroupRef } = synth({ auditLogs: false });
    expect(domain.log_publishing_options).toEqual([
      { log_type: "INDEX_SLOW_LOGS", cloudwatch_log_group_arn: logGroupRef("INDEX_SLOW_LOGS"), enabled: true },
      { log_type: "SEARCH_SLOW_LOGS", cloudwatch_log_group_arn: logGroupRef("SEARCH_SLOW_LOGS"), enabled: true },
      { log_type: "ES_APPLICATION_LOGS", cloudwatch_log_group_arn: logGroupRef("ES_APPLICATION_LOGS"), enabled: true },
    ]);
  });

  it("publishes audit logs by default, to their own log group with retention", () => {
    const { domain, logGroupRef, r, s, stack } = synth({ logRetentionDays: 90 });
    expect(domain.log_publishing_options).toContainEqual({
      log_type: "AUDIT_LOGS",
      cloudwatch_log_group_arn: logGroupRef("AUDIT_LOGS"),
      enabled: true,
    });
    const group = r.aws_cloudwatch_log_group[stack.getLogicalId(s.logGroups.AUDIT_LOGS!)];
    expect(group).toEqual({ name: "/aws/opensearch/domains/ad-tech-dev-search/audit", retention_in_days: 90 });
  });

  it("publishes no audit logs when turned off", () => {
    const { domain, s } = synth({ auditLogs: false });
    expect(s.logGroups.AUDIT_LOGS).toBeUndefined();
    expect(domain.log_publishing_options.map((o: { log_type: string }) => o.log_type)).not.toContain("AUDIT_LOGS");
  });

  test.each([30, 90, 365])("keeps every log group at least the configured %i days", (days) => {
    const groups = Object.values(synth({ logRetentionDays: days, auditLogs: true }).r.aws_cloudwatch_log_group) as any[];
    expect(groups).toHaveLength(4);
    for (const g of groups) expect(g.retention_in_days).toBeGreaterThanOrEqual(days);
  });

  it("has one log resource policy for es.amazonaws.com on exactly its log groups", () => {
    const { logPolicy, logGroupRef } = synth({ auditLogs: true });
    expect(logPolicy.Statement).toHaveLength(1);
    const [st] = logPolicy.Statement;
    expect(st.Principal).toEqual({ Service: "es.amazonaws.com" });
    expect(st.Action).toEqual(["logs:PutLogEvents", "logs:CreateLogStream"]);
    expect(st.Resource).toEqual(
      (["INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS", "AUDIT_LOGS"] as const).map((t) => `${logGroupRef(t)}:*`),
    );
  });

  it("scopes the log resource policy to this account and domain", () => {
    const [st] = synth().logPolicy.Statement;
    expect(st.Condition.StringEquals["aws:SourceAccount"]).toMatch(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/);
    expect(st.Condition.ArnLike["aws:SourceArn"]).toMatch(/^arn:\$\{data\.aws_partition\..+\}:es:\$\{data\.aws_region\..+\.region\}:\$\{.+\}:domain\/ad-tech-dev-search$/);
  });

  it("creates the domain after the log resource policy", () => {
    const { domain, stack, s } = synth();
    expect(domain.depends_on).toEqual([`aws_cloudwatch_log_resource_policy.${stack.getLogicalId(s.logResourcePolicy)}`]);
  });
});

describe("SearchDomain: security group", () => {
  it.each([
    ["connectors", CONNECTORS_SG],
    ["vpn", VPN_SG],
  ])("admits %s on 443 only, with a description", (key, sg) => {
    const { ingress, sgRef } = synth();
    expect(ingress(key)).toMatchObject({
      security_group_id: sgRef,
      referenced_security_group_id: sg,
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      description: `OpenSearch HTTPS (443) from ${key}`,
    });
  });

  it("admits nothing from 0.0.0.0/0", () => {
    const { r, sg } = synth();
    for (const rule of Object.values(r.aws_vpc_security_group_ingress_rule) as any[]) expect(rule).not.toHaveProperty("cidr_ipv4");
    expect(sg).not.toHaveProperty("ingress");
  });

  it("has no egress rule", () => {
    const { r, sg } = synth();
    expect(r.aws_vpc_security_group_egress_rule).toBeUndefined();
    expect(sg).not.toHaveProperty("egress");
  });
});

describe("SearchDomain: outputs", () => {
  it("exposes endpoint, Dashboards URL, ARN, name and security group", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "ap-southeast-2" });
    const s = new SearchDomain(stack, "search", BASE);
    const outputs = { endpoint: s.endpoint, dashboards: s.dashboardUrl, arn: s.domainArn, name: s.domainName, sg: s.securityGroupId };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(stack, name, { value });
    const out = JSON.parse(Testing.synth(stack)).output;
    const d = `aws_opensearch_domain.${stack.getLogicalId(s.domain)}`;
    expect(out.endpoint.value).toBe(`\${${d}.endpoint}`);
    expect(out.dashboards.value).toBe(`https://\${${d}.endpoint}/_dashboards`);
    expect(out.arn.value).toBe(`\${${d}.arn}`);
    expect(out.name.value).toBe(`\${${d}.domain_name}`);
    expect(out.sg.value).toBe(`\${aws_security_group.${stack.getLogicalId(s.securityGroup)}.id}`);
  });
});

describe("SearchDomain: validation", () => {
  test.each<[Partial<SearchDomainProps>, string]>([
    [{ instanceCount: 3, zoneCount: 2 }, "SearchDomain: instanceCount (3) must be a multiple of zoneCount (2)"],
    [{ zoneCount: 3, instanceCount: 3, subnetIds: ["subnet-a", "subnet-b"] }, "SearchDomain: zoneCount (3) needs as many subnets, got 2"],
    [{ zoneCount: 4 }, "SearchDomain: zoneCount must be 1, 2 or 3, got 4"],
    [{ engineVersion: "2.19" }, `SearchDomain: engineVersion must look like OpenSearch_2.19, got "2.19"`],
    [{ engineVersion: "Elasticsearch_7.10" }, `SearchDomain: engineVersion must look like OpenSearch_2.19, got "Elasticsearch_7.10"`],
    [{ domainName: "a-very-long-domain-name-for-os" }, `SearchDomain: domain name "a-very-long-domain-name-for-os" is 30 characters long; OpenSearch allows at most 28`],
    [{ namePrefix: "a-twenty-two-chars-xyz" }, `SearchDomain: domain name "a-twenty-two-chars-xyz-search" is 29 characters long; OpenSearch allows at most 28`],
    [{ domainName: "Search" }, `SearchDomain: domain name must be 3-28 lowercase letters, digits or '-', starting with a letter, got "Search"`],
    [{ dashboardsUsers: ["Alice"] }, `SearchDomain: Dashboards user names must be 2-32 lowercase letters, digits, '.', '_' or '-', got "Alice"`],
    [{ dashboardsUsers: ["ad-tech-dev-master"] }, `SearchDomain: Dashboards user "ad-tech-dev-master" is the master user's name`],
    [{ secretRecoveryWindowDays: 3 }, "SearchDomain: secretRecoveryWindowDays must be 0 or 7-30, got 3"],
    [{ logRetentionDays: 0 }, "SearchDomain: logRetentionDays must be one of CloudWatch's periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 0"],
    [{ clientSecurityGroups: { "VPN!": VPN_SG } }, `SearchDomain: clientSecurityGroups key must be lowercase letters, digits, '_' or '-', got "VPN!"`],
    [{ instanceType: "m6g.large" }, `SearchDomain: instanceType must look like m6g.large.search, got "m6g.large"`],
  ])("rejects %o", (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
