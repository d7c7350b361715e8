/** Said wherever public channels are shown: unlike chats, they are readable by anyone and stored in the clear. */
export function PublicMark() {
  return (
    <p className="public-mark">
      <span className="badge badge-public">Public — not end-to-end encrypted</span> Anyone signed in to Signet can read
      it, and the server stores it in the clear.
    </p>
  );
}
