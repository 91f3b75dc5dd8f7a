/** Requests to a running API over real HTTP, answering status, parsed body and headers. */
export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

export function apiCaller(base: string) {
  return async function call(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body, text, headers: res.headers };
  };
}

/** Polls until `accept` holds or the deadline passes; returns the last value and when it was accepted (ms). */
export async function pollUntil<T>(probe: () => Promise<T>, accept: (v: T) => boolean, deadlineMs: number, everyMs = 100): Promise<{ value: T; afterMs: number; accepted: boolean }> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return { value, afterMs: Date.now() - start, accepted: true };
    if (Date.now() - start > deadlineMs) return { value, afterMs: Date.now() - start, accepted: false };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
