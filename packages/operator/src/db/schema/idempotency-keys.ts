/** A webhook-id a messenger used on a POST that was acted on, with its body digest and the answer given (spec 2). */
export interface IdempotencyKeysTable {
  messenger_id: string;
  webhook_id: string;
  body_digest: string;
  status: number;
  response_body: string;
  created_at: number;
}
