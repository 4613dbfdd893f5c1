// What readers use of an open session file: positioned reads and its size. A FileHandle of a plain file is one; a
// compressed session (compressedSession.ts) is one too, giving the bytes of the plain file it was made from.
export interface ByteSource {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
  /** The offset just past each newline, when the source knows them without reading its bytes (a compressed session
   * records them): a line index is then built at once. */
  lineEnds?(): Promise<Float64Array | null>;
}
