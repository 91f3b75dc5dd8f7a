/** A Temporal logger that keeps errors only: for the SDK runtime and the workflow bundler in tests, bench and scripts. */
const noop = () => undefined;
export const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };
