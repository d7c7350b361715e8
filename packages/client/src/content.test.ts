import { describe, expect, it } from 'vitest';
import { decodeContent, describeContent, encodeContent, isControlContent, newContent } from './content';
import { ContentError } from './errors';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('message content', () => {
  it('round-trips text and attachment content with a fresh id each', () => {
    const text = newContent({ type: 'text', text: 'hello' });
    expect(decodeContent(encodeContent(text))).toEqual(text);
    expect(newContent({ type: 'text', text: 'hello' }).id).not.toBe(text.id);
    const attachment = newContent({
      type: 'attachment',
      attachment: { attachmentId: 'att_1', key: 'k', iv: 'i', size: 3, name: 'a.txt', type: 'text/plain' },
    });
    expect(decodeContent(encodeContent(attachment))).toEqual(attachment);
    expect(describeContent(attachment)).toBe('[a.txt, 3 bytes]');
  });

  it('round-trips the members’ numbers (contacts), which are not messages to show', () => {
    const contacts = newContent({ type: 'contacts', contacts: [{ accountId: 'acc_1', phoneNumber: '+79001234567' }] });
    expect(decodeContent(encodeContent(contacts))).toEqual(contacts);
    expect(isControlContent(contacts)).toBe(true);
    expect(isControlContent(newContent({ type: 'text', text: 'hi' }))).toBe(false);
  });

  it('refuses anything that is not Signet content, and drops unknown fields', () => {
    for (const bad of [
      'not json',
      bytes(null),
      bytes({ type: 'text', text: 'x', sentAt: 1 }),
      bytes({ id: 'has space', type: 'text', text: 'x', sentAt: 1 }),
      bytes({ id: 'a', type: 'html', html: '<b>', sentAt: 1 }),
      bytes({ id: 'a', type: 'attachment', attachment: { attachmentId: 'x' }, sentAt: 1 }),
      bytes({ id: 'a', type: 'contacts', contacts: [{ accountId: 'acc_1', phoneNumber: '89001234567' }], sentAt: 1 }),
      bytes({ id: 'a', type: 'contacts', contacts: 'acc_1', sentAt: 1 }),
    ]) {
      expect(() => decodeContent(typeof bad === 'string' ? new TextEncoder().encode(bad) : bad)).toThrow(ContentError);
    }
    expect(decodeContent(bytes({ id: 'a', type: 'text', text: 'x', sentAt: 1, extra: true }))).toEqual({
      id: 'a',
      type: 'text',
      text: 'x',
      sentAt: 1,
    });
  });
});
