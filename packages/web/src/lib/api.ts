import { HttpClient, SignetApi } from '@signet/client';

/** The messenger that serves this page is the one the app talks to. */
export function createApi(token?: string): SignetApi {
  return new SignetApi(new HttpClient({ baseUrl: window.location.origin, token }));
}
