/** RFC 5987 `ext-value` encoding (UTF-8, percent-encoded) for `filename*`. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `content-disposition` for a download named `filename`. Plain ASCII names are sent as is;
 * otherwise `filename` carries an ASCII fallback (quotes, backslashes, slashes and non-ASCII
 * characters replaced by `_`) and `filename*` the exact UTF-8 name.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\/]/g, '_');
  if (fallback === filename) return `attachment; filename="${filename}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(filename.replace(/[\\/]/g, '_'))}`;
}
