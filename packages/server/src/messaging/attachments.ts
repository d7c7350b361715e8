import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type Clock, randomId } from '@signet/common';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { MessagingConfig } from '../config/config';
import type { ServerDatabase } from '../db';
import { ApiError, notFound } from '../errors';
import type { IdentificationGate } from '../identification/gate';
import type { Conversations } from './conversations';

/** Where attachment blobs live; local disk by default. */
export interface BlobStore {
  put(id: string, bytes: Buffer): Promise<void>;
  get(id: string): Promise<Readable>;
  delete(id: string): Promise<void>;
}

export class DiskBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  async put(id: string, bytes: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `${id}.part`);
    await writeFile(tmp, bytes);
    await rename(tmp, join(this.dir, id));
  }

  async get(id: string): Promise<Readable> {
    return createReadStream(join(this.dir, id));
  }

  async delete(id: string): Promise<void> {
    await rm(join(this.dir, id), { force: true });
  }
}

/** Encrypted attachments: the client encrypts, the server keeps opaque blobs for a conversation's members. */
export class Attachments {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly config: MessagingConfig,
    private readonly conversations: Conversations,
    private readonly gate: IdentificationGate,
    private readonly store: BlobStore = new DiskBlobStore(config.attachmentsDir),
  ) {}

  async upload(auth: AuthenticatedDevice, conversationId: string, bytes: Buffer) {
    if (bytes.length === 0) throw new ApiError(400, 'INVALID_ARGUMENT', 'the attachment is empty');
    if (bytes.length > this.config.attachmentMaxBytes) {
      throw new ApiError(413, 'TOO_LARGE', `an attachment holds at most ${this.config.attachmentMaxBytes} bytes`);
    }
    // Attachments are part of messages: only identified accounts send or receive them.
    await this.gate.assertCanSend(auth.accountId);
    await this.conversations.requireMember(this.db.db, conversationId, auth.accountId);
    const id = randomId('att');
    await this.store.put(id, bytes);
    await this.db.db
      .insertInto('attachments')
      .values({
        id,
        conversation_id: conversationId,
        uploader_id: auth.accountId,
        size: bytes.length,
        created_at: this.clock.now(),
      })
      .execute();
    return { attachmentId: id, size: bytes.length };
  }

  async download(auth: AuthenticatedDevice, attachmentId: string): Promise<{ size: number; stream: Readable }> {
    const row = await this.db.db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    if (!row) throw notFound('no such attachment');
    if (!(await this.gate.isIdentified(auth.accountId))) {
      throw new ApiError(403, 'NOT_IDENTIFIED', 'your account is not identified, so it cannot receive messages');
    }
    await this.conversations.requireMember(this.db.db, row.conversation_id, auth.accountId);
    return { size: row.size, stream: await this.store.get(attachmentId) };
  }
}
