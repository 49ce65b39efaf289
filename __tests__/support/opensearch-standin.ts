/**
 * A local, in-memory stand-in for the parts of Amazon OpenSearch Service's REST API the bootstrap
 * and the sink use. It is NOT OpenSearch (there is none on these machines); it models what the tests
 * rely on, the way the service does it, including what it refuses:
 * - sign-in: SigV4 (the caller's IAM ARN, from its access key id) or HTTP basic auth as an internal
 *   user, which is refused (401) when the internal user database is off, as AWS does with an IAM
 *   master; unauthenticated requests get 401
 * - permissions from role mappings (users, backend_roles): all_access does everything; the security
 *   API needs all_access or security_manager; a sink role may `_bulk` into its index patterns;
 *   denials are 403 `security_exception`s naming the action and the user, as OpenSearch prints them
 * - the master user (mapped to all_access and security_manager, as AWS sets it up), its password
 *   changed through the account API (`PUT _plugins/_security/api/account`)
 * - indexes with settings returned the way OpenSearch returns them (nested, string values, plus
 *   `uuid`, `creation_date`, `provided_name`, `version.created`); static settings cannot be updated
 * - internal users, roles, role mappings, the audit configuration
 * It records every request, can be scripted to fail, and listens on 127.0.0.1 on a random port.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { isObject, type JsonObject } from "../../modules/json";

export interface RecordedRequest {
  readonly method: string;
  /** Path including the query string. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface ScriptedFailure {
  method?: string;
  path?: string | RegExp;
  status: number;
  /** How many matching requests fail. */
  times: number;
  body?: unknown;
  /** Accept the request and never answer (a hung server). */
  hang?: boolean;
  /** Only requests signed this way. */
  auth?: "iam" | "basic";
}

export interface IndexState {
  settings: JsonObject;
  mappings: JsonObject;
  aliases: JsonObject;
}

export interface OpenSearchStandinOptions {
  /** The domain's internal user database (AWS: on with an internal master, off with an IAM master). @default true */
  readonly internalUserDatabase?: boolean;
  /** The internal master user AWS creates with the domain. @default - none */
  readonly master?: { readonly username: string; readonly password: string };
  /** IAM identity (role or user ARN) behind each access key id. */
  readonly iamIdentities?: Readonly<Record<string, string>>;
}

const WRITE_METHODS = new Set(["PUT", "POST", "DELETE", "PATCH"]);
const STATIC_SETTINGS = /^(number_of_shards|number_of_routing_shards|codec|analysis|sort|store|knn|soft_deletes|routing_partition_size)(\.|$)/;

/** OpenSearch's error shape for authentication and authorization failures. */
export function securityException(status: number, reason: string): [number, JsonObject] {
  return [status, { error: { root_cause: [{ type: "security_exception", reason }], type: "security_exception", reason }, status }];
}

/** Merge new properties into existing ones; a changed type is rejected as OpenSearch does. */
function mergeProperties(existing: JsonObject, added: JsonObject, path = ""): string | undefined {
  for (const [name, def] of Object.entries(added)) {
    if (!isObject(def)) continue;
    const old = existing[name];
    const here = path ? `${path}.${name}` : name;
    if (!isObject(old)) {
      existing[name] = structuredClone(def);
      continue;
    }
    const oldType = (old.type as string | undefined) ?? "object";
    const newType = (def.type as string | undefined) ?? "object";
    if (oldType !== newType) return `mapper [${here}] cannot be changed from type [${oldType}] to [${newType}]`;
    if (isObject(def.properties)) {
      if (!isObject(old.properties)) old.properties = {};
      const err = mergeProperties(old.properties as JsonObject, def.properties, here);
      if (err) return err;
    }
  }
  return undefined;
}

/** Settings as OpenSearch stores and returns them: below `index`, nested, every leaf a string. */
function stringLeaves(v: unknown): unknown {
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringLeaves(x)]));
  if (Array.isArray(v)) return v.map(String);
  return String(v);
}

/** `{index: {a: {b: 1}}}` or `{"index.a.b": 1}` -> `[["a.b", 1]]` (keys below `index`). */
function flatEntries(v: unknown, prefix = ""): [string, unknown][] {
  if (!isObject(v)) return [[prefix, v]];
  return Object.entries(v).flatMap(([k, x]) => flatEntries(x, prefix ? `${prefix}.${k}` : k));
}

function setPath(target: JsonObject, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (!isObject(node[p])) node[p] = {};
    node = node[p] as JsonObject;
  }
  node[parts[parts.length - 1]!] = value;
}

function patternMatches(pattern: string, index: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(index);
}

interface Principal {
  readonly name: string;
  readonly kind: "internal" | "iam";
  readonly backendRoles: readonly string[];
}

export class OpenSearchStandin {
  readonly requests: RecordedRequest[] = [];
  readonly indexes = new Map<string, IndexState>();
  readonly users = new Map<string, JsonObject>();
  readonly roles = new Map<string, JsonObject>();
  readonly rolesmapping = new Map<string, JsonObject>();
  /** Passwords as set through the API (real OpenSearch keeps only a hash; tests need the value). */
  readonly passwords = new Map<string, string>();
  /** Documents written through `_bulk`, by index. */
  readonly documents = new Map<string, JsonObject[]>();
  readonly failures: ScriptedFailure[] = [];
  auditConfig: JsonObject = {
    enabled: false,
    audit: { enable_rest: true, disabled_rest_categories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"], enable_transport: true, log_request_body: false },
    compliance: { enabled: true, internal_config: true, external_config: false },
  };
  internalUserDatabase: boolean;
  readonly iamIdentities: Record<string, string>;
  private server?: http.Server;

  constructor(options: OpenSearchStandinOptions = {}) {
    this.internalUserDatabase = options.internalUserDatabase ?? true;
    this.iamIdentities = { ...(options.iamIdentities ?? {}) };
    if (options.master) {
      const { username, password } = options.master;
      this.users.set(username, { hash: "", reserved: false, hidden: false, backend_roles: [], attributes: {} });
      this.passwords.set(username, password);
      for (const role of ["all_access", "security_manager"]) {
        this.rolesmapping.set(role, { hosts: [], users: [username], reserved: false, hidden: false, backend_roles: [], and_backend_roles: [] });
      }
    }
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | undefined;
    if (!addr) throw new Error("stand-in not started");
    return `http://127.0.0.1:${addr.port}`;
  }

  get writes(): RecordedRequest[] {
    return this.requests.filter((r) => WRITE_METHODS.has(r.method));
  }

  failNext(f: ScriptedFailure): void {
    this.failures.push(f);
  }

  /** Dashboards saved objects by tenant (the `securitytenant` header; "(default)" without one), then `type/id`. */
  readonly savedObjects = new Map<string, Map<string, JsonObject>>();

  /** What an UpdateDomainConfig with MasterUserOptions does: set the master's password. */
  resetPassword(username: string, password: string): void {
    this.passwords.set(username, password);
  }

  /** Seed an index as if it existed before the run (settings as given, plus what OpenSearch adds). */
  seedIndex(name: string, state: Partial<IndexState>): void {
    const given = isObject(state.settings?.index) ? (state.settings!.index as JsonObject) : (state.settings ?? {});
    const index: JsonObject = { number_of_shards: "1", number_of_replicas: "1", ...(stringLeaves(given) as JsonObject) };
    index.uuid = randomUUID().replace(/-/g, "").slice(0, 22);
    index.creation_date = "1704164645000";
    index.provided_name = name;
    index.version = { created: "136408127" };
    this.indexes.set(name, {
      settings: { index },
      mappings: structuredClone(state.mappings ?? {}),
      aliases: structuredClone(state.aliases ?? {}),
    });
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rec: RecordedRequest = {
          method: req.method ?? "",
          path: req.url ?? "/",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        this.requests.push(rec);
        const result = this.handle(rec);
        if (result === "hang") return;
        const [status, body] = result;
        const text = body === undefined ? "" : JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json; charset=UTF-8", "content-length": Buffer.byteLength(text) });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private scripted(rec: RecordedRequest): ScriptedFailure | undefined {
    const f = this.failures.find(
      (x) =>
        x.times > 0 &&
        (!x.method || x.method === rec.method) &&
        (!x.auth || (x.auth === "iam") === String(rec.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ")) &&
        (!x.path || (typeof x.path === "string" ? x.path === rec.path : x.path.test(rec.path))),
    );
    if (f) f.times--;
    return f;
  }

  private authenticate(rec: RecordedRequest): Principal | [number, JsonObject] {
    const auth = String(rec.headers.authorization ?? "");
    if (auth.startsWith("AWS4-HMAC-SHA256 ")) {
      const key = /Credential=([^/]+)\//.exec(auth)?.[1] ?? "";
      const arn = this.iamIdentities[key];
      // What the service answers for an access key it does not know (expired or wrong credentials).
      if (!arn) return [403, { message: "The security token included in the request is invalid." }];
      return { name: arn, kind: "iam", backendRoles: arn.includes(":role/") ? [arn] : [] };
    }
    if (auth.startsWith("Basic ")) {
      const [user, ...rest] = Buffer.from(auth.slice(6), "base64").toString("utf8").split(":");
      const password = rest.join(":");
      // AWS: with the internal user database off (IAM master), internal users' credentials are rejected.
      if (!this.internalUserDatabase || !user || this.passwords.get(user) !== password) {
        return securityException(401, "Unauthorized");
      }
      return { name: user, kind: "internal", backendRoles: strings(this.users.get(user)?.backend_roles) };
    }
    return securityException(401, "Unauthorized");
  }

  /** Roles mapped to a principal. */
  rolesOf(p: Principal): string[] {
    return [...this.rolesmapping]
      .filter(([, m]) => strings(m.users).includes(p.name) || strings(m.backend_roles).some((r) => p.backendRoles.includes(r)))
      .map(([role]) => role);
  }

  private denied(p: Principal, action: string): [number, JsonObject] {
    return securityException(
      403,
      `no permissions for [${action}] and User [name=${p.name}, backend_roles=[${p.backendRoles.join(", ")}], requestedTenant=null]`,
    );
  }

  /**
   * OpenSearch Dashboards' saved objects API under /_dashboards, as the service proxies it: writes
   * without `osd-xsrf` are refused (400, Dashboards' message); `_import` takes a multipart form
   * whose `file` part must be named *.ndjson, skips empty and summary lines, and without
   * `overwrite=true` reports existing objects as conflicts; only all_access may import here.
   */
  private dashboards(who: Principal, admin: boolean, rec: RecordedRequest, parts: string[], url: URL): [number, unknown] {
    if (rec.method !== "GET" && rec.headers["osd-xsrf"] === undefined && rec.headers["osd-version"] === undefined) {
      return [400, { statusCode: 400, error: "Bad Request", message: "Request must contain a osd-xsrf header." }];
    }
    const tenant = String(rec.headers.securitytenant ?? "(default)");
    const store = this.savedObjects.get(tenant) ?? new Map<string, JsonObject>();
    this.savedObjects.set(tenant, store);
    const route = parts.join("/");
    if (route === "api/saved_objects/_bulk_get" && rec.method === "POST") {
      let wanted: unknown;
      try {
        wanted = JSON.parse(rec.body);
      } catch {
        return [400, { statusCode: 400, error: "Bad Request", message: "Invalid request payload JSON format" }];
      }
      if (!Array.isArray(wanted)) return [400, { statusCode: 400, error: "Bad Request", message: "[request body]: expected value of type [array]" }];
      return [
        200,
        {
          saved_objects: (wanted as JsonObject[]).map((w) => {
            const hit = store.get(`${String(w.type)}/${String(w.id)}`);
            return hit ? structuredClone(hit) : { id: w.id, type: w.type, error: { statusCode: 404, message: "Not found" } };
          }),
        },
      ];
    }
    if (route === "api/saved_objects/_import" && rec.method === "POST") {
      if (!admin) return this.denied(who, "dashboards:saved_objects/import");
      const boundary = /boundary=([^;]+)/.exec(String(rec.headers["content-type"] ?? ""))?.[1];
      if (!String(rec.headers["content-type"] ?? "").startsWith("multipart/form-data") || !boundary) {
        return [415, { statusCode: 415, error: "Unsupported Media Type", message: "Unsupported Media Type" }];
      }
      const part = rec.body.split(`--${boundary}`).find((p) => /name="file"/.test(p));
      const filename = part && /filename="([^"]*)"/.exec(part)?.[1];
      if (!part || filename === undefined) return [400, { statusCode: 400, error: "Bad Request", message: "[request body.file]: expected value of type [Stream] but got [undefined]" }];
      const ext = /(\.[^.]*)$/.exec(filename)?.[1]?.toLowerCase() ?? "";
      if (ext !== ".ndjson") return [400, { statusCode: 400, error: "Bad Request", message: `Invalid file extension ${ext}` }];
      const content = part.slice(part.indexOf("\r\n\r\n") + 4).replace(/\r\n$/, "");
      const overwrite = url.searchParams.get("overwrite") === "true";
      const errors: JsonObject[] = [];
      const successResults: JsonObject[] = [];
      for (const line of content.split("\n").filter((l) => l.trim() !== "")) {
        let o: JsonObject;
        try {
          o = JSON.parse(line) as JsonObject;
        } catch {
          return [400, { statusCode: 400, error: "Bad Request", message: "Unexpected token in JSON" }];
        }
        if ("exportedCount" in o) continue;
        const key = `${String(o.type)}/${String(o.id)}`;
        if (store.has(key) && !overwrite) {
          errors.push({ id: o.id, type: o.type, title: (o.attributes as JsonObject | undefined)?.title, error: { type: "conflict" } });
          continue;
        }
        store.set(key, { id: o.id, type: o.type, attributes: structuredClone(o.attributes), references: structuredClone(o.references ?? []), updated_at: new Date(0).toISOString(), version: "WzEsMV0=" });
        successResults.push({ type: o.type, id: o.id, ...(overwrite ? { overwrite: true } : {}) });
      }
      return [200, errors.length ? { success: false, successCount: successResults.length, successResults, errors } : { success: true, successCount: successResults.length, successResults }];
    }
    return [404, { statusCode: 404, error: "Not Found", message: "Not Found" }];
  }

  private handle(rec: RecordedRequest): [number, unknown] | "hang" {
    const failure = this.scripted(rec);
    if (failure?.hang) return "hang";
    if (failure) return [failure.status, failure.body ?? { error: { type: "scripted_failure", reason: `scripted ${failure.status}` }, status: failure.status }];
    const who = this.authenticate(rec);
    if (Array.isArray(who)) return who;
    const roles = this.rolesOf(who);
    const admin = roles.includes("all_access");

    const url = new URL(rec.path, "http://standin");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts.length === 1 && parts[0] === "_bulk" && rec.method === "POST") return this.bulk(who, roles, rec.body);
    if (parts[0] === "_dashboards") return this.dashboards(who, admin, rec, parts.slice(1), url);

    let body: unknown;
    try {
      body = rec.body ? JSON.parse(rec.body) : undefined;
    } catch {
      return [400, { error: { type: "parse_exception", reason: "body is not JSON" }, status: 400 }];
    }

    if (parts[0] === "_plugins" && parts[1] === "_security") {
      if (parts[2] === "authinfo" && rec.method === "GET") {
        return [200, { user: `User [name=${who.name}]`, user_name: who.name, backend_roles: who.backendRoles, roles, tenants: {} }];
      }
      if (parts[2] === "api" && parts[3] === "account" && rec.method === "PUT") return this.account(who, body);
      if (parts[2] === "api") {
        if (!admin && !roles.includes("security_manager")) return this.denied(who, "restapi:admin/security");
        return this.security(rec.method, parts[3] ?? "", parts[4], body);
      }
    }
    if (!admin) return this.denied(who, `indices:${rec.method === "GET" ? "admin/get" : "admin/create"}`);
    if (parts.length === 1 && parts[0] === "_aliases" && rec.method === "POST") {
      for (const action of (isObject(body) && Array.isArray(body.actions) ? body.actions : []) as JsonObject[]) {
        const add = action.add as JsonObject | undefined;
        if (!add) continue;
        const idx = this.indexes.get(String(add.index));
        if (!idx) return [404, { error: { type: "index_not_found_exception", reason: `no such index [${String(add.index)}]` }, status: 404 }];
        const { index: _i, alias, ...rest } = add;
        idx.aliases[String(alias)] = rest;
      }
      return [200, { acknowledged: true }];
    }
    const name = parts[0];
    if (!name || name.startsWith("_")) return [400, { error: { type: "unsupported", reason: `stand-in does not support ${rec.method} ${url.pathname}` } }];
    const idx = this.indexes.get(name);
    const notFound: [number, unknown] = [
      404,
      { error: { type: "index_not_found_exception", reason: `no such index [${name}]` }, status: 404 },
    ];
    if (parts.length === 1) {
      if (rec.method === "GET") return idx ? [200, { [name]: structuredClone(idx) }] : notFound;
      if (rec.method === "PUT") {
        if (idx) {
          return [400, { error: { type: "resource_already_exists_exception", reason: `index [${name}] already exists` }, status: 400 }];
        }
        const b = isObject(body) ? body : {};
        this.seedIndex(name, {
          settings: isObject(b.settings) ? b.settings : {},
          mappings: isObject(b.mappings) ? b.mappings : {},
          aliases: isObject(b.aliases) ? b.aliases : {},
        });
        return [200, { acknowledged: true, shards_acknowledged: true, index: name }];
      }
    }
    if (parts.length === 2 && parts[1] === "_settings") {
      if (!idx) return notFound;
      if (rec.method === "GET") return [200, { [name]: { settings: structuredClone(idx.settings) } }];
      if (rec.method === "PUT") {
        const entries = flatEntries(isObject(body) ? body : {}).map(([k, v]) => [k.replace(/^index\./, ""), v] as const);
        const fixed = entries.filter(([k]) => STATIC_SETTINGS.test(k)).map(([k]) => `index.${k}`);
        if (fixed.length) {
          const uuid = String((idx.settings.index as JsonObject).uuid);
          return [400, { error: { type: "illegal_argument_exception", reason: `Can't update non dynamic settings [[${fixed.join(", ")}]] for open indices [[${name}/${uuid}]]` }, status: 400 }];
        }
        for (const [k, v] of entries) setPath(idx.settings.index as JsonObject, k, stringLeaves(v));
        return [200, { acknowledged: true }];
      }
    }
    if (parts.length === 2 && parts[1] === "_mapping") {
      if (!idx) return notFound;
      if (rec.method === "GET") return [200, { [name]: { mappings: structuredClone(idx.mappings) } }];
      if (rec.method === "PUT") {
        const props = isObject(body) && isObject(body.properties) ? body.properties : {};
        const copy = structuredClone(idx.mappings);
        if (!isObject(copy.properties)) copy.properties = {};
        const err = mergeProperties(copy.properties as JsonObject, props);
        if (err) return [400, { error: { type: "illegal_argument_exception", reason: err }, status: 400 }];
        idx.mappings = copy;
        return [200, { acknowledged: true }];
      }
    }
    return [405, { error: { type: "unsupported", reason: `stand-in does not support ${rec.method} ${url.pathname}` } }];
  }

  /** `_bulk` index actions, allowed by all_access or a role granting write on the index. */
  private bulk(who: Principal, roles: string[], ndjson: string): [number, unknown] {
    const lines = ndjson.split("\n").filter((l) => l.trim());
    const items: JsonObject[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const action = JSON.parse(lines[i]!) as JsonObject;
      const target = String((action.index as JsonObject | undefined)?._index ?? "");
      const allowed =
        roles.includes("all_access") ||
        roles.some((r) =>
          (this.roles.get(r)?.index_permissions as JsonObject[] | undefined)?.some(
            (p) => strings(p.index_patterns).some((pat) => patternMatches(pat, target)) && strings(p.allowed_actions).some((a) => a === "write" || a === "indices_all"),
          ),
        );
      if (!allowed) return this.denied(who, "indices:data/write/bulk[s]");
      const docs = this.documents.get(target) ?? [];
      docs.push(JSON.parse(lines[i + 1] ?? "{}") as JsonObject);
      this.documents.set(target, docs);
      items.push({ index: { _index: target, result: "created", status: 201 } });
    }
    return [200, { took: 1, errors: false, items }];
  }

  /** A user changes its own password; the current one must be given. */
  private account(who: Principal, body: unknown): [number, unknown] {
    if (who.kind !== "internal") return [400, { status: "BAD_REQUEST", message: "Could not find user." }];
    if (!isObject(body) || typeof body.password !== "string" || typeof body.current_password !== "string") {
      return [400, { status: "BAD_REQUEST", message: "current_password and password are required" }];
    }
    if (this.passwords.get(who.name) !== body.current_password) {
      return [400, { status: "BAD_REQUEST", message: "Could not validate your current password." }];
    }
    this.passwords.set(who.name, body.password);
    return [200, { status: "OK", message: `'${who.name}' updated.` }];
  }

  private security(method: string, kind: string, name: string | undefined, body: unknown): [number, unknown] {
    if (kind === "audit") {
      if (method === "GET" && name === undefined) return [200, { _readonly: ["/audit/exclude_sensitive_headers"], config: structuredClone(this.auditConfig) }];
      if (method === "PUT" && name === "config") {
        if (!isObject(body) || typeof body.enabled !== "boolean" || !isObject(body.audit)) {
          return [400, { status: "BAD_REQUEST", message: "Invalid configuration: enabled and audit are required" }];
        }
        this.auditConfig = structuredClone(body);
        return [200, { status: "OK", message: "'config' updated." }];
      }
    }
    const store = kind === "internalusers" ? this.users : kind === "roles" ? this.roles : kind === "rolesmapping" ? this.rolesmapping : undefined;
    if (!store || !name) return [400, { status: "BAD_REQUEST", message: `unsupported security resource ${kind}` }];
    if (method === "GET") {
      const v = store.get(name);
      return v ? [200, { [name]: structuredClone(v) }] : [404, { status: "NOT_FOUND", message: `Resource '${name}' not found.` }];
    }
    if (method === "PUT") {
      if (!isObject(body)) return [400, { status: "BAD_REQUEST", message: "body required" }];
      const existed = store.has(name);
      if (kind === "internalusers") {
        const { password, ...rest } = body;
        if (typeof password !== "string") return [400, { status: "BAD_REQUEST", message: "password required" }];
        this.passwords.set(name, password);
        // As OpenSearch does: the API returns a (hidden) hash, never the password.
        store.set(name, { hash: "", reserved: false, hidden: false, backend_roles: [], attributes: {}, ...rest });
      } else if (kind === "roles") {
        store.set(name, {
          reserved: false,
          hidden: false,
          cluster_permissions: [],
          tenant_permissions: [],
          ...body,
          index_permissions: (Array.isArray(body.index_permissions) ? body.index_permissions : []).map((p: JsonObject) => ({
            fls: [],
            masked_fields: [],
            ...p,
          })),
        });
      } else {
        store.set(name, { hosts: [], users: [], reserved: false, hidden: false, backend_roles: [], and_backend_roles: [], ...body });
      }
      return [existed ? 200 : 201, { status: existed ? "OK" : "CREATED", message: `'${name}' ${existed ? "updated" : "created"}.` }];
    }
    return [405, { status: "METHOD_NOT_ALLOWED", message: `${method} not supported by the stand-in` }];
  }
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
