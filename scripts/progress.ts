/** A progress line for the import commands: bar, count, percentage, rate and time left. */
export function progressBar(done: number, total: number, started: number): string {
  const seconds = (Date.now() - started) / 1000;
  const rate = done / Math.max(seconds, 0.001);
  const left = rate > 0 ? Math.ceil((total - done) / rate) : 0;
  const width = 30;
  const filled = total ? Math.round((width * done) / total) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${total ? Math.floor((100 * done) / total) : 100}% ${rate.toFixed(1)}/s, ${left}s left`;
}
