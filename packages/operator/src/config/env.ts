/** Step one of configuration: the flat SIGNET_OPERATOR_* variables, read once. Nothing else reads process.env. */
export type OperatorEnv = Readonly<Record<string, string>>;

export function readOperatorEnv(env: NodeJS.ProcessEnv = process.env): OperatorEnv {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('SIGNET_OPERATOR_') && value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
