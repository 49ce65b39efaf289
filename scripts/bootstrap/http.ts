/**
 * A small SigV4-signing OpenSearch REST client with per-request timeouts and bounded retries.
 *
 * Every request is signed for service `es` with the plan's region (the domain uses fine-grained
 * access control with an IAM master user, so the signature is the authentication).
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export interface TransportRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Connect timeout and response timeout, each. */
  readonly timeoutMs: number;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends one HTTP request. Rejects with a TransportError for network-level failures. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export type TransportFailure = "connect" | "timeout" | "reset";

/** A network-level failure: `connect` = never connected, `timeout` = no response in time, `reset` = dropped. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(
    readonly kind: TransportFailure,
    message: string,
  ) {
    super(message);
  }
}

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
    readonly responseBody: string,
    readonly attempts: number,
  ) {
    super(describeStatus(method, path, status, responseBody, attempts));
  }
}

const CONNECT_ERRORS = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL"]);
const RESET_ERRORS = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"]);

/** Node http(s) transport: one connection per request, no keep-alive (a CLI should exit promptly). */
export const nodeTransport: Transport = (req) =>
  new Promise<TransportResponse>((resolve, reject) => {
    const lib = req.url.protocol === "http:" ? http : https;
    let connected = false;
    let settled = false;
    const finish = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(responseTimer);
        fn();
      }
    };
    let responseTimer: NodeJS.Timeout | undefined;
    const r = lib.request(
      req.url,
      { method: req.method, headers: req.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          finish(() =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
          ),
        );
        res.on("error", (e) => finish(() => reject(new TransportError("reset", e.message))));
      },
    );
    const connectTimer = setTimeout(() => {
      if (!connected) {
        finish(() => reject(new TransportError("connect", `no connection within ${req.timeoutMs} ms`)));
        r.destroy();
      }
    }, req.timeoutMs);
    r.on("socket", (socket) => {
      const onConnect = (): void => {
        connected = true;
        clearTimeout(connectTimer);
        responseTimer = setTimeout(() => {
          finish(() => reject(new TransportError("timeout", `no response within ${req.timeoutMs} ms`)));
          r.destroy();
        }, req.timeoutMs);
      };
      // "secureConnect" would be more precise for TLS, but "connect" is what tells a VPN problem apart.
      if ((socket as { connecting?: boolean }).connecting) socket.once("connect", onConnect);
      else onConnect();
    });
    r.on("error", (e: NodeJS.ErrnoException) => {
      const code = e.code ?? "";
      if (!connected || CONNECT_ERRORS.has(code)) {
        finish(() => reject(new TransportError("connect", `${code || e.message}`)));
      } else if (RESET_ERRORS.has(code) || /socket hang up/i.test(e.message)) {
        finish(() => reject(new TransportError("reset", code || e.message)));
      } else {
        finish(() => reject(new TransportError("reset", e.message)));
      }
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });

export interface RetryPolicy {
  /** Total attempts per request, including the first. @default 5 */
  readonly attempts: number;
  /** First backoff ceiling; doubles each attempt (full jitter). @default 250 */
  readonly baseDelayMs: number;
  /** Cap of one backoff. @default 4000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 4000 };

export interface OpenSearchClientOptions {
  /** e.g. `https://vpc-x.ap-southeast-2.es.amazonaws.com` or, for tests, `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly transport: Transport;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Progress notes (retries) go here; never request bodies. */
  readonly note: (line: string) => void;
}

export interface OsResponse {
  readonly status: number;
  /** Parsed JSON body, or undefined when the body was empty or not JSON. */
  readonly json: unknown;
  readonly body: string;
}

export interface RequestOptions {
  /** Statuses that are an answer, not a failure (e.g. 404 for "does it exist?"). */
  readonly accept?: readonly number[];
}

export class OpenSearchClient {
  private readonly signer: SignatureV4;
  private readonly base: URL;

  constructor(private readonly opts: OpenSearchClientOptions) {
    this.base = new URL(opts.baseUrl);
    this.signer = new SignatureV4({ service: "es", region: opts.region, credentials: opts.credentials, sha256: Sha256 });
  }

  /** The address shown to the user. */
  get displayUrl(): string {
    return this.base.origin;
  }

  async request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<OsResponse> {
    const url = new URL(path, this.base);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const { attempts, baseDelayMs, maxDelayMs } = this.opts.retry;
    for (let attempt = 1; ; attempt++) {
      const headers = await this.sign(method, url, text);
      let res: TransportResponse;
      try {
        res = await this.opts.transport({ url, method, headers, body: text, timeoutMs: this.opts.timeoutMs });
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (err.kind === "connect") {
          const seconds = Math.round(this.opts.timeoutMs / 100) / 10;
          throw new UnreachableError(
            `cannot reach ${this.displayUrl} within ${seconds}s — is the VPN connected? (${err.message})`,
          );
        }
        // A reset is safe to retry; a response timeout only for reads (a write may have happened).
        const retryable = err.kind === "reset" || method === "GET" || method === "HEAD";
        if (!retryable || attempt >= attempts) {
          throw new Error(`${method} ${url.pathname} failed after ${attempt} attempt(s): ${err.message}`);
        }
        await this.backoff(attempt, `${method} ${url.pathname}: ${err.message}`, baseDelayMs, maxDelayMs);
        continue;
      }
      const ok = (res.status >= 200 && res.status < 300) || (options.accept ?? []).includes(res.status);
      if (ok) return { status: res.status, json: parseJson(res.body), body: res.body };
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= attempts) {
        throw new HttpStatusError(method, url.pathname, res.status, res.body, attempt);
      }
      await this.backoff(attempt, `${method} ${url.pathname}: HTTP ${res.status}`, baseDelayMs, maxDelayMs);
    }
  }

  private async backoff(attempt: number, why: string, baseDelayMs: number, maxDelayMs: number): Promise<void> {
    // Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(attempt-1))].
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.round(this.opts.random() * ceiling);
    this.opts.note(`retrying ${why} (attempt ${attempt + 1}/${this.opts.retry.attempts} in ${delay} ms)`);
    await this.opts.sleep(delay);
  }

  private async sign(method: string, url: URL, body: string | undefined): Promise<Record<string, string>> {
    const payloadHash = createHash("sha256").update(body ?? "", "utf8").digest("hex");
    const headers: Record<string, string> = {
      host: url.host,
      "x-amz-content-sha256": payloadHash,
    };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(body, "utf8"));
    }
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const request = new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers,
      body,
    });
    const signed = await this.signer.sign(request, { signingDate: this.opts.now() });
    return signed.headers as Record<string, string>;
  }
}

function parseJson(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function describeStatus(method: string, path: string, status: number, body: string, attempts: number): string {
  const reason = errorReason(body);
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  let hint = "";
  if (status === 401 || status === 403) {
    hint = " (are your AWS credentials those of the domain's IAM master user?)";
  }
  return `${method} ${path} returned HTTP ${status}${tries}${reason ? `: ${reason}` : ""}${hint}`;
}

/** A short reason from an OpenSearch error body: `error.type: error.reason`, or `message`. */
export function errorReason(body: string): string {
  const json = parseJson(body) as
    | { error?: { type?: string; reason?: string } | string; message?: string; Message?: string }
    | undefined;
  if (json && typeof json === "object") {
    if (typeof json.error === "object" && json.error) {
      return [json.error.type, json.error.reason].filter(Boolean).join(": ");
    }
    if (typeof json.error === "string") return json.error;
    if (typeof json.message === "string") return json.message;
    if (typeof json.Message === "string") return json.Message;
  }
  return body.slice(0, 200);
}
