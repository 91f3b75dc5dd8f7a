/**
 * Temporal failures carry a message and a stack trace, which can say what a step was refused for or what a mail
 * server answered. With encodeCommonAttributes both move into a payload, which the payload codec encrypts like any
 * other (worker/payload-codec.ts); the history shows only "Encoded failure". Loaded by path: workers load it
 * themselves, and workflow bundles must be built with it (failureConverterPath).
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
