/**
 * Who may sign in, and as what: the identity running the bootstrap and the YAML's admin roles are
 * mapped (as backend roles) to all_access, the YAML's reader roles to a read-only role; Dashboards
 * users are mapped by name. Audit logging in the security plugin follows `opensearch.audit_logs`.
 * Everything here goes through the security REST API, signed in as the break-glass master.
 *
 * The YAML is the source of truth: a backend role someone added to all_access by hand is removed on
 * the next run (the master user stays mapped, as AWS set it up).
 */
import type { BasicAuth, OpenSearchClient } from "./client";
import type { BootstrapPlan } from "../../modules/search/bootstrap-plan";
import { getResource } from "./sinks";
import { isObject, type JsonObject } from "../../modules/json";

const API = "/_plugins/_security/api";
const seg = encodeURIComponent;

export const ADMIN_ROLE = "all_access";

/** What readers get: read the pipeline's indexes and aliases, Dashboards' global tenant read-only. */
export function readerRoleBody(plan: BootstrapPlan): JsonObject {
  const patterns = new Set<string>();
  for (const index of plan.indexes) {
    patterns.add(index.name);
    for (const alias of Object.keys(index.body.aliases ?? {})) patterns.add(alias);
  }
  return {
    cluster_permissions: ["cluster_composite_ops_ro"],
    index_permissions: [{ index_patterns: [...patterns].sort(), allowed_actions: ["read", "indices:admin/resolve/index"] }],
    tenant_permissions: [{ tenant_patterns: ["global_tenant"], allowed_actions: ["kibana_all_read"] }],
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const sameSet = (a: unknown, b: readonly string[]) => JSON.stringify(sorted(strings(a))) === JSON.stringify(sorted(b));

function samePermissionList(live: unknown, wanted: readonly JsonObject[], patternKey: string): boolean {
  const perms = Array.isArray(live) ? live.filter(isObject) : [];
  if (perms.length !== wanted.length) return false;
  return wanted.every((w, i) => {
    const p = perms[i]!;
    const extras = ["fls", "masked_fields"].some((k) => strings(p[k]).length > 0) || (typeof p.dls === "string" && p.dls !== "");
    return !extras && sameSet(p[patternKey], strings(w[patternKey])) && sameSet(p.allowed_actions, strings(w.allowed_actions));
  });
}

export function roleBodyMatches(live: JsonObject, wanted: JsonObject): boolean {
  return (
    sameSet(live.cluster_permissions, strings(wanted.cluster_permissions)) &&
    samePermissionList(live.index_permissions, (wanted.index_permissions as JsonObject[]) ?? [], "index_patterns") &&
    samePermissionList(live.tenant_permissions, (wanted.tenant_permissions as JsonObject[]) ?? [], "tenant_patterns")
  );
}

interface Mapping {
  users: string[];
  backend_roles: string[];
  hosts: string[];
}

function mappingMatches(live: JsonObject, wanted: Mapping): boolean {
  return (
    sameSet(live.users, wanted.users) &&
    sameSet(live.backend_roles, wanted.backend_roles) &&
    sameSet(live.hosts, wanted.hosts) &&
    strings(live.and_backend_roles).length === 0
  );
}

export interface AccessOutcome {
  readonly ok: boolean;
  readonly line: string;
  readonly actions: string[];
  /** Whether the caller's IAM identity is mapped to all_access now (not yet in a first dry run). */
  readonly identityMapped: boolean;
}

/** Who OpenSearch says the IAM caller is: its role ARN (a backend role) or IAM user ARN, and its roles. */
export async function iamIdentity(os: OpenSearchClient): Promise<{ kind: "role" | "user"; arn: string; roles: string[] }> {
  const res = await os.request("GET", "/_plugins/_security/authinfo");
  const info = isObject(res.json) ? res.json : {};
  const roles = strings(info.roles);
  const role = strings(info.backend_roles).find((r) => /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(r));
  if (role) return { kind: "role", arn: role, roles };
  const name = typeof info.user_name === "string" ? info.user_name : "";
  if (/^arn:aws[a-z-]*:iam::\d{12}:user\//.test(name)) return { kind: "user", arn: name, roles };
  if (/^arn:aws[a-z-]*:iam::\d{12}:role\//.test(name)) return { kind: "role", arn: name, roles };
  throw new Error(`cannot tell which IAM identity runs the bootstrap: authinfo names "${name || "nobody"}"`);
}

export async function ensureAccess(
  os: OpenSearchClient,
  master: BasicAuth,
  plan: BootstrapPlan,
  opts: { readonly dryRun: boolean },
): Promise<AccessOutcome> {
  const label = "access";
  const actions: string[] = [];
  const done: string[] = [];
  const identity = await iamIdentity(os);
  const usersWith = (role: "admin" | "reader") => plan.dashboards_users.filter((u) => u.role === role).map((u) => u.username);

  const put = async (kind: string, name: string, body: unknown, what: string, existed: boolean) => {
    if (opts.dryRun) actions.push(`${label}: would ${existed ? "update" : "create"} ${what}`);
    else {
      await os.request("PUT", `${API}/${kind}/${seg(name)}`, body, { basic: master });
      done.push(`${what} ${existed ? "updated" : "created"}`);
    }
  };

  // all_access: the master (as AWS mapped it), admin Dashboards users, the caller, the YAML's admins.
  const admins: Mapping = {
    users: sorted([plan.master.username, ...usersWith("admin"), ...(identity.kind === "user" ? [identity.arn] : [])]),
    backend_roles: sorted([...(identity.kind === "role" ? [identity.arn] : []), ...plan.access.admin_backend_roles]),
    hosts: [],
  };
  const liveAdmins = await getResource(os, master, "rolesmapping", ADMIN_ROLE);
  const adminWhat = `${ADMIN_ROLE} mapping (${admins.backend_roles.length} IAM role(s), ${admins.users.length} user(s))`;
  const adminsUpToDate = liveAdmins !== undefined && mappingMatches(liveAdmins, admins);
  if (adminsUpToDate) done.push(`${adminWhat} up to date`);
  else await put("rolesmapping", ADMIN_ROLE, admins, adminWhat, liveAdmins !== undefined);
  // A mapping change reaches every node shortly after the API answers: wait until the caller's own
  // requests carry all_access before the index steps rely on it (else they run as the master).
  const identityMapped = opts.dryRun
    ? liveAdmins !== undefined && (identity.kind === "role" ? strings(liveAdmins.backend_roles) : strings(liveAdmins.users)).includes(identity.arn)
    : adminsUpToDate && identity.roles.includes(ADMIN_ROLE)
      ? true
      : await os.waitFor(async () => (await iamIdentity(os)).roles.includes(ADMIN_ROLE), `${ADMIN_ROLE} to reach ${identity.arn}`);
  if (!identityMapped && !opts.dryRun) done.push(`${identity.arn} does not have ${ADMIN_ROLE} yet (indexes are set up as the master)`);

  // The read-only role and who gets it.
  const readerRole = plan.access.reader_role;
  const wantedRole = readerRoleBody(plan);
  const liveRole = await getResource(os, master, "roles", readerRole);
  if (liveRole && roleBodyMatches(liveRole, wantedRole)) done.push(`role ${readerRole} up to date`);
  else await put("roles", readerRole, wantedRole, `role ${readerRole}`, liveRole !== undefined);
  const readers: Mapping = { users: sorted(usersWith("reader")), backend_roles: sorted(plan.access.reader_backend_roles), hosts: [] };
  const liveReaders = await getResource(os, master, "rolesmapping", readerRole);
  const readerWhat = `${readerRole} mapping (${readers.backend_roles.length} IAM role(s), ${readers.users.length} user(s))`;
  if (liveReaders && mappingMatches(liveReaders, readers)) done.push(`${readerWhat} up to date`);
  else await put("rolesmapping", readerRole, readers, readerWhat, liveReaders !== undefined);

  // Audit logging in the security plugin (the domain publishes AUDIT_LOGS to CloudWatch).
  const audit = await os.request("GET", `${API}/audit`, undefined, { basic: master });
  const config = isObject(audit.json) && isObject(audit.json.config) ? audit.json.config : {};
  const want = plan.access.audit_logs;
  if (config.enabled === want) done.push(`audit logging ${want ? "on" : "off"}`);
  else if (opts.dryRun) actions.push(`${label}: would turn audit logging ${want ? "on" : "off"}`);
  else {
    await os.request("PUT", `${API}/audit/config`, { ...config, enabled: want }, { basic: master });
    done.push(`audit logging turned ${want ? "on" : "off"}`);
  }

  const who = `you are ${identity.arn}`;
  if (opts.dryRun) {
    return { ok: true, line: actions.length ? `${label}: would change (${who})` : `${label}: up to date (${who})`, actions, identityMapped };
  }
  return { ok: true, line: `${label}: ${done.join(", ")} (${who})`, actions, identityMapped };
}
