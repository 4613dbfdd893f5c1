// The export formats: Markdown and HTML show messages (events are not conversation); JSONL gives every record.
import type { MessageRecord } from "../record.ts";
import type { Redactor } from "./redact.ts";

export interface ExportFormat {
  head(title: string): string;
  message(rec: MessageRecord, redactor: Redactor | null): string;
  tail(): string;
}

export const EXPORT_FORMATS = ["md", "html", "jsonl"] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];
