import type { RouteDef } from '../http/route';
import { deleteAccount } from './account/delete-account';
import { getAccount } from './account/get-account';
import { finishPasswordSetup, removePassword, startPasswordSetup } from './account/password';
import { accountRestrictions } from './account/restrictions';
import { downloadAttachment, uploadAttachment } from './attachments/attachments';
import { createDataRequest } from './authority/create-data-request';
import { createRestrictionOrder } from './authority/create-order';
import { getRestrictionOrder } from './authority/get-order';
import { listRestrictionOrders } from './authority/list-orders';
import { getMailing, listMailings, sendMailing, withdrawMailing } from './authority/mailings';
import { authorityMe } from './authority/me';
import { revokeRestrictionOrder } from './authority/revoke-order';
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
import { listNotices, markNoticesRead, muteNotices, noticeAuthority, noticeState } from './notices/notices';
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
  accountRestrictions,
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
  listNotices,
  noticeState,
  markNoticesRead,
  muteNotices,
  noticeAuthority,
  listSms,
  authorityMe,
  createDataRequest,
  createRestrictionOrder,
  listRestrictionOrders,
  getRestrictionOrder,
  revokeRestrictionOrder,
  sendMailing,
  listMailings,
  getMailing,
  withdrawMailing,
];
