import {
  type CiphersuiteImpl,
  type ClientConfig,
  defaultKeyPackageEqualityConfig,
  defaultKeyRetentionConfig,
  defaultLifetimeConfig,
  defaultPaddingConfig,
} from 'ts-mls';
import { loadCipherSuite } from './cipher-suite';
import { type CredentialValidator, toAuthenticationService } from './credential-validator';
import type { ServerExternalSender } from './external-sender';

/** What every group operation of one device needs; built once per device and passed in. */
export interface MlsContext {
  cipherSuite: CiphersuiteImpl;
  validator: CredentialValidator;
  /** The server as external sender: put in every group we create, required in every group we join. */
  server: ServerExternalSender;
  /** ts-mls's configuration, with `validator` as its Authentication Service. Not serialised with state. */
  clientConfig: ClientConfig;
}

export interface MlsContextOptions {
  validator: CredentialValidator;
  server: ServerExternalSender;
  cipherSuite?: CiphersuiteImpl;
}

export async function createMlsContext(options: MlsContextOptions): Promise<MlsContext> {
  return {
    cipherSuite: options.cipherSuite ?? (await loadCipherSuite()),
    validator: options.validator,
    server: options.server,
    clientConfig: {
      // ts-mls defaults: keys of the 4 previous epochs kept for late application messages, 10 skipped
      // generations per sender, 200 forward ratchet steps at most; padding to 256 bytes.
      keyRetentionConfig: defaultKeyRetentionConfig,
      lifetimeConfig: defaultLifetimeConfig,
      keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
      paddingConfig: defaultPaddingConfig,
      authService: toAuthenticationService(options.validator),
    },
  };
}
