/**
 * Text of a PDF, page by page, with Mozilla's PDF.js (pdfjs-dist 3, the last release with a CommonJS build that jest
 * can load without experimental ESM flags). Opening the file is itself the test that the PDF is well formed.
 */
import { join } from 'node:path';

interface TextItem { str: string }
interface PdfJs {
  getDocument(src: object): { promise: Promise<{ numPages: number; getPage(n: number): Promise<{ getTextContent(): Promise<{ items: TextItem[] }> }>; getMetadata(): Promise<{ info: Record<string, unknown> }>; destroy(): Promise<void> }> };
  VerbosityLevel: { ERRORS: number };
}

/** PDF.js warns on load that it cannot draw without the canvas package; text extraction needs no drawing. */
function load(): PdfJs {
  const log = console.log;
  console.log = (...args: unknown[]) => { if (!/Cannot polyfill/.test(String(args[0]))) log(...args); };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('pdfjs-dist/legacy/build/pdf.js') as PdfJs;
  } finally {
    console.log = log;
  }
}
const pdfjs = load();

export async function pdfText(data: Uint8Array): Promise<{ pages: string[]; info: Record<string, unknown> }> {
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(data), verbosity: pdfjs.VerbosityLevel.ERRORS, isEvalSupported: false, disableFontFace: true,
    standardFontDataUrl: `${join(require.resolve('pdfjs-dist/package.json'), '..', 'standard_fonts')}/`,
  }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((i) => i.str).join(' ').replace(/\s+/g, ' '));
    }
    return { pages, info: (await doc.getMetadata()).info };
  } finally {
    await doc.destroy();
  }
}
