/**
 * The break-glass master: rotate Terraform's throwaway password into the master secret, crash-safely,
 * and notice and repair a reset.
 *
 * Rotation, with Secrets Manager staging labels:
 *   1. write the new password as a version labelled AWSPENDING only
 *   2. change the password through the security plugin's account API, signed in as the master
 *   3. move AWSCURRENT to the new version (the old one becomes AWSPREVIOUS), then drop AWSPENDING
 * A crash after 1 leaves AWSCURRENT working; after 2, AWSPENDING works; after 3, AWSCURRENT works.
 * The next run sees which one signs in and finishes the job.
 *
 * A reset: Terraform re-sends the initial password when it updates the domain's advanced security
 * options (or creates the domain again); it always sends the version labelled with the plan's
 * `initial_stage`, which never moves. AWSCURRENT then fails, the initial (or AWSPREVIOUS) works,
 * and the bootstrap sets the password back to AWSCURRENT.
 */
import { randomUUID } from "node:crypto";
import type { BasicAuth, OpenSearchClient } from "./client";
import type { PlanMaster } from "../../modules/search/bootstrap-plan";
import { generatePassword, type SecretStore, type SinkCredentials } from "./secrets";

export interface MasterOutcome {
  readonly ok: boolean;
  readonly line: string;
  readonly actions: string[];
  /** A master credential that signs in (undefined when none does). */
  readonly credentials?: BasicAuth;
}

const API = "/_plugins/_security";

/** Does this user/password sign in? 200 yes, 401 no; anything else is an error. */
export async function signsIn(os: OpenSearchClient, creds: BasicAuth): Promise<boolean> {
  const res = await os.request("GET", `${API}/authinfo`, undefined, { accept: [401], basic: creds });
  return res.status === 200;
}

/** Change a user's own password through the account API (signed in as that user). */
async function changePassword(os: OpenSearchClient, from: BasicAuth, to: string): Promise<void> {
  await os.request("PUT", `${API}/api/account`, { current_password: from.password, password: to }, { basic: from });
}

export async function ensureMaster(
  os: OpenSearchClient,
  secrets: SecretStore,
  master: PlanMaster,
  opts: { readonly dryRun: boolean; readonly rotate: boolean },
): Promise<MasterOutcome> {
  const label = `master ${master.username}`;
  const id = master.secret_id;
  const actions: string[] = [];
  const { versions } = await secrets.describe(id);
  const withStage = (stage: string) => Object.keys(versions).find((v) => versions[v]!.includes(stage));
  const currentId = withStage("AWSCURRENT");
  if (!currentId) {
    return { ok: false, line: `${label}: FAILED — secret ${id} has no AWSCURRENT version (deploy the stack first: Terraform writes it)`, actions };
  }
  const pendingId = withStage("AWSPENDING");
  const initialId = withStage(master.initial_stage);
  const previousId = withStage("AWSPREVIOUS");
  const read = async (versionId: string | undefined): Promise<SinkCredentials | undefined> => {
    if (!versionId) return undefined;
    const v = await secrets.readVersion(id, versionId);
    return v && v.username === master.username ? v : undefined;
  };
  const current = await read(currentId);
  if (!current) {
    return { ok: false, line: `${label}: FAILED — AWSCURRENT of secret ${id} holds no {"username":"${master.username}","password"}`, actions };
  }

  /** Steps 2 and 3 for a pending version whose password is not set yet. */
  const finish = async (from: BasicAuth, pending: SinkCredentials, pendingVersion: string): Promise<void> => {
    await changePassword(os, from, pending.password);
    await promote(pendingVersion);
  };
  const promote = async (pendingVersion: string): Promise<void> => {
    if (pendingVersion !== currentId) await secrets.moveStage(id, "AWSCURRENT", pendingVersion, currentId);
    await secrets.removeStage(id, "AWSPENDING", pendingVersion);
  };
  const rotateFrom = async (from: BasicAuth): Promise<BasicAuth> => {
    const next = { username: master.username, password: generatePassword() };
    const version = await secrets.putPending(id, next, randomUUID());
    await finish(from, next, version);
    return next;
  };

  // An interrupted rotation: AWSPENDING on a version of its own.
  if (pendingId && pendingId !== currentId) {
    const pending = await read(pendingId);
    if (pending && (await signsIn(os, pending))) {
      if (opts.dryRun) return { ok: true, line: `${label}: would finish an interrupted rotation (promote AWSPENDING in secret ${id})`, actions, credentials: pending };
      await promote(pendingId);
      return { ok: true, line: `${label}: finished an interrupted rotation (AWSPENDING promoted to AWSCURRENT in secret ${id})`, actions, credentials: pending };
    }
    if (pending && (await signsIn(os, current))) {
      if (opts.dryRun) return { ok: true, line: `${label}: would finish an interrupted rotation (set the AWSPENDING password, promote it in secret ${id})`, actions, credentials: current };
      await finish(current, pending, pendingId);
      return { ok: true, line: `${label}: finished an interrupted rotation (password set, AWSPENDING promoted to AWSCURRENT in secret ${id})`, actions, credentials: pending };
    }
    // Neither works: fall through to the reset repair, which also tries the older versions.
  } else if (pendingId === currentId) {
    // Crashed after the promotion, before dropping AWSPENDING.
    if (!opts.dryRun) await secrets.removeStage(id, "AWSPENDING", pendingId);
  }

  if (await signsIn(os, current)) {
    if (currentId === initialId || opts.rotate) {
      const why = currentId === initialId ? "the initial password (Terraform's, in state)" : "the password (--rotate)";
      if (opts.dryRun) return { ok: true, line: `${label}: would rotate ${why} into secret ${id} (value not shown)`, actions, credentials: current };
      const next = await rotateFrom(current);
      return { ok: true, line: `${label}: rotated ${why} into secret ${id} (AWSCURRENT)`, actions, credentials: next };
    }
    return { ok: true, line: `${label}: up to date (break-glass password in secret ${id})`, actions, credentials: current };
  }

  // AWSCURRENT does not sign in: the domain was reset to an older password.
  for (const [stage, versionId] of [[master.initial_stage, initialId], ["AWSPREVIOUS", previousId]] as const) {
    if (!versionId || versionId === currentId) continue;
    const older = await read(versionId);
    if (!older || !(await signsIn(os, older))) continue;
    if (opts.dryRun) {
      return { ok: true, line: `${label}: would repair a reset (the domain has the ${stage} password; set it back to AWSCURRENT)`, actions, credentials: older };
    }
    if (currentId === initialId) {
      const next = await rotateFrom(older);
      return { ok: true, line: `${label}: repaired a reset and rotated into secret ${id} (AWSCURRENT)`, actions, credentials: next };
    }
    await changePassword(os, older, current.password);
    return { ok: true, line: `${label}: repaired a reset (the domain had the ${stage} password; set back to AWSCURRENT of secret ${id})`, actions, credentials: current };
  }
  return {
    ok: false,
    line:
      `${label}: FAILED — no version of secret ${id} signs in (HTTP 401). Either the domain's internal user database is off ` +
      `(apply the stack first), or the master password was changed outside Terraform and the bootstrap: set it to the secret's ` +
      `AWSCURRENT value with "aws opensearch update-domain-config --domain-name ${master.domain_name} --advanced-security-options ` +
      `'MasterUserOptions={MasterUserName=${master.username},MasterUserPassword=<AWSCURRENT password>}'", then re-run`,
    actions,
  };
}
