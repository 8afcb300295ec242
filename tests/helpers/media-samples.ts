import { crc32 } from 'node:zlib';

/**
 * The smallest files whose first bytes are what each post media type's format says (as a sniffer
 * such as file-type reads them), for upload tests. Not playable media: only their signatures are real.
 */
const bytes = (...parts: (string | number[] | Uint8Array)[]): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part as Uint8Array))));

const padding = (n: number) => new Uint8Array(n);

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00], padding(64), [0xff, 0xd9]);
export const GIF = bytes('GIF89a', [0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00], ',', padding(9), [0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]);
const box = (type: string, body: Uint8Array) => {
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length);
  return bytes(size, type, body);
};
export const MP4 = bytes(box('ftyp', bytes('isom', [0, 0, 2, 0], 'isomiso2mp41')), box('free', padding(16)));
export const MOV = bytes(box('ftyp', bytes('qt  ', [0, 0, 2, 0], 'qt  ')), box('wide', padding(8)));
export const MP3 = bytes('ID3', [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], [0xff, 0xfb, 0x90, 0x64], padding(410));
const wavBody = bytes('WAVE', 'fmt ', [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0], 'data', [4, 0, 0, 0], padding(4));
export const WAV = bytes('RIFF', (() => { const b = Buffer.alloc(4); b.writeUInt32LE(wavBody.length); return b; })(), wavBody);
export const PDF = bytes('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A zip with stored (uncompressed) entries, as DOCX's container is. */
function zip(entries: Record<string, string>): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, part) => n + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return bytes(...locals, ...centrals, end);
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const DOCX = zip({
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  'word/document.xml': '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
});

/** Not any media type: an HTML page. */
export const HTML = bytes('<!doctype html><html><body><script>alert(1)</script></body></html>');
