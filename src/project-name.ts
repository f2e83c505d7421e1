const maxLength = 214;
const reserved = new Set(['node_modules', 'favicon.ico']);

/**
 * Why `name` is not a valid npm package name, or undefined when it is.
 * Follows the rules npm enforces for new packages.
 */
export function invalidPackageNameReason(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > maxLength) return `it is longer than ${maxLength} characters`;
  if (name !== name.trim()) return 'it has leading or trailing spaces';
  if (name !== name.toLowerCase()) return 'it has capital letters';
  if (reserved.has(name)) return `"${name}" is reserved`;
  const match = /^(?:@([^/]+)\/)?(.+)$/.exec(name);
  const scope = match?.[1];
  const bare = match?.[2] ?? name;
  if (bare.startsWith('.') || bare.startsWith('_')) return 'it starts with "." or "_"';
  for (const part of scope === undefined ? [bare] : [scope, bare]) {
    if (!/^[a-z0-9][a-z0-9._~-]*$/.test(part) && !/^[a-z0-9._~-]+$/.test(part)) {
      return 'it has characters that are not allowed in a URL (use a-z, 0-9, "-", "." and "_")';
    }
  }
  return undefined;
}

/** A valid package name close to what the user typed, to suggest instead. */
export function suggestPackageName(name: string): string {
  const suggestion = name
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/^[._]+/, '')
    .replace(/[^a-z0-9._~/@-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, maxLength);
  return invalidPackageNameReason(suggestion) === undefined ? suggestion : 'my-api';
}
