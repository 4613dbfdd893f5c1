// A whole file's bytes, opened as every file of ours is: never through a link, only the user's own (openPrivate).
import { openPrivate } from "../storage/privateFile.ts";

export async function readPrivateBytes(file: string): Promise<Buffer> {
  const fh = await openPrivate(file, "r");
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}
