/**
 * OpenSearch REST calls through the official client (`@opensearch-project/opensearch`), with the
 * behaviour users rely on layered on top: bounded retries with backoff on 429 and 5xx, one clear
 * "is the VPN connected?" error when the domain cannot be reached, and messages that never carry a
 * request body (passwords travel in some of them).
 *
 * Two ways to sign in, per request:
 * - IAM (default): SigV4 for service `es` with the plan's region (the client's `AwsSigv4Signer`),
 *   credentials from the AWS SDK chain. Works once the identity is mapped as a backend role.
 * - HTTP basic auth as an internal user (the break-glass master, to map those backend roles and
 *   manage internal users; a user checking its own password).
 */
import { Client, errors } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/aws";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** The endpoint cannot be reached at all: stops the whole run (nothing else can work). */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
}

/** A non-2xx answer (after retries where they apply). The message never includes the request body. */
export class HttpStatusError extends Error {
  override readonly name = "HttpStatusError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly responseBody: unknown,
    readonly attempts: number,
    readonly auth: "iam" | "basic",
  ) {
    super(describeStatus(method, path, status, responseBody, attempts, auth));
  }
}

export interface RetryPolicy {
  /** Total attempts per request, including the first. @default 5 */
  readonly attempts: number;
  /** First backoff ceiling; doubles each attempt (full jitter). @default 250 */
  readonly baseDelayMs: number;
  /** Cap of one backoff. @default 4000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 4000 };

export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

export interface OpenSearchClientOptions {
  /** e.g. `https://vpc-x.ap-southeast-2.es.amazonaws.com` or, for tests, `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Timeout of each request (connect and response). */
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Progress notes (retries) go here; never request bodies. */
  readonly note: (line: string) => void;
}

export interface OsResponse {
  readonly status: number;
  /** Parsed JSON body, or undefined when the body was empty or not JSON. */
  readonly json: unknown;
}

export interface RequestOptions {
  /** Statuses that are an answer, not a failure (e.g. 404 for "does it exist?"). */
  readonly accept?: readonly number[];
  /** Sign in as this internal user instead of with IAM. */
  readonly basic?: BasicAuth;
  /** Extra request headers (e.g. Dashboards' `osd-xsrf`, a multipart content-type). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Something that sends requests: the client itself (IAM), or a view of it signed in as one user. */
export interface Requester {
  request(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<OsResponse>;
}

/** Every status the client should hand back instead of throwing: this layer decides. */
const ALL_ERROR_STATUSES = Array.from({ length: 200 }, (_, i) => 400 + i);

export class OpenSearchClient implements Requester {
  private readonly iam: Client;
  private readonly basicClients = new Map<string, Client>();
  /** Whether the endpoint has answered anything yet: a timeout before that means "unreachable". */
  private answered = false;

  constructor(private readonly opts: OpenSearchClientOptions) {
    const credentials = opts.credentials;
    this.iam = new Client({
      node: opts.baseUrl,
      maxRetries: 0,
      requestTimeout: opts.timeoutMs,
      ...AwsSigv4Signer({
        region: opts.region,
        service: "es",
        getCredentials: async () => (typeof credentials === "function" ? credentials() : credentials),
      }),
    });
  }

  /** The address shown to the user. */
  get displayUrl(): string {
    return new URL(this.opts.baseUrl).origin;
  }

  private client(basic?: BasicAuth): Client {
    if (!basic) return this.iam;
    const key = `${basic.username}\u0000${basic.password}`;
    let c = this.basicClients.get(key);
    if (!c) {
      c = new Client({ node: this.opts.baseUrl, maxRetries: 0, requestTimeout: this.opts.timeoutMs, auth: { ...basic } });
      this.basicClients.set(key, c);
    }
    return c;
  }

  async request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<OsResponse> {
    const { attempts, baseDelayMs, maxDelayMs } = this.opts.retry;
    const client = this.client(options.basic);
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let json: unknown;
      try {
        const res = await client.transport.request(
          { method, path, ...(body === undefined ? {} : { body: body as Record<string, unknown> }) },
          { ignore: ALL_ERROR_STATUSES, maxRetries: 0, ...(options.headers ? { headers: { ...options.headers } } : {}) },
        );
        status = res.statusCode ?? 0;
        json = typeof res.body === "string" ? parseJson(res.body) : res.body;
        this.answered = true;
      } catch (err) {
        const seconds = Math.round(this.opts.timeoutMs / 100) / 10;
        if (err instanceof errors.ConnectionError && !this.answered) {
          throw new UnreachableError(`cannot reach ${this.displayUrl} within ${seconds}s — is the VPN connected? (${firstLine(err)})`, { cause: err });
        }
        if (err instanceof errors.TimeoutError && !this.answered) {
          throw new UnreachableError(`cannot reach ${this.displayUrl} within ${seconds}s — is the VPN connected? (no answer)`, { cause: err });
        }
        const timeout = err instanceof errors.TimeoutError;
        if (!timeout && !(err instanceof errors.ConnectionError)) {
          // e.g. the credential chain failing inside the signer
          throw new Error(`${method} ${path} failed: ${firstLine(err)}`, { cause: err });
        }
        // A dropped connection is safe to retry; a response timeout only for reads (a write may have happened).
        const what = timeout ? `no response within ${this.opts.timeoutMs} ms` : firstLine(err);
        const retryable = !timeout || method === "GET" || method === "HEAD";
        if (!retryable || attempt >= attempts) {
          throw new Error(`${method} ${path} failed after ${attempt} attempt(s): ${what}`, { cause: err });
        }
        await this.backoff(attempt, `${method} ${path}: ${what}`, baseDelayMs, maxDelayMs);
        continue;
      }
      const ok = (status >= 200 && status < 300) || (options.accept ?? []).includes(status);
      if (ok) return { status, json };
      const retryable = status === 429 || status >= 500;
      if (!retryable || attempt >= attempts) {
        throw new HttpStatusError(method, path, status, json, attempt, options.basic ? "basic" : "iam");
      }
      await this.backoff(attempt, `${method} ${path}: HTTP ${status}`, baseDelayMs, maxDelayMs);
    }
  }

  /** Requests as this internal user (or with IAM when undefined). */
  as(basic: BasicAuth | undefined): Requester {
    return { request: (method, path, body, options = {}) => this.request(method, path, body, { ...options, basic: options.basic ?? basic }) };
  }

  /**
   * Poll `check` with the retry policy's backoff until it holds (e.g. a role mapping reaching every
   * node). False when it never did within the policy's attempts.
   */
  async waitFor(check: () => Promise<boolean>, what: string): Promise<boolean> {
    const { attempts, baseDelayMs, maxDelayMs } = this.opts.retry;
    for (let attempt = 1; ; attempt++) {
      if (await check()) return true;
      if (attempt >= attempts) return false;
      await this.backoff(attempt, `waiting for ${what}`, baseDelayMs, maxDelayMs);
    }
  }

  /** Let the process exit: close every client's keep-alive connections. */
  async close(): Promise<void> {
    await Promise.all([this.iam, ...this.basicClients.values()].map((c) => c.close()));
  }

  private async backoff(attempt: number, why: string, baseDelayMs: number, maxDelayMs: number): Promise<void> {
    // Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(attempt-1))].
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.round(this.opts.random() * ceiling);
    this.opts.note(`retrying ${why} (attempt ${attempt + 1}/${this.opts.retry.attempts} in ${delay} ms)`);
    await this.opts.sleep(delay);
  }
}

function firstLine(err: unknown): string {
  const e = err as { message?: string };
  return (e?.message ?? String(err)).split("\n")[0] ?? "";
}

function parseJson(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function describeStatus(method: string, path: string, status: number, body: unknown, attempts: number, auth: "iam" | "basic"): string {
  const reason = errorReason(body);
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  let hint = "";
  if (status === 401 && auth === "basic") hint = " (wrong password, or the domain's internal user database is off)";
  else if (auth === "iam" && /security token|signature/i.test(reason)) hint = " (your AWS credentials are not valid here: sign in to AWS again)";
  else if (status === 401 || status === 403) {
    hint =
      auth === "iam"
        ? " (is your IAM role mapped? the bootstrap maps the identity that runs it and opensearch.access.admin_roles to all_access)"
        : " (the internal user lacks the permission)";
  }
  return `${method} ${path} returned HTTP ${status}${tries}${reason ? `: ${reason}` : ""}${hint}`;
}

/** A short reason from an OpenSearch error body: `error.type: error.reason`, or `message`. */
export function errorReason(body: unknown): string {
  if (body && typeof body === "object") {
    const json = body as { error?: { type?: string; reason?: string } | string; message?: string; Message?: string };
    if (typeof json.error === "object" && json.error) {
      return [json.error.type, json.error.reason].filter(Boolean).join(": ");
    }
    if (typeof json.error === "string") return json.error;
    if (typeof json.message === "string") return json.message;
    if (typeof json.Message === "string") return json.Message;
  }
  return typeof body === "string" ? body.slice(0, 200) : "";
}
