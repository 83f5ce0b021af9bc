/** The link an invitee opens; the token is shown once, when the invitation is created. */
export function inviteLink(token: string): string {
  return `${window.location.origin}/invite/${encodeURIComponent(token)}`;
}
