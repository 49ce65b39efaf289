/**
 * Reads the bootstrap plan synth wrote (the contract itself is modules/search/bootstrap-plan.ts;
 * reading files belongs to the command, not to modules/).
 */
import { readFileSync } from "node:fs";
import { defaultPlanPath, parsePlan, PlanError, type BootstrapPlan } from "../../modules/search/bootstrap-plan";

/** Read and validate a plan file. Throws PlanError with a clear message if it is missing or bad. */
export function loadPlan(file: string, env: string): BootstrapPlan {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new PlanError(
        `no bootstrap plan at ${file}: run "npm run synth" first (it writes ${defaultPlanPath(env)}), or pass --plan FILE`,
      );
    }
    throw new PlanError(`cannot read bootstrap plan ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PlanError(`bootstrap plan ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const plan = parsePlan(json, file);
  if (plan.environment !== env) {
    throw new PlanError(`bootstrap plan ${file} is for environment "${plan.environment}", not "${env}"`);
  }
  return plan;
}
