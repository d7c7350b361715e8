import type { SignetApi } from '@signet/client';
import type { PasswordProof } from './types';

/** The OPAQUE client runs as WebAssembly: load it only when a password is needed. */
async function loadOpaque() {
  const opaque = await import('@serenity-kit/opaque');
  await opaque.ready;
  return opaque;
}

/** The password does not open this number's account. */
export class WrongPasswordError extends Error {
  override name = 'WrongPasswordError';
}

/** Proves the registration-lock password on a verified session; the server never sees the password. */
export async function passwordProof(
  api: SignetApi,
  verificationSessionId: string,
  password: string,
): Promise<PasswordProof> {
  const opaque = await loadOpaque();
  const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password });
  const started = await api.startPasswordLogin(verificationSessionId, startLoginRequest);
  const finished = opaque.client.finishLogin({ clientLoginState, loginResponse: started.loginResponse, password });
  if (!finished) throw new WrongPasswordError('wrong password');
  return { loginId: started.loginId, finishLoginRequest: finished.finishLoginRequest };
}

/** Sets or changes the account's password (OPAQUE registration). */
export async function setPassword(api: SignetApi, password: string): Promise<void> {
  const opaque = await loadOpaque();
  const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({ password });
  const { registrationResponse } = await api.startPasswordSetup(registrationRequest);
  const { registrationRecord } = opaque.client.finishRegistration({
    clientRegistrationState,
    registrationResponse,
    password,
  });
  await api.finishPasswordSetup(registrationRecord);
}
