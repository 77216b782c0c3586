/**
 * Draws Tandem's icon set (two people side by side in a rounded square) as PNG files, so the
 * packaged app and the tray have icons without an image editor in the build: `build/icon.png`
 * (1024 px; electron-builder derives the macOS .icns and Windows .ico from it), `build/icons/`
 * (the Linux sizes), and the tray images in `resources/` (`trayTemplate*.png` are macOS template
 * images: black on transparent, tinted by the system). Run with `npx tsx scripts/make-icons.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const ROOT = join(import.meta.dirname, '..');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** An RGBA image as a PNG file. */
function png(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

type Shape = (x: number, y: number) => number;
const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r;
const roundedSquare =
  (inset: number, r: number): Shape =>
  (x, y) => {
    const dx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - r), 0);
    const dy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - r), 0);
    return Math.hypot(dx, dy) - r;
  };
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));

/** Two heads and shoulders, side by side. */
const people = union(circle(0.37, 0.4, 0.1), circle(0.63, 0.4, 0.1), circle(0.37, 0.78, 0.2), circle(0.63, 0.78, 0.2));
/** The people clipped to the tile, so the shoulders end at its edge. */
const peopleInTile: Shape = (x, y) => Math.max(people(x, y), roundedSquare(0.06, 0.18)(x, y));

function draw(size: number, layers: { shape: Shape; color: [number, number, number] }[]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const { shape, color } of layers) {
        // Coverage from the distance to the edge, one pixel wide: smooth edges at every size.
        const cover = Math.min(1, Math.max(0, 0.5 - shape((px + 0.5) / size, (py + 0.5) / size) * size));
        r = r * (1 - cover) + color[0] * cover;
        g = g * (1 - cover) + color[1] * cover;
        b = b * (1 - cover) + color[2] * cover;
        a = a * (1 - cover) + 255 * cover;
      }
      out.set([r, g, b, a].map(Math.round), (py * size + px) * 4);
    }
  }
  return out;
}

const ACCENT: [number, number, number] = [0x34, 0x51, 0xb2];
const WHITE: [number, number, number] = [255, 255, 255];
const colour = (size: number) =>
  draw(size, [
    { shape: roundedSquare(0.06, 0.18), color: ACCENT },
    { shape: peopleInTile, color: WHITE },
  ]);
const template = (size: number) => draw(size, [{ shape: people, color: [0, 0, 0] }]);

const write = (path: string, data: Buffer) => {
  mkdirSync(join(ROOT, path, '..'), { recursive: true });
  writeFileSync(join(ROOT, path), data);
};
write('build/icon.png', png(1024, colour(1024)));
for (const size of [16, 32, 48, 64, 128, 256, 512]) write(`build/icons/${size}x${size}.png`, png(size, colour(size)));
write('resources/tray.png', png(32, colour(32)));
write('resources/trayTemplate.png', png(16, template(16)));
write('resources/trayTemplate@2x.png', png(32, template(32)));
