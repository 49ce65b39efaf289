/**
 * Where Terraform runs: cdktf writes each stack to <project>/cdktf.out/stacks/<env>/ and Terraform
 * runs there, so files of the project are addressed relative to that directory. Relative paths
 * keep the synthesized JSON identical on every machine and in every clone.
 */
export const PROJECT_ROOT_FROM_STACK = "${path.module}/../../..";

/** A project-relative path (e.g. connectors/artifacts/x.jar) as Terraform reads it from the stack. */
export function fromStack(projectRelativePath: string): string {
  return `${PROJECT_ROOT_FROM_STACK}/${projectRelativePath}`;
}
