/**
 * A local, in-memory stand-in for the parts of the OpenSearch REST API the bootstrap CLI uses
 * (indexes, _mapping, _aliases, _plugins/_security/api/{internalusers,roles,rolesmapping}).
 * It is NOT OpenSearch: there is no real OpenSearch on these machines. It records every request
 * and can be scripted to fail. It listens on 127.0.0.1 on a random port.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

type Json = Record<string, unknown>;

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
}

export interface IndexState {
  settings: Json;
  mappings: Json;
  aliases: Json;
}

const WRITE_METHODS = new Set(["PUT", "POST", "DELETE", "PATCH"]);

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Merge new properties into existing ones; a changed type is rejected as OpenSearch does. */
function mergeProperties(existing: Json, added: Json, path = ""): string | undefined {
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
      const err = mergeProperties(old.properties as Json, def.properties, here);
      if (err) return err;
    }
  }
  return undefined;
}

export class OpenSearchStandin {
  readonly requests: RecordedRequest[] = [];
  readonly indexes = new Map<string, IndexState>();
  readonly users = new Map<string, Json>();
  readonly roles = new Map<string, Json>();
  readonly rolesmapping = new Map<string, Json>();
  /** Passwords as set through PUT internalusers (real OpenSearch keeps only a hash; tests need the value). */
  readonly passwords = new Map<string, string>();
  readonly failures: ScriptedFailure[] = [];
  private server?: http.Server;

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

  /** Seed an index as if it existed before the run. */
  seedIndex(name: string, state: Partial<IndexState>): void {
    this.indexes.set(name, {
      settings: structuredClone(state.settings ?? {}),
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
        const [status, body] = this.handle(rec);
        const text = body === undefined ? "" : JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
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
        (!x.path || (typeof x.path === "string" ? x.path === rec.path : x.path.test(rec.path))),
    );
    if (f) f.times--;
    return f;
  }

  private handle(rec: RecordedRequest): [number, unknown] {
    const failure = this.scripted(rec);
    if (failure) return [failure.status, failure.body ?? { error: { type: "scripted_failure", reason: `scripted ${failure.status}` }, status: failure.status }];
    // FGAC with IAM: unsigned requests are rejected.
    if (!String(rec.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ")) {
      return [403, { message: "missing SigV4 Authorization header" }];
    }
    let body: unknown;
    try {
      body = rec.body ? JSON.parse(rec.body) : undefined;
    } catch {
      return [400, { error: { type: "parse_exception", reason: "body is not JSON" }, status: 400 }];
    }
    const url = new URL(rec.path, "http://standin");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);

    if (parts[0] === "_plugins" && parts[1] === "_security" && parts[2] === "api") {
      return this.security(rec.method, parts[3] ?? "", parts[4], body);
    }
    if (parts.length === 1 && parts[0] === "_aliases" && rec.method === "POST") {
      for (const action of (isObject(body) && Array.isArray(body.actions) ? body.actions : []) as Json[]) {
        const add = action.add as Json | undefined;
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
    if (parts.length === 2 && parts[1] === "_mapping") {
      if (!idx) return notFound;
      if (rec.method === "GET") return [200, { [name]: { mappings: structuredClone(idx.mappings) } }];
      if (rec.method === "PUT") {
        const props = isObject(body) && isObject(body.properties) ? body.properties : {};
        const copy = structuredClone(idx.mappings);
        if (!isObject(copy.properties)) copy.properties = {};
        const err = mergeProperties(copy.properties as Json, props);
        if (err) return [400, { error: { type: "illegal_argument_exception", reason: err }, status: 400 }];
        idx.mappings = copy;
        return [200, { acknowledged: true }];
      }
    }
    return [405, { error: { type: "unsupported", reason: `stand-in does not support ${rec.method} ${url.pathname}` } }];
  }

  private security(method: string, kind: string, name: string | undefined, body: unknown): [number, unknown] {
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
          index_permissions: (Array.isArray(body.index_permissions) ? body.index_permissions : []).map((p: Json) => ({
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
