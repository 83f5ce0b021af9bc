import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Enter a valid email address'));

/**
 * Password policy: long rather than clever. 10-256 characters, not only one repeated
 * character, at least one letter and one non-letter. Checked identically in the browser and
 * in svc-auth.
 */
export const ZNewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .refine((value) => /\p{L}/u.test(value) && /[^\p{L}]/u.test(value), {
    message: 'Password must mix letters with digits or symbols',
  })
  .refine((value) => new Set(value).size > 3, {
    message: 'Password is too repetitive',
  });

export const ZDisplayName = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(100, 'Name must be at most 100 characters');

export const ZUser = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type TUser = z.infer<typeof ZUser>;

export const ZSignupRequest = z
  .object({
    email: ZEmail,
    name: ZDisplayName,
    password: ZNewPassword,
  })
  .meta({ id: 'SignupRequest' });
export type TSignupRequest = z.infer<typeof ZSignupRequest>;

export const ZLoginRequest = z
  .object({
    email: ZEmail,
    password: z.string().min(1, 'Password is required').max(PASSWORD_MAX_LENGTH),
  })
  .meta({ id: 'LoginRequest' });
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

/** What the gateway gets back from svc-auth on signup/login; the token goes into the cookie only. */
export const ZSessionIssued = z.object({
  user: ZUser,
  session: z.object({
    id: z.uuid(),
    token: z.string(),
    expiresAt: z.iso.datetime(),
  }),
});
export type TSessionIssued = z.infer<typeof ZSessionIssued>;

/** What the browser gets back from signup/login: never the session token. */
export const ZAuthResponse = z.object({ user: ZUser }).meta({ id: 'AuthResponse' });
export type TAuthResponse = z.infer<typeof ZAuthResponse>;

export const ZMeResponse = z.object({ user: ZUser }).meta({ id: 'MeResponse' });
export type TMeResponse = z.infer<typeof ZMeResponse>;

export const ZUpdateProfileRequest = z.object({ name: ZDisplayName }).meta({ id: 'UpdateProfileRequest' });
export type TUpdateProfileRequest = z.infer<typeof ZUpdateProfileRequest>;

export const ZChangePasswordRequest = z
  .object({
    currentPassword: z.string().min(1, 'Current password is required').max(PASSWORD_MAX_LENGTH),
    newPassword: ZNewPassword,
  })
  .refine((value) => value.currentPassword !== value.newPassword, {
    path: ['newPassword'],
    message: 'New password must differ from the current one',
  })
  .meta({ id: 'ChangePasswordRequest' });
export type TChangePasswordRequest = z.infer<typeof ZChangePasswordRequest>;
