import { z } from 'zod';

/**
 * zod 4 probes `new Function('')` to decide whether to compile fast parsers; under the app's
 * CSP (no 'unsafe-eval') that probe is blocked and reported as a CSP violation on every page.
 * jitless skips the probe and uses the interpreter, which is plenty for our payloads. zod reads
 * the flag when a schema is built, so this is imported first, from instrumentation-client.ts.
 */
z.config({ jitless: true });
