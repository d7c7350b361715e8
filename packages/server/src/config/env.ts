/** Step one of configuration: the flat SIGNET_* variables, read once. Nothing else reads process.env. */
export type EnvValues = Readonly<Record<string, string>>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvValues {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('SIGNET_') && value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
