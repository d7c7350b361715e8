/** Keys the service generates for itself on first start (the key that authenticates reconciliation cursors). */
export interface OperatorKeysTable {
  name: string;
  value: string;
  created_at: number;
}
