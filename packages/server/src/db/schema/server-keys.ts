/** Secrets the server makes for itself on first start and shares between nodes through the database. */
export interface ServerKeysTable {
  name: string;
  value: string;
  created_at: number;
}
