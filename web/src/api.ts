// The public API as the pages use it: a bearer token kept for the browser tab, problem details as errors, and the
// live event stream read with fetch (EventSource cannot send the token), resumed with Last-Event-ID.

export interface Problem {
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  constructor(public readonly status: number, public readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface Claims {
  id: string;
  name: string;
  unitId: string | null;
  roles: string[];
}

const tokenKey = "motcua.token";
const refreshKey = "motcua.refresh";

interface TokenAnswer {
  accessToken: string;
  refreshToken?: string;
}

function payloadOf(token: string): { exp?: number; sub: string; name?: string; unit?: string; role?: string | string[] } {
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));
}

function hold(answer: TokenAnswer): void {
  sessionStorage.setItem(tokenKey, answer.accessToken);
  if (answer.refreshToken) sessionStorage.setItem(refreshKey, answer.refreshToken);
}

export const session = {
  token: (): string | null => sessionStorage.getItem(tokenKey),
  clear: (): void => {
    sessionStorage.removeItem(tokenKey);
    sessionStorage.removeItem(refreshKey);
  },
  /** The signed-in official, while the access token lasts or a refresh token can renew it. */
  claims(): Claims | null {
    const token = this.token();
    if (!token) return null;
    const payload = payloadOf(token);
    if (payload.exp && payload.exp * 1000 < Date.now() && !sessionStorage.getItem(refreshKey)) return null;
    const roles = payload.role ?? [];
    return { id: payload.sub, name: payload.name ?? "", unitId: payload.unit ?? null, roles: Array.isArray(roles) ? roles : [roles] };
  },
};

export async function login(username: string, password: string): Promise<void> {
  hold(await request<TokenAnswer>("/api/auth/token", { method: "POST", body: { username, password }, anonymous: true }));
}

let renewing: Promise<string | null> | null = null;

/**
 * Access tokens last minutes: the refresh token trades for a new pair, once however many requests ask at the same
 * time. Null only when the session is over (a 401: ended, or the account's access changed), and the page asks for a
 * log-in again. A refresh that could not be done (throttled, Personnel restarting, the network) keeps the token held,
 * to be tried again with the next request.
 */
function renew(): Promise<string | null> {
  renewing ??= (async () => {
    const refreshToken = sessionStorage.getItem(refreshKey);
    if (!refreshToken) return null;
    try {
      const response = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify({ refreshToken }),
      });
      if (response.status === 401) return null;
      if (response.ok) hold((await response.json()) as TokenAnswer);
    } catch {
      // The network: keep what we hold.
    }
    return session.token();
  })().finally(() => (renewing = null));
  return renewing;
}

/** The access token to send, renewed first when it ends within a minute. */
async function currentToken(): Promise<string | null> {
  const token = session.token();
  if (!token) return null;
  const exp = payloadOf(token).exp;
  return exp && exp * 1000 - Date.now() < 60_000 ? renew() : token;
}

interface Options {
  method?: string;
  body?: unknown;
  accept?: string;
  anonymous?: boolean;
}

async function send(path: string, options: Options): Promise<Response> {
  const attempt = async (token: string | null): Promise<Response> => {
    const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
    if (token && !options.anonymous) headers.Authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(path, { method: options.method ?? "GET", headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  };
  let response = await attempt(options.anonymous ? null : await currentToken());
  if (response.status === 401 && !options.anonymous) {
    // Refused early (the access changed, or the clocks differ): one renewal, then a fresh log-in.
    const renewed = await renew();
    if (renewed) response = await attempt(renewed);
    if (response.status === 401 && renewed === null) {
      session.clear();
      location.reload();
    }
  }
  if (!response.ok) {
    const problem = (response.headers.get("Content-Type") ?? "").includes("json") ? ((await response.json()) as Problem) : { title: response.statusText };
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function request<T>(path: string, options: Options = {}): Promise<T> {
  const response = await send(path, options);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A printable document (control sheet, apology letter) fetched with the token, as a blob URL. */
export async function documentUrl(path: string, accept = "text/html"): Promise<string> {
  const response = await send(path, { accept });
  return URL.createObjectURL(await response.blob());
}

export type StreamState = "live" | "reconnecting";

/**
 * Follows <c>/api/events/stream?unitId=</c>: calls <paramref name="onEvent"/> for each event and reconnects by itself
 * after a drop, sending the last event id it saw so nothing in between is missed.
 */
export function follow(unitId: string, onEvent: (name: string, data: unknown) => void, onState: (state: StreamState) => void): () => void {
  let lastId: string | null = null;
  let stopped = false;
  let controller = new AbortController();
  const run = async (): Promise<void> => {
    let delay = 500;
    while (!stopped) {
      try {
        controller = new AbortController();
        const headers: Record<string, string> = { Accept: "text/event-stream", Authorization: `Bearer ${await currentToken()}` };
        if (lastId) headers["Last-Event-ID"] = lastId;
        const response = await fetch(`/api/events/stream?unitId=${unitId}`, { headers, signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
        onState("live");
        delay = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = "message";
            let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event:")) name = line.slice(6).trim();
              else if (line.startsWith("data:")) data += line.slice(5).trim();
              else if (line.startsWith("id:")) lastId = line.slice(3).trim();
            }
            if (data) onEvent(name, JSON.parse(data));
          }
        }
      } catch {
        if (stopped) return;
      }
      onState("reconnecting");
      await new Promise((resume) => setTimeout(resume, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
