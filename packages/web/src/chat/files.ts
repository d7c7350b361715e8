/** Pictures the app shows in the conversation; anything else is saved as a file. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The largest file the server takes (its default limit, less the 16 bytes that encryption adds). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024 - 16;

export function isShownInline(type: string): boolean {
  return INLINE_TYPES.has(type);
}

/** The page's content-security policy allows `data:` images (not `blob:`). */
export function bytesToDataUrl(bytes: Uint8Array, type: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  });
}

/** Hands decrypted bytes to the browser's downloads. */
export function saveFile(bytes: Uint8Array, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
