// Whether the environment asks for encryption at rest, told without loading age: the recorder asks it after every seal
// (autoCompact.ts), and its imports stay few.

/** The comma-separated entries of a list setting. */
export function listOf(text: string | undefined): string[] {
  return (text ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/** Whether sealed sessions are to be encrypted: SHEARWATER_ENCRYPT_TO, SHEARWATER_PASSPHRASE_FILE or SHEARWATER_PASSPHRASE. */
export function encryptionInEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return listOf(env.SHEARWATER_ENCRYPT_TO).length > 0 || !!env.SHEARWATER_PASSPHRASE_FILE || !!env.SHEARWATER_PASSPHRASE;
}

/** Whether any setting of encryption at rest is there, the reading key's included: what is to be checked at start. */
export function atRestSettingsInEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return encryptionInEnvironment(env) || !!env.SHEARWATER_AGE_IDENTITY;
}
