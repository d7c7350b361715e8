import type { MessageContent } from '@signet/client';
import { useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { ErrorNotice } from '../components/notice';
import { formatSize } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useChat } from './chat-context';
import { bytesToDataUrl, isShownInline, saveFile } from './files';

type AttachmentContent = Extract<MessageContent, { type: 'attachment' }>;

/** A file in a message: fetched and decrypted only when asked; pictures are shown, other files saved. */
export function AttachmentBody({ content }: { content: AttachmentContent }) {
  const { state } = useChat();
  const { attachment } = content;
  const [shown, setShown] = useState<string>();
  const opening = useAction();
  const inline = isShownInline(attachment.type);

  const open = () =>
    void opening.run(async () => {
      const bytes = await state.client.attachments.download(attachment);
      if (inline) setShown(await bytesToDataUrl(bytes, attachment.type));
      else saveFile(bytes, attachment.name, attachment.type);
    });

  return (
    <div className="attachment">
      <p className="attachment-name">
        {attachment.name} <span className="hint">{formatSize(attachment.size)}</span>
      </p>
      {shown ? (
        <>
          <img className="attachment-image" src={shown} alt={attachment.name} />
          <a className="button button-link" href={shown} download={attachment.name}>
            Save {attachment.name}
          </a>
        </>
      ) : (
        <BusyButton
          type="button"
          variant="secondary"
          busy={opening.busy}
          busyLabel="Decrypting…"
          onClick={open}
          aria-label={`${inline ? 'Show' : 'Download'} ${attachment.name}`}
        >
          {inline ? 'Show picture' : 'Download'}
        </BusyButton>
      )}
      {content.caption && <p className="message-text">{content.caption}</p>}
      <ErrorNotice error={opening.error} />
    </div>
  );
}
