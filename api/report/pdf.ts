/**
 * The layout every Redress report PDF shares (pdfkit, no browser): A4 landscape, a title block, tables whose
 * header row repeats on every page they run onto, charts drawn as vectors, and "page n of N" with the report's
 * name in every footer. Text uses the PDF standard fonts, which cover English and Kiswahili.
 */
import PDFDocument from 'pdfkit';

export type Pdf = PDFKit.PDFDocument;

export interface Column {
  header: string;
  /** Points, or '*' to share what is left. */
  width: number | '*';
  align?: 'left' | 'right';
}

const MARGIN = 36;
const ROW_HEIGHT = 15;
const FONT_SIZE = 8;
const FOOTER_SPACE = 24;

export function newReport(meta: { title: string; subject: string; lang: 'en' | 'sw' }): { doc: Pdf; finish(footer: string, pageWord: { page: string; of: string }): Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE }, bufferPages: true,
    info: { Title: meta.title, Subject: meta.subject, Author: 'Redress', Creator: 'Redress (pdfkit)' }, lang: meta.lang, displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return {
    doc,
    async finish(footer, words) {
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        const bottom = doc.page.margins.bottom;
        doc.page.margins.bottom = 0; // the footer sits in the margin; without this pdfkit would start a new page
        doc.font('Helvetica').fontSize(7).fillColor('#444444')
          .text(`${footer} — ${words.page} ${i + 1} ${words.of} ${range.count}`, MARGIN, doc.page.height - MARGIN - 8, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
        doc.page.margins.bottom = bottom;
      }
      doc.fillColor('black');
      doc.end();
      return done;
    },
  };
}

export function heading(doc: Pdf, text: string, size = 14): void {
  ensureSpace(doc, size * 3);
  doc.x = MARGIN;
  doc.font('Helvetica-Bold').fontSize(size).fillColor('black').text(text, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

export function paragraph(doc: Pdf, text: string, size = 9): void {
  doc.x = MARGIN;
  doc.font('Helvetica').fontSize(size).fillColor('black').text(text, { width: contentWidth(doc) });
  doc.moveDown(0.4);
}

export const contentWidth = (doc: Pdf) => doc.page.width - 2 * MARGIN;
const pageBottom = (doc: Pdf) => doc.page.height - doc.page.margins.bottom;

export function ensureSpace(doc: Pdf, height: number): void {
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

/**
 * A table of one-line cells (long text ends in an ellipsis rather than growing the row). When it runs past the page,
 * it continues on the next one under the same header. `emphasise` rows (totals) are bold on a grey ground.
 */
export function table(doc: Pdf, columns: Column[], rows: string[][], opts: { emphasise?: (row: number) => boolean } = {}): void {
  const header = columns.map((c) => c.header);
  const style = (i: number) => ({
    width: columns[i]!.width, align: { x: columns[i]!.align ?? 'left', y: 'center' as const },
    textOptions: { lineBreak: false, ellipsis: true },
  });
  let next = 0;
  do {
    ensureSpace(doc, ROW_HEIGHT * 2 + 4);
    const fit = Math.max(1, Math.floor((pageBottom(doc) - doc.y) / ROW_HEIGHT) - 1);
    const chunk = rows.slice(next, next + fit);
    const first = next;
    doc.x = MARGIN;
    doc.font('Helvetica').fontSize(FONT_SIZE).fillColor('black');
    doc.table({
      position: { x: MARGIN, y: doc.y }, maxWidth: contentWidth(doc),
      columnStyles: columns.map((_, i) => style(i)),
      rowStyles: (r: number) => ({
        height: ROW_HEIGHT, borderColor: '#999999', border: 0.5,
        ...(r === 0 || opts.emphasise?.(first + r - 1) ? { backgroundColor: '#e6e6e6' } : {}),
      }),
      data: [header.map((h) => ({ text: h, type: 'TH' as const, font: { src: 'Helvetica-Bold' } })),
        ...chunk.map((cells, r) => cells.map((text) => (opts.emphasise?.(first + r) ? { text, font: { src: 'Helvetica-Bold' } } : { text })))],
    });
    next += chunk.length;
    if (next < rows.length) doc.addPage();
  } while (next < rows.length);
  doc.x = MARGIN;
  doc.moveDown(0.6);
}

export interface ChartPoint {
  label: string;
  value: number | null;
  /** Shown above the bar, e.g. "64.0%" or "withheld". */
  caption: string;
}

/** A bar chart of a trend, with a dashed target line if there is one. Missing values leave a gap with their caption. */
export function barChart(doc: Pdf, points: ChartPoint[], opts: { target: number | null; width?: number; height?: number; max?: number }): void {
  const width = opts.width ?? 420;
  const height = opts.height ?? 110;
  ensureSpace(doc, height + 30);
  const x0 = MARGIN + 30;
  const y0 = doc.y + 12;
  const values = points.map((p) => p.value ?? 0);
  const max = opts.max ?? Math.max(1, ...values, opts.target ?? 0) * 1.1;
  const slot = width / Math.max(1, points.length);
  const scale = (v: number) => (height * v) / max;
  doc.save().lineWidth(0.5).strokeColor('#333333').moveTo(x0, y0).lineTo(x0, y0 + height).lineTo(x0 + width, y0 + height).stroke().restore();
  points.forEach((p, i) => {
    const x = x0 + i * slot + slot * 0.15;
    const h = p.value === null ? 0 : scale(p.value);
    if (p.value !== null) doc.save().rect(x, y0 + height - h, slot * 0.7, h).fill('#3b6ea5').restore();
    doc.font('Helvetica').fontSize(6.5).fillColor('black')
      .text(p.caption, x - slot * 0.1, y0 + height - h - 9, { width: slot * 0.9, align: 'center', lineBreak: false })
      .text(p.label, x - slot * 0.1, y0 + height + 3, { width: slot * 0.9, align: 'center', lineBreak: false });
  });
  if (opts.target !== null) {
    const ty = y0 + height - scale(opts.target);
    doc.save().lineWidth(0.8).strokeColor('#b03030').dash(3, { space: 2 }).moveTo(x0, ty).lineTo(x0 + width, ty).stroke().undash().restore();
  }
  doc.x = MARGIN;
  doc.y = y0 + height + 16;
  doc.fillColor('black');
}
