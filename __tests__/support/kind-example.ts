/**
 * A connector kind's example file (examples/connectors/<kind>.yaml) synthesized in the whole
 * reference stack, as a user would deploy it after copying it to configs/connectors/, with
 * helpers to find its resources and its role's statements.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { loadPipelineConfig } from "../../modules/config/load";
import { parsePolicyJson } from "../../modules/guard/policy";
import type { PipelineStack } from "../../modules/pipeline-stack";
import { REPO_ROOT, makeProjectCopy, pipelineStack, removeProjectCopy } from "./project";

export type Resource = Record<string, any>;
export type Tf = { resource: Record<string, Record<string, Resource>> };

/** The text of examples/connectors/<kind>.yaml, optionally edited. */
export function example(kind: string, edit: (yaml: string) => string = (y) => y): string {
  return edit(readFileSync(path.join(REPO_ROOT, "examples/connectors", `${kind}.yaml`), "utf8"));
}

/** The stack and its JSON with `files` over the reference project. */
export function synthKind(files: Record<string, string>): { stack: PipelineStack; tf: Tf } {
  const root = makeProjectCopy({ files });
  try {
    const stack = pipelineStack(loadPipelineConfig({ rootDir: root }));
    return { stack, tf: JSON.parse(Testing.synth(stack)) as Tf };
  } finally {
    removeProjectCopy(root);
  }
}

/** Resources of a type whose logical id contains `fragment`. */
export function resourcesLike(tf: Tf, type: string, fragment: string): Resource[] {
  return Object.entries(tf.resource[type] ?? {})
    .filter(([id]) => id.includes(fragment))
    .map(([, r]) => r);
}

/** The one resource of a type with this `name` attribute. */
export function byName(tf: Tf, type: string, name: string): Resource {
  const hit = Object.values(tf.resource[type] ?? {}).find((r) => r.name === name);
  if (!hit) throw new Error(`no ${type} named ${name}`);
  return hit;
}

/** The statements of a connector's role policy (MSK Connect name <prefix>-<connector>). */
export function roleStatements(tf: Tf, connector: string): Resource[] {
  const id = connector.replace(/[^A-Za-z0-9]/g, "");
  const policy = Object.entries(tf.resource.aws_iam_role_policy).find(([logical]) => logical.replace(/[^A-Za-z0-9]/g, "").startsWith(`connectors${id}policy`));
  if (!policy) throw new Error(`no role policy of connector ${connector}`);
  return (parsePolicyJson(policy[1].policy as string) as { Statement: Resource[] }).Statement;
}

/** The statements the kind adds: everything but MskConnector's own Sids. */
export function kindStatements(tf: Tf, connector: string): Resource[] {
  const own = new Set(["Cluster", "ReadOwnTopics", "WriteOwnTopics", "DeadLetterTopic", "ConnectInternalTopics", "OwnGroups", "OwnSecret", "ReferencedSecrets"]);
  return roleStatements(tf, connector).filter((s) => !own.has(s.Sid));
}
