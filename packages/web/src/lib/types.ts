import type { Register } from '@signet/protocol';

export type PasswordProof = NonNullable<Register['password']>;
