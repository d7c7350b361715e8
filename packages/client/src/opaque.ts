import type { SignetApi } from './api/endpoints';
import { WrongPasswordError } from './errors';

/** OPAQUE is WebAssembly: loaded on first use, so that a browser app that never needs a password never fetches it. */
async function loadOpaque() {
  const opaque = await import('@serenity-kit/opaque');
  await opaque.ready;
  return opaque;
}

/** Proof of the registration-lock password for a verified number: OPAQUE, so the server never sees it. */
export async function passwordProof(
  api: SignetApi,
  verificationSessionId: string,
  password: string,
): Promise<{ loginId: string; finishLoginRequest: string }> {
  const opaque = await loadOpaque();
  const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password });
  const started = await api.startPasswordLogin(verificationSessionId, startLoginRequest);
  const finished = opaque.client.finishLogin({ clientLoginState, loginResponse: started.loginResponse, password });
  // A wrong password makes the client unable to finish; the server never learns why.
  if (!finished) throw new WrongPasswordError();
  return { loginId: started.loginId, finishLoginRequest: finished.finishLoginRequest };
}

/** Sets (or changes) the account's registration-lock password. */
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
