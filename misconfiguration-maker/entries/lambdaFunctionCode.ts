/**
 * The maker's Lambda deployment package, built in memory: a zip archive
 * (stored, not compressed) holding one `index.mjs` whose handler returns
 * 'ok'. Deterministic bytes, so re-running the maker uploads the same code.
 */
import { crc32 } from 'node:zlib';

export const MAKER_HANDLER = 'index.handler';
const FILE_NAME = 'index.mjs';
const SOURCE = "export const handler = async () => 'ok';\n";

/** 1980-01-01 00:00 in MS-DOS format, the zip epoch. */
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1;
/** Made by Unix, so the file keeps rw-r--r-- (Lambda must be able to read it). */
const MADE_BY_UNIX = (3 << 8) | 20;
const UNIX_FILE_MODE = 0o100644;

/** What the local and the central header both hold, from "version needed" to "file name length". */
function writeFileFields(header: Buffer, at: number, checksum: number, size: number, nameLength: number): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(0, at + 2);
  header.writeUInt16LE(0, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(checksum, at + 10);
  header.writeUInt32LE(size, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

/** A zip archive with one stored (uncompressed) file. */
export function zipOneFile(name: string, content: string): Uint8Array {
  const nameBytes = Buffer.from(name, 'utf8');
  const data = Buffer.from(content, 'utf8');
  const checksum = crc32(data);

  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  writeFileFields(local, 4, checksum, data.length, nameBytes.length);
  local.writeUInt16LE(0, 28);

  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(MADE_BY_UNIX, 4);
  writeFileFields(central, 6, checksum, data.length, nameBytes.length);
  // extra length, comment length, disk number, internal attributes: 0
  central.writeUInt32LE((UNIX_FILE_MODE << 16) >>> 0, 38);
  central.writeUInt32LE(0, 42);

  const centralOffset = local.length + nameBytes.length + data.length;
  const centralSize = central.length + nameBytes.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);

  return new Uint8Array(Buffer.concat([local, nameBytes, data, central, nameBytes, end]));
}

/** The package: `index.mjs`, `export const handler = async () => 'ok'`. */
export function makerFunctionPackage(): Uint8Array {
  return zipOneFile(FILE_NAME, SOURCE);
}
