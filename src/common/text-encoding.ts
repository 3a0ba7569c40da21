/**
 * Which encoding a text table (CSV) is in. Chinese authorities' files come as UTF-8 (with or without a
 * byte-order mark, "CSV UTF-8" in Excel), as GB18030 / GBK / GB2312 (Chinese Excel's plain "CSV"), or as
 * UTF-16 with a byte-order mark (Excel's "Unicode text"). Anything else — Latin-1, Windows-1252,
 * Shift-JIS, Big5, UTF-16 without a mark — is refused rather than guessed: read as GB18030 it would be
 * stored as mojibake (a Latin-1 "Müller" decodes to the valid GBK "M黮ler").
 *
 * GB18030 is told from other 8-bit encodings by its byte structure: every byte above 0x7F must start a
 * valid two- or four-byte sequence, and most of the characters must be the common ones of GB2312 (lead
 * byte A1–A9 or B0–F7, trail byte A1–FE). A Latin-1 or Windows-1252 accent followed by a letter makes a
 * valid pair only in the rare GBK extension area (trail byte below A1), and Shift-JIS kana sit there too;
 * a Chinese list, whose headers, tiers and names are overwhelmingly GB2312 characters, rarely has more
 * than a few per cent of them. The remaining blind spot: text in another double-byte encoding whose
 * bytes happen to fall in GB2312's ranges (EUC-KR Hangul) reads as valid, if meaningless, Chinese.
 */
import fs from 'node:fs';

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'gb18030';

/** The encodings the imports read, for UNSUPPORTED_ENCODING's `accepted` parameter. */
export const READABLE_ENCODINGS = 'UTF-8 (with or without BOM), GB18030/GBK/GB2312, UTF-16 with BOM';

/** More than this share of GB18030's multi-byte characters outside GB2312 means the file is not Chinese GB18030 text. */
const MAX_RARE_SHARE = 0.2;

/** A text file the imports cannot read; `line` is where the first byte that fits no readable encoding is (0 when unknown). */
export type EncodingVerdict = { ok: true; encoding: TextEncoding } | { ok: false; line: number };

/**
 * Counts a byte stream's multi-byte characters as GB18030 would read them: common (GB2312) and rare
 * (the GBK extension areas and four-byte sequences), and the line of the first invalid sequence.
 */
class Gb18030Census {
  common = 0;
  rare = 0;
  invalidLine = 0;
  private line = 1;
  /** Bytes of an unfinished multi-byte sequence (0 when none): lead, then second, then third. */
  private lead = 0;
  private second = 0;
  private third = 0;

  push(chunk: Buffer): void {
    for (let i = 0; i < chunk.length && !this.invalidLine; i++) this.byte(chunk[i]);
  }

  end(): void {
    if (this.lead && !this.invalidLine) this.invalidLine = this.line;
  }

  private byte(b: number): void {
    if (this.lead === 0) {
      if (b < 0x80) {
        if (b === 0x0a) this.line++;
      } else if (b === 0x80 || b === 0xff) this.invalidLine = this.line;
      else this.lead = b;
      return;
    }
    if (this.second === 0) {
      if ((b >= 0x40 && b <= 0x7e) || (b >= 0x80 && b <= 0xfe)) {
        const gb2312 = ((this.lead >= 0xa1 && this.lead <= 0xa9) || (this.lead >= 0xb0 && this.lead <= 0xf7)) && b >= 0xa1;
        if (gb2312) this.common++;
        else this.rare++;
        this.lead = 0;
      } else if (b >= 0x30 && b <= 0x39) this.second = b;
      else this.invalidLine = this.line;
      return;
    }
    if (this.third === 0) {
      if (b >= 0x81 && b <= 0xfe) this.third = b;
      else this.invalidLine = this.line;
      return;
    }
    if (b >= 0x30 && b <= 0x39) this.rare++;
    else this.invalidLine = this.line;
    this.lead = this.second = this.third = 0;
  }
}

/** Many NUL bytes in the first kilobytes: UTF-16 (or UTF-32) saved without its byte-order mark, or not text at all. */
function looksLikeWideText(head: Buffer): boolean {
  let zeros = 0;
  for (const b of head) if (b === 0) zeros++;
  return head.length > 0 && zeros * 8 > head.length;
}

/**
 * UTF-16 when the file starts with its byte-order mark; UTF-8 when the whole file is valid UTF-8;
 * GB18030 when the whole file is well-formed GB18030 made mostly of GB2312 characters; otherwise not
 * readable. One pass over the file.
 */
export async function encodingOf(path: string, head: Buffer): Promise<EncodingVerdict> {
  if (head[0] === 0xff && head[1] === 0xfe) return { ok: true, encoding: 'utf16le' };
  if (head[0] === 0xfe && head[1] === 0xff) return { ok: true, encoding: 'utf16be' };
  if (looksLikeWideText(head)) return { ok: false, line: 1 };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let utf8 = true;
  const census = new Gb18030Census();
  for await (const chunk of fs.createReadStream(path)) {
    if (utf8) {
      try {
        decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        utf8 = false;
      }
    }
    census.push(chunk as Buffer);
  }
  if (utf8) {
    try {
      decoder.decode();
      return { ok: true, encoding: 'utf8' };
    } catch {
      // A file cut in the middle of a UTF-8 sequence: try GB18030.
    }
  }
  census.end();
  if (census.invalidLine) return { ok: false, line: census.invalidLine };
  if (census.rare > MAX_RARE_SHARE * (census.common + census.rare)) return { ok: false, line: 0 };
  return { ok: true, encoding: 'gb18030' };
}
