import type { TUserContext } from '@elasticdash/service-kit/access';

/**
 * The user's email and display name as the gateway vouched for them at join time, kept on the
 * membership so member lists need no call to svc-auth. Falls back to the email when the
 * token carries no name.
 */
export function memberSnapshot(ctx: TUserContext): { userId: string; email: string; name: string } {
  const email = ctx.email.trim().toLowerCase();
  const name = ctx.userName?.trim() || email;
  return { userId: ctx.userId, email, name };
}
