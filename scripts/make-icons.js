#!/usr/bin/env node
/**
 * Draws the add-in icons (assets/icon-16/32/64/80.png): a yellow lightning bolt on EVN blue, a
 * rounded square. No dependencies: a tiny rasteriser (4×4 supersampling) and a PNG encoder on
 * zlib. Deterministic output; the PNGs are committed, run `node scripts/make-icons.js` to redraw.
 */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZES = [16, 32, 64, 80];
const BLUE = [0, 84, 166]; // EVN blue
const YELLOW = [255, 204, 0];
const RADIUS = 0.18; // corner radius, fraction of the side
const BOLT = [
  [0.5, 0.08], [0.27, 0.55], [0.47, 0.55], [0.37, 0.93], [0.75, 0.4], [0.55, 0.4], [0.71, 0.08],
];

function inBolt(x, y) {
  let inside = false;
  for (let i = 0, j = BOLT.length - 1; i < BOLT.length; j = i++) {
    const [xi, yi] = BOLT[i];
    const [xj, yj] = BOLT[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inRoundedSquare(x, y) {
  const r = RADIUS;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function render(size) {
  const SS = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let bolt = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const x = (px + (sx + 0.5) / SS) / size;
          const y = (py + (sy + 0.5) / SS) / size;
          if (!inRoundedSquare(x, y)) continue;
          if (inBolt(x, y)) bolt++;
          else bg++;
        }
      }
      const cover = bg + bolt;
      const o = (py * size + px) * 4;
      if (cover === 0) continue;
      for (let k = 0; k < 3; k++) rgba[o + k] = Math.round((BLUE[k] * bg + YELLOW[k] * bolt) / cover);
      rgba[o + 3] = Math.round((255 * cover) / (SS * SS));
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '..', 'assets');
  fs.mkdirSync(dir, { recursive: true });
  for (const s of SIZES) {
    const file = path.join(dir, `icon-${s}.png`);
    fs.writeFileSync(file, png(s, render(s)));
    console.log(`wrote ${path.relative(process.cwd(), file)} (${s}×${s})`);
  }
}

module.exports = { SIZES, render, png };
