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

/**
 * Where an environment without a remote backend keeps its Terraform state, relative to the stack
 * directory Terraform runs in: `terraform.<env>.tfstate` at the project root. Not inside
 * cdktf.out/: that is a build output people delete, and `cdktf synth` itself deletes the stack
 * directory of an environment whose file was removed or renamed (cdktf-cli's synth-stack.ts,
 * "orphaned directories"), which would take live state with it. Relative, so the synthesized JSON
 * is the same in every clone (cdktf's own default writes the absolute path of the working directory).
 */
export function localStatePath(stackName: string): string {
  return `../../../terraform.${stackName}.tfstate`;
}
