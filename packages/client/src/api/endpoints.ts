import type {
  Account,
  AccountCredentials,
  AccountRestrictionList,
  AttachmentStored,
  BlockList,
  ClaimedKeyPackages,
  Conversation,
  DeviceCredential,
  DeviceList,
  DevSmsList,
  IdentificationStatus,
  KeyPackageStock,
  LookupResult,
  MessageAccepted,
  PasswordLoginStarted,
  PasswordSetupStarted,
  Register,
  Registered,
  Reidentify,
  SendMessage,
  ServerKeys,
  UploadKeyPackages,
  VerificationSession,
} from '@signet/protocol';
import type { HttpClient } from './http-client';

const enc = encodeURIComponent;

/** Every endpoint of the messenger API as a typed function. */
export class SignetApi {
  constructor(readonly http: HttpClient) {}

  // Registration
  startVerification = (phoneNumber: string) =>
    this.http.json<VerificationSession>('POST', '/v1/verification/sessions', { phoneNumber });
  verifyCode = (sessionId: string, code: string) =>
    this.http.json<VerificationSession>('POST', `/v1/verification/sessions/${enc(sessionId)}/verify`, { code });
  resendCode = (sessionId: string) =>
    this.http.json<VerificationSession>('POST', `/v1/verification/sessions/${enc(sessionId)}/resend`);
  verification = (sessionId: string) =>
    this.http.json<VerificationSession>('GET', `/v1/verification/sessions/${enc(sessionId)}`);
  startPasswordLogin = (verificationSessionId: string, startLoginRequest: string) =>
    this.http.json<PasswordLoginStarted>('POST', '/v1/registration/password-login', {
      verificationSessionId,
      startLoginRequest,
    });
  register = (input: Register) => this.http.json<Registered>('POST', '/v1/registration', input);

  // Account, devices, password
  account = () => this.http.json<Account>('GET', '/v1/account');
  deleteAccount = () => this.http.json<void>('DELETE', '/v1/account');
  devices = () => this.http.json<DeviceList>('GET', '/v1/devices');
  revokeDevice = (deviceId: string) => this.http.json<void>('DELETE', `/v1/devices/${enc(deviceId)}`);
  logout = () => this.http.json<void>('DELETE', '/v1/session');
  startPasswordSetup = (registrationRequest: string) =>
    this.http.json<PasswordSetupStarted>('POST', '/v1/account/password/setup', { registrationRequest });
  finishPasswordSetup = (registrationRecord: string) =>
    this.http.json<void>('PUT', '/v1/account/password', { registrationRecord });
  removePassword = () => this.http.json<void>('DELETE', '/v1/account/password');
  /** The restriction orders this account was told of (what, on what legal basis, until when), newest first. */
  restrictions = () => this.http.json<AccountRestrictionList>('GET', '/v1/account/restrictions');

  // Identification
  identification = () => this.http.json<IdentificationStatus>('GET', '/v1/identification');
  retryIdentification = (input: Reidentify) =>
    this.http.json<IdentificationStatus>('POST', '/v1/identification/retry', input);

  // Keys
  requestCredential = (signatureKey: string) =>
    this.http.json<DeviceCredential>('PUT', '/v1/keys/credential', { signatureKey });
  serverKeys = () => this.http.json<ServerKeys>('GET', '/v1/keys/server');
  accountCredentials = (accountId: string) =>
    this.http.json<AccountCredentials>('GET', `/v1/keys/credentials/${enc(accountId)}`);
  uploadKeyPackages = (input: UploadKeyPackages) => this.http.json<KeyPackageStock>('POST', '/v1/keys/packages', input);
  keyPackageStock = () => this.http.json<KeyPackageStock>('GET', '/v1/keys/packages');
  claimKeyPackages = (accountId: string) => this.http.json<ClaimedKeyPackages>('POST', '/v1/keys/claim', { accountId });

  // Users, conversations, messages
  lookup = (phoneNumber: string) => this.http.json<LookupResult>('POST', '/v1/users/lookup', { phoneNumber });
  createConversation = (conversationId: string, kind: 'direct' | 'group') =>
    this.http.json<Conversation>('POST', '/v1/conversations', { conversationId, kind });
  conversations = () => this.http.json<{ conversations: Conversation[] }>('GET', '/v1/conversations');
  conversation = (id: string) => this.http.json<Conversation>('GET', `/v1/conversations/${enc(id)}`);
  send = (conversationId: string, message: SendMessage) =>
    this.http.json<MessageAccepted>('POST', `/v1/conversations/${enc(conversationId)}/messages`, message);

  // Blocks
  block = (accountId: string) => this.http.json<void>('PUT', `/v1/blocks/${enc(accountId)}`);
  unblock = (accountId: string) => this.http.json<void>('DELETE', `/v1/blocks/${enc(accountId)}`);
  blocks = () => this.http.json<BlockList>('GET', '/v1/blocks');

  // Attachments
  uploadAttachment = async (conversationId: string, bytes: Uint8Array) =>
    JSON.parse(
      new TextDecoder().decode(
        await this.http.bytes('POST', `/v1/attachments?conversationId=${enc(conversationId)}`, bytes),
      ),
    ) as AttachmentStored;
  downloadAttachment = (attachmentId: string) => this.http.bytes('GET', `/v1/attachments/${enc(attachmentId)}`);

  // Development servers only: the SMS sink.
  devSms = (phoneNumber?: string) =>
    this.http.json<DevSmsList>('GET', `/v1/dev/sms${phoneNumber ? `?phoneNumber=${enc(phoneNumber)}` : ''}`);
}
