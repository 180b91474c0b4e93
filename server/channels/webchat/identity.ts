// Identity verification for the host site's signed-in users (as Intercom's): the site's server signs the
// user id with IDENTITY_VERIFICATION_SECRET (hex HMAC-SHA256) and the page passes { id, hash } to the chat.
// Only a valid signature links a conversation to that user's customer record; typed contact details never do.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type UserVerification = { verified: true; userId: string } | { verified: false; statusCode: 400 | 403; message: string };

export function signUserId(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

export function verifyUser(secret: string | undefined, user: { id: string; hash: string }): UserVerification {
  if (!secret) {
    return { verified: false, statusCode: 400, message: 'This server does not accept user ids: IDENTITY_VERIFICATION_SECRET is not set. Leave out "user", or configure the secret.' };
  }
  const expected = Buffer.from(signUserId(secret, user.id), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(user.hash) ? Buffer.from(user.hash, 'hex') : undefined;
  if (!given || !timingSafeEqual(expected, given)) {
    return { verified: false, statusCode: 403, message: 'The user hash does not match the user id: sign the id with IDENTITY_VERIFICATION_SECRET (hex HMAC-SHA256).' };
  }
  return { verified: true, userId: user.id };
}
