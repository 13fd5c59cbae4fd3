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

/** A zip archive with one stored (uncompressed) file. */
export function zipOneFile(name: string, content: string): Uint8Array {
  const nameBytes = Buffer.from(name, 'utf8');
  const data = Buffer.from(content, 'utf8');
  const checksum = crc32(data);

  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0, 6);
  local.writeUInt16LE(0, 8);
  local.writeUInt16LE(DOS_TIME, 10);
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt32LE(checksum, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);

  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(MADE_BY_UNIX, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt16LE(DOS_TIME, 12);
  central.writeUInt16LE(DOS_DATE, 14);
  central.writeUInt32LE(checksum, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
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
