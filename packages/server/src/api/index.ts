import type { RouteDef } from '../http/route';
import { deleteAccount } from './account/delete-account';
import { getAccount } from './account/get-account';
import { finishPasswordSetup, removePassword, startPasswordSetup } from './account/password';
import { downloadAttachment, uploadAttachment } from './attachments/attachments';
import { createDataRequest } from './authority/create-data-request';
import { authorityMe } from './authority/me';
import { blockAccount, listBlocks, unblockAccount } from './blocks/blocks';
import {
  createChannel,
  followChannel,
  followedChannels,
  getChannel,
  markChannelRead,
  searchChannels,
  unfollowChannel,
} from './channels/channels';
import { createChannelPost, deleteChannelPost, listChannelPosts } from './channels/posts';
import { createConversation, getConversation, listConversations } from './conversations/conversations';
import { sendMessage } from './conversations/send-message';
import { listSms } from './dev/list-sms';
import { listDevices } from './devices/list-devices';
import { logout } from './devices/logout';
import { revokeDevice } from './devices/revoke-device';
import { health } from './health/health';
import { getIdentification } from './identification/get-status';
import { reidentify } from './identification/reidentify';
import { accountCredentials } from './keys/account-credentials';
import { requestCredential, serverKeys } from './keys/credential';
import { claimKeyPackages, keyPackageStock, uploadKeyPackages } from './keys/key-packages';
import { register } from './registration/register';
import { startPasswordLogin } from './registration/start-password-login';
import { lookupUser } from './users/lookup';
import { createSession } from './verification/create-session';
import { getSession } from './verification/get-session';
import { resendCode } from './verification/resend-code';
import { submitCode } from './verification/submit-code';

/** Every endpoint of the messenger API. */
export const routes: RouteDef[] = [
  health,
  createSession,
  getSession,
  resendCode,
  submitCode,
  startPasswordLogin,
  register,
  getAccount,
  deleteAccount,
  startPasswordSetup,
  finishPasswordSetup,
  removePassword,
  listDevices,
  revokeDevice,
  logout,
  getIdentification,
  reidentify,
  requestCredential,
  serverKeys,
  accountCredentials,
  uploadKeyPackages,
  keyPackageStock,
  claimKeyPackages,
  lookupUser,
  createConversation,
  listConversations,
  getConversation,
  sendMessage,
  blockAccount,
  unblockAccount,
  listBlocks,
  uploadAttachment,
  downloadAttachment,
  createChannel,
  searchChannels,
  followedChannels,
  getChannel,
  followChannel,
  unfollowChannel,
  markChannelRead,
  createChannelPost,
  listChannelPosts,
  deleteChannelPost,
  listSms,
  authorityMe,
  createDataRequest,
];
