import { AuthoritySigner, type SignOptions } from '@signet/client/authority';
import type { AuthorityRole } from '@signet/protocol';
import { type ApiResponse, apiResponse, type TestServer } from './harness';

export interface TestAuthority {
  id: string;
  privateKey: string;
  signer: AuthoritySigner;
}

/** An authority made as `signet authority create` makes one, with a signer for its key. */
export async function createAuthority(
  t: TestServer,
  roles: AuthorityRole[],
  name = 'Test authority',
): Promise<TestAuthority> {
  const { authority, privateKey } = await t.ctx.authority.admin.create({ name, roles, by: 'test-admin' });
  return {
    id: authority.id,
    privateKey,
    signer: await AuthoritySigner.fromCredential({ authorityId: authority.id, privateKey }),
  };
}

export interface SignedOptions extends SignOptions {
  /** Send this body instead of the one signed. */
  sendBody?: string;
  /** Send to this target instead of the one signed. */
  sendTarget?: string;
  sendMethod?: string;
  /** Change the signed headers before sending. */
  headers?: (h: Record<string, string>) => Record<string, string>;
}

/** A request signed by the authority at the server's (manual) clock, unless told otherwise. */
export async function signedRequest(
  t: TestServer,
  signer: AuthoritySigner,
  method: string,
  target: string,
  body?: unknown,
  options: SignedOptions = {},
): Promise<ApiResponse> {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  let headers: Record<string, string> = {
    ...(await signer.sign(method, target, text, {
      now: options.now ?? t.clock.now(),
      ...(options.nonce ? { nonce: options.nonce } : {}),
    })),
  };
  if (text !== undefined || options.sendBody !== undefined) headers['content-type'] = 'application/json';
  if (options.headers) headers = options.headers(headers);
  return send(t, options.sendMethod ?? method, options.sendTarget ?? target, headers, options.sendBody ?? text);
}

export async function send(
  t: TestServer,
  method: string,
  target: string,
  headers: Record<string, string>,
  body?: string,
): Promise<ApiResponse> {
  return apiResponse(await fetch(t.url + target, { method, headers, body }));
}

export const legalBasis = {
  reference: 'Court order 2-1234/2026 of 1 November 2026, District Court',
  text: 'Article 13 of the law on information: identification data of the subscriber named in the order',
};
