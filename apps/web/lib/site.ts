/** Public facts shown on the landing page. */
export const SITE = {
  name: 'ElasticDash',
  contactEmail: process.env.NEXT_PUBLIC_CONTACT_EMAIL ?? 'hello@elasticdash.io',
} as const;
