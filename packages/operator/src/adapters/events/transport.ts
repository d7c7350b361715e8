/** What the messenger answered to one delivery attempt. */
export interface TransportAnswer {
  status: number;
  retryAfter?: string | undefined;
}

/**
 * Carries a signed event to a messenger's events endpoint. Throws for a failure without an answer
 * (refused connection, timeout); every such failure is retryable.
 */
export interface EventTransport {
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<TransportAnswer>;
}

/** The real transport, over the platform fetch. */
export function fetchTransport(): EventTransport {
  return {
    async post(url, headers, body, timeoutMs) {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      // Read the answer to the end so the connection can be reused; its content does not matter.
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined };
    },
  };
}
