// Runs before any application code in the browser: zod must be configured before the first
// schema is built (see lib/zod-config.ts).
import './lib/zod-config';
