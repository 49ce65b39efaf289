/**
 * The FGAC internal user, role and role mapping each OpenSearch sink connector authenticates with,
 * and the internal users of people who sign in on Dashboards. Uses the Security REST API
 * (`_plugins/_security/api/...`), signed in as the break-glass master.
 */
import type { BasicAuth, OpenSearchClient } from "./client";
import type { PlanDashboardsUser, PlanIamSink, PlanSink } from "../../modules/search/bootstrap-plan";
import { generatePassword, type SecretStore } from "./secrets";
import { isObject, type JsonObject } from "../../modules/json";

/**
 * What Aiven's OpenSearch sink 3.x does against the cluster (OpensearchClient, schema.ignore=true,
 * key.ignore=true, write.method=insert), and the permission each needs:
 * - `GET /` for the version (`cluster:monitor/main`)            -> cluster `cluster_monitor` (read-only)
 * - `_bulk` of index requests                                   -> cluster `indices:data/write/bulk`,
 *                                                                  index `indices:data/write/*` (`write`)
 * - `HEAD /<index>` "does it exist?" (GetIndexRequest)          -> index `indices:admin/get`
 * - create the index if missing (`indices:admin/create`)        -> index `create_index`
 * - fields unknown to the mapping (dynamic mapping), and
 *   put-mapping when schema.ignore=false                        -> `indices:admin/mapping/put` (in `write`
 *                                                                  and `create_index`), plus
 *                                                                  `indices:admin/mapping/auto_put`
 * `write` rather than `crud`: the sink never reads documents, so it gets no `indices:data/read/*`.
 * Nothing on other indexes, no delete, no alias or settings changes, no cluster admin.
 */
export const SINK_CLUSTER_PERMISSIONS = ["cluster_monitor", "indices:data/write/bulk"] as const;
export const SINK_INDEX_ACTIONS = ["write", "create_index", "indices:admin/get", "indices:admin/mapping/auto_put"] as const;

export interface SinkRoleBody {
  cluster_permissions: string[];
  index_permissions: { index_patterns: string[]; allowed_actions: string[] }[];
}

/**
 * A sink's role: the same permissions whether it signs in as an internal user (Aiven's sink) or
 * with an IAM role (OpenSearch Ingestion's Data Prepper sink, which bulk-indexes into existing
 * indexes the same way: GET / for the version, HEAD /<index>, _bulk; it creates an index only when
 * missing and the bootstrap creates every index first).
 */
export function sinkRoleBody(sink: Pick<PlanSink | PlanIamSink, "index_patterns">): SinkRoleBody {
  return {
    cluster_permissions: [...SINK_CLUSTER_PERMISSIONS],
    index_permissions: [{ index_patterns: [...sink.index_patterns], allowed_actions: [...SINK_INDEX_ACTIONS] }],
  };
}

export interface SinkOutcome {
  readonly ok: boolean;
  readonly line: string;
  readonly actions: string[];
}

const API = "/_plugins/_security/api";
const seg = encodeURIComponent;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = [...new Set(a)].sort();
  const sb = [...new Set(b)].sort();
  return sa.length === sb.length && sa.every((x, i) => x === sb[i]);
}

/** GET a security resource: its entry, or undefined on 404. */
export async function getResource(os: OpenSearchClient, master: BasicAuth, kind: string, name: string): Promise<JsonObject | undefined> {
  const res = await os.request("GET", `${API}/${kind}/${seg(name)}`, undefined, { accept: [404], basic: master });
  if (res.status === 404) return undefined;
  const json = isObject(res.json) ? res.json : {};
  const entry = json[name];
  return isObject(entry) ? entry : {};
}

/** Does the live role grant exactly what the sink needs (no more, no less)? */
export function roleMatches(live: JsonObject, wanted: SinkRoleBody): boolean {
  if (!sameSet(strings(live.cluster_permissions), wanted.cluster_permissions)) return false;
  if (Array.isArray(live.tenant_permissions) && live.tenant_permissions.length > 0) return false;
  const perms = Array.isArray(live.index_permissions) ? live.index_permissions.filter(isObject) : [];
  if (perms.length !== wanted.index_permissions.length) return false;
  return wanted.index_permissions.every((w, i) => {
    const p = perms[i]!;
    const extras = ["fls", "masked_fields"].some((k) => strings(p[k]).length > 0) || (typeof p.dls === "string" && p.dls !== "");
    return (
      !extras &&
      sameSet(strings(p.index_patterns), w.index_patterns) &&
      sameSet(strings(p.allowed_actions), w.allowed_actions)
    );
  });
}

/** The mapping names exactly these users and backend roles, and no hosts. */
function mappingMatches(live: JsonObject, wanted: { users: readonly string[]; backend_roles: readonly string[] }): boolean {
  return (
    sameSet(strings(live.users), wanted.users) &&
    sameSet(strings(live.backend_roles), wanted.backend_roles) &&
    strings(live.hosts).length === 0 &&
    strings(live.and_backend_roles).length === 0
  );
}

/** Create or update `role` to grant `wanted`, unless it already does exactly that. */
async function ensureRole(os: OpenSearchClient, master: BasicAuth, label: string, role: string, wanted: SinkRoleBody, dryRun: boolean, actions: string[], done: string[]): Promise<void> {
  const live = await getResource(os, master, "roles", role);
  if (live && roleMatches(live, wanted)) done.push("role up to date");
  else if (dryRun) actions.push(`${label}: would ${live ? "update" : "create"} role ${role}`);
  else {
    await os.request("PUT", `${API}/roles/${seg(role)}`, wanted, { basic: master });
    done.push(live ? "role updated" : "role created");
  }
}

/** Map `role` to exactly these users and backend roles (nothing else), unless it already is. */
async function ensureMapping(
  os: OpenSearchClient,
  master: BasicAuth,
  label: string,
  role: string,
  wanted: { users: string[]; backend_roles: string[] },
  dryRun: boolean,
  actions: string[],
  done: string[],
): Promise<void> {
  const live = await getResource(os, master, "rolesmapping", role);
  const who = [...wanted.users, ...wanted.backend_roles].join(", ");
  if (live && mappingMatches(live, wanted)) done.push("mapping up to date");
  else if (dryRun) actions.push(`${label}: would ${live ? "update" : "create"} role mapping ${role} -> ${who}`);
  else {
    await os.request("PUT", `${API}/rolesmapping/${seg(role)}`, { ...wanted, hosts: [] }, { basic: master });
    done.push(live ? "mapping updated" : "mapping created");
  }
}

export interface EnsureSinkOptions {
  readonly dryRun: boolean;
  readonly rotate: boolean;
}

/** Password (from its secret, or generated into it) and existence of one internal user. */
async function ensureInternalUser(
  os: OpenSearchClient,
  master: BasicAuth,
  secrets: SecretStore,
  label: string,
  username: string,
  secretId: string,
  opts: EnsureSinkOptions,
): Promise<{ actions: string[]; done: string[]; stored: boolean }> {
  const actions: string[] = [];
  const done: string[] = [];
  // Secrets Manager is the source of truth.
  const stored = await secrets.read(secretId);
  const usable = stored && stored.username === username ? stored : undefined;
  const newPassword = !usable || opts.rotate;
  const liveUser = await getResource(os, master, "internalusers", username);
  const put = (password: string) =>
    os.request("PUT", `${API}/internalusers/${seg(username)}`, userBody(password), { basic: master });

  if (newPassword) {
    const why = opts.rotate && usable ? "rotate the password" : "generate a password";
    if (opts.dryRun) {
      actions.push(`${label}: would ${why} and store it in secret ${secretId} (value not shown)`);
      actions.push(`${label}: would ${liveUser ? "update" : "create"} internal user ${username}`);
    } else {
      const password = generatePassword();
      // Secret first: if the user update then fails, a re-run still finds the password to use.
      await secrets.write(secretId, { username, password });
      await put(password);
      done.push(liveUser ? (opts.rotate && usable ? "password rotated" : "user password set") : "user created");
    }
  } else if (!liveUser) {
    if (opts.dryRun) actions.push(`${label}: would create internal user ${username} with the password from secret ${secretId}`);
    else {
      await put(usable.password);
      done.push("user created");
    }
  } else {
    done.push("user up to date");
  }
  return { actions, done, stored: newPassword && !opts.dryRun };
}

export async function ensureSink(
  os: OpenSearchClient,
  master: BasicAuth,
  secrets: SecretStore,
  sink: PlanSink,
  opts: EnsureSinkOptions,
): Promise<SinkOutcome> {
  const label = `sink ${sink.connector}`;
  const user = await ensureInternalUser(os, master, secrets, label, sink.username, sink.secret_id, opts);
  const { actions, done } = user;

  // Role: create or update only when it differs; the role maps to exactly this user.
  await ensureRole(os, master, label, sink.role, sinkRoleBody(sink), opts.dryRun, actions, done);
  await ensureMapping(os, master, label, sink.role, { users: [sink.username], backend_roles: [] }, opts.dryRun, actions, done);

  if (user.stored) done.push(`password stored in secret ${sink.secret_id}`);
  if (opts.dryRun) {
    return { ok: true, line: actions.length ? `${label}: would change` : `${label}: up to date`, actions };
  }
  return { ok: true, line: `${label}: ${done.join(", ")}`, actions };
}

/**
 * A sink that signs with an IAM role (an OpenSearch Ingestion pipeline): the sink's role, mapped to
 * exactly that role's ARN as a backend role. No internal user, no password, no secret.
 */
export async function ensureIamSink(os: OpenSearchClient, master: BasicAuth, sink: PlanIamSink, roleArn: string, opts: { readonly dryRun: boolean }): Promise<SinkOutcome> {
  const label = `sink ${sink.connector}`;
  const actions: string[] = [];
  const done: string[] = [];
  await ensureRole(os, master, label, sink.role, sinkRoleBody(sink), opts.dryRun, actions, done);
  await ensureMapping(os, master, label, sink.role, { users: [], backend_roles: [roleArn] }, opts.dryRun, actions, done);
  if (opts.dryRun) return { ok: true, line: actions.length ? `${label}: would change` : `${label}: up to date`, actions };
  return { ok: true, line: `${label}: ${done.join(", ")} (${roleArn})`, actions };
}

/**
 * A person's Dashboards sign-in: an internal user with a generated password in its own secret. Its
 * role comes from the role mappings (all_access or the read-only role), which the access step owns.
 */
export async function ensureDashboardsUser(
  os: OpenSearchClient,
  master: BasicAuth,
  secrets: SecretStore,
  user: PlanDashboardsUser,
  opts: EnsureSinkOptions,
): Promise<SinkOutcome> {
  const label = `dashboards user ${user.username}`;
  const r = await ensureInternalUser(os, master, secrets, label, user.username, user.secret_id, opts);
  if (r.stored) r.done.push(`password stored in secret ${user.secret_id}`);
  if (opts.dryRun) {
    return { ok: true, line: r.actions.length ? `${label}: would change` : `${label}: up to date`, actions: r.actions };
  }
  return { ok: true, line: `${label}: ${r.done.join(", ")} (${user.role})`, actions: r.actions };
}

function userBody(password: string): JsonObject {
  return { password, backend_roles: [], attributes: {} };
}
