/**
 * The bad-input corpus: each folder under __tests__/config/fixtures/ overlays files on a copy of
 * the reference configuration; expected.txt holds the exact issue lines the loader must report.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../modules/config/issues";
import { loadPipelineConfig } from "../../modules/config/load";
import { makeProjectCopy, removeProjectCopy } from "./project";

export const FIXTURES = path.resolve(__dirname, "..", "config", "fixtures");

export function corpusCases(): string[] {
  return readdirSync(FIXTURES).sort();
}

export function expectedLines(name: string): string[] {
  return readFileSync(path.join(FIXTURES, name, "expected.txt"), "utf8").trim().split("\n");
}

/** A project copy with the case's overlay (and no artifacts when it asks for none). */
export function corpusProject(name: string): string {
  const overlayDir = path.join(FIXTURES, name, "files");
  const noArtifacts = existsSync(path.join(overlayDir, "__no_artifacts__"));
  const root = makeProjectCopy({ overlayDir, artifacts: !noArtifacts });
  rmSync(path.join(root, "__no_artifacts__"), { force: true });
  return root;
}

/**
 * Loads the case in-process as if run from inside the copy (file names in issues relative to it,
 * as when a user runs synth in the project), and returns the error. No process.chdir: the unit
 * project runs in worker threads, which cannot change directory.
 */
export function loadCorpusCase(name: string): { error: unknown; root: string } {
  const root = corpusProject(name);
  try {
    loadPipelineConfig({ rootDir: root, cwd: root });
    return { error: undefined, root };
  } catch (error) {
    return { error, root };
  } finally {
    removeProjectCopy(root);
  }
}

export { ConfigError };
