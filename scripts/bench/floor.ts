/**
 * The floor of reading an .xlsx (issue 12), run as its own process: read the file, open it with
 * the zip library the reader uses (JSZip), inflate every sheet part as a stream and scan its XML
 * bytes once counting cells (`<c ` / `<c>` start tags). Prints the count.
 */
import * as fs from 'fs';
import JSZip from 'jszip';

interface ZipStream {
  on(ev: string, f: (x?: never) => void): ZipStream;
  resume(): ZipStream;
}

function countCells(entry: JSZip.JSZipObject): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    let prevLt = false;
    const s = (entry as unknown as { internalStream(t: 'uint8array'): ZipStream }).internalStream('uint8array');
    s.on('data', ((chunk: Uint8Array) => {
      // A `<` at the end of the previous chunk followed by `c` at the start of this one.
      if (prevLt && chunk[0] === 0x63 && (chunk[1] === 0x20 || chunk[1] === 0x3e)) n++;
      for (let i = chunk.indexOf(0x3c); i !== -1; i = chunk.indexOf(0x3c, i + 1)) {
        if (chunk[i + 1] === 0x63 && (chunk[i + 2] === 0x20 || chunk[i + 2] === 0x3e)) n++;
      }
      prevLt = chunk[chunk.length - 1] === 0x3c;
    }) as never)
      .on('error', reject as never)
      .on('end', (() => resolve(n)) as never)
      .resume();
  });
}

async function main(): Promise<void> {
  const zip = await JSZip.loadAsync(fs.readFileSync(process.argv[2]), { checkCRC32: false });
  let cells = 0;
  for (const e of Object.values(zip.files)) if (!e.dir && /^xl\/worksheets\/[^/]+\.xml$/.test(e.name)) cells += await countCells(e);
  console.log(cells);
}

main().catch((e) => { console.error(e); process.exit(1); });
