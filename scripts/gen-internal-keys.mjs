// Prints a fresh Ed25519 key pair for the internal context token, as the two env lines the
// gateway (private) and the services (public set) read. See docs/security.md.
import { generateKeyPairSync, randomUUID } from 'node:crypto';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const kid = `k-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
const priv = { ...privateKey.export({ format: 'jwk' }), kid };
const pub = { ...publicKey.export({ format: 'jwk' }), kid };
console.log(`INTERNAL_TOKEN_PRIVATE_KEY='${JSON.stringify(priv)}'`);
console.log(`INTERNAL_TOKEN_PUBLIC_KEYS='${JSON.stringify([pub])}'`);
