/** The reference environment set up for opensearch-ingestion connectors (multi-VPC IAM and a cluster policy for OpenSearch Ingestion). */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./project";

/** configs/environments/dev.yaml with `vpc_connectivity: { iam: true }` and a cluster policy naming `principals`. */
export function osisReadyEnvironment(principals = "[osis.amazonaws.com, osis-pipelines.amazonaws.com]"): string {
  const text = readFileSync(path.join(REPO_ROOT, "configs/environments/dev.yaml"), "utf8");
  const edited = text
    .replace("  # vpc_connectivity: { iam: true }", "  vpc_connectivity: { iam: true }")
    .replace(/ {2}# cluster_policy:[^\n]*\n {2}# {3}principals: [^\n]*\n/, `  cluster_policy:\n    principals: ${principals}\n`);
  if (!edited.includes("\n  vpc_connectivity: { iam: true }") || !edited.includes("\n  cluster_policy:\n")) {
    throw new Error("dev.yaml no longer has the commented vpc_connectivity/cluster_policy lines these tests turn on");
  }
  return edited;
}
