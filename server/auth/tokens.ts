import { createHash, randomBytes } from 'node:crypto';

/** Session tokens start with `u_`, device tokens with `d_`, so one lookup finds either. */
export const newToken = (kind: 'u' | 'd') => `${kind}_${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
