import { lengthOf } from './fields.js';
import type { PlannedField } from './resource-fields.js';

/**
 * Sample values of a resource's fields as TypeScript for its generated test: a valid value per
 * row, each field's valid and invalid values, and what a create that leaves a field out reads back.
 */

export const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A string of `count` times `unit`, as short TypeScript: literal when short, `.repeat()` when long. */
function repeated(unit: string, count: number, suffix = ''): string {
  if (count * unit.length + suffix.length <= 12) return quote(unit.repeat(count) + suffix);
  return suffix === '' ? `${quote(unit)}.repeat(${count})` : `\`\${${quote(unit)}.repeat(${count})}${suffix}\``;
}

/** A decimal of `whole` digits before the point and `scale` after, each `digit`. */
function decimalText(whole: number, scale: number, digit = '9'): string {
  const before = whole === 0 ? '0' : digit.repeat(whole);
  return scale === 0 ? before : `${before}.${digit.repeat(scale)}`;
}

/** A field's value in row `i` of a test, as TypeScript: unique per row where the field is. */
export function sampleOf(field: PlannedField, maker?: string, as = ''): string {
  const length = lengthOf(field) ?? 255;
  const label = field.name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  switch (field.type) {
    case 'string':
    case 'text':
      if (length >= label.length + 6) return `\`${label}-\${i}\``;
      return length >= 5 ? `\`\${i}\`` : quote('x');
    case 'email':
      return `\`${label}-\${i}@example.com\``;
    case 'url':
      return `\`https://example.com/\${i}\``;
    case 'uuid':
      return `\`00000000-0000-4000-8000-\${String(i).padStart(12, '0')}\``;
    case 'integer':
    case 'bigint':
      return 'i';
    case 'decimal': {
      const whole = (field.precision ?? 0) - (field.scale ?? 0);
      const fraction = field.scale ? `.${'5'.padEnd(field.scale, '0')}` : '';
      if (whole >= 4) return `\`\${i}${fraction}\``;
      if (whole === 0) return quote(`0${fraction}`);
      return `\`\${i % ${10 ** whole}}${fraction}\``;
    }
    case 'boolean':
      return 'i % 2 === 0';
    case 'date':
      return 'new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)';
    case 'datetime':
      return 'new Date(Date.UTC(2024, 0, 1, 12, 0, i)).toISOString()';
    case 'json':
      return "{ row: i, tags: ['a', 'b'] }";
    case 'enum':
      return quote(field.values?.at(-1) ?? '');
    case 'references':
      return `await ${maker}(${as})`;
  }
}

/** `[sent, stored]` pairs a field accepts, and `[sent, why]` pairs it refuses, as TypeScript. */
export function valuesOf(field: PlannedField): { valid: [string, string][]; invalid: [string, string][] } {
  const length = lengthOf(field) ?? 255;
  const same = (value: string): [string, string] => [value, value];
  const valid: [string, string][] = [];
  const invalid: [string, string][] = [];
  switch (field.type) {
    case 'string':
      valid.push(same(quote('a')), same(repeated('ü', length)));
      invalid.push(["''", 'empty'], [repeated('x', length + 1), `longer than ${length} characters`]);
      invalid.push(['42', 'a number']);
      break;
    case 'text':
      valid.push(same("''"), same(repeated('x', length)));
      invalid.push([repeated('x', length + 1), `longer than ${length} characters`], ['42', 'a number']);
      break;
    case 'email':
      valid.push(same(quote('ada@example.com')), same(quote('ada.lovelace+tag@sub.example.org')));
      invalid.push([quote('not-an-email'), 'no @'], [quote('ada@'), 'no domain']);
      invalid.push([repeated('a', length - 11, '@example.com'), `longer than ${length} characters`]);
      invalid.push(['42', 'a number']);
      break;
    case 'url':
      valid.push(same(quote('https://example.com/a?b=c#d')), same(quote('http://localhost:3000/')));
      invalid.push([quote('javascript:alert(1)'), 'a javascript: URL']);
      invalid.push([quote('ftp://example.com/'), 'not http(s)'], [quote('not a url'), 'not a URL']);
      invalid.push([`\`https://example.com/\${'a'.repeat(${length})}\``, `longer than ${length} characters`]);
      invalid.push(['42', 'a number']);
      break;
    case 'uuid':
      // In lower case: PostgreSQL's uuid type prints any UUID so, the others keep what was sent.
      valid.push(same(quote('123e4567-e89b-42d3-a456-426614174000')));
      valid.push(same(quote('00000000-0000-0000-0000-000000000000')));
      invalid.push([quote('not-a-uuid'), 'not a UUID'], [quote('123e4567-e89b-42d3-a456-42661417400'), 'too short']);
      invalid.push(['42', 'a number']);
      break;
    case 'references':
      invalid.push([quote('not-a-uuid'), 'not a UUID'], ['42', 'a number']);
      break;
    case 'integer':
      valid.push(same('-2147483648'), same('2147483647'), same('0'));
      invalid.push(['2147483648', 'above the int32 range'], ['-2147483649', 'below the int32 range']);
      invalid.push(['1.5', 'not whole'], [quote('1'), 'a string']);
      break;
    case 'bigint':
      valid.push(same('Number.MAX_SAFE_INTEGER'), same('Number.MIN_SAFE_INTEGER'), same('0'));
      invalid.push(['2 ** 53', 'beyond 2^53'], ['-(2 ** 53)', 'beyond -2^53']);
      invalid.push(['1.5', 'not whole'], [quote('1'), 'a string']);
      break;
    case 'decimal': {
      const scale = field.scale ?? 0;
      const whole = (field.precision ?? 0) - scale;
      const max = decimalText(whole, scale);
      valid.push(same(max.length <= 24 ? quote(max) : decimalExpression(whole, scale)));
      valid.push(same(quote(`-${max}`.length <= 24 ? `-${max}` : '-1')));
      if (scale >= 2) valid.push([quote('0.5'), quote(`0.5${'0'.repeat(scale - 1)}`)]);
      valid.push([quote('0'), quote(scale === 0 ? '0' : `0.${'0'.repeat(scale)}`)]);
      invalid.push([quote(`1${'0'.repeat(whole)}`), `more than ${whole} digits before the point`]);
      if (scale > 0) invalid.push([quote(`0.${'1'.repeat(scale + 1)}`), `more than ${scale} digits after it`]);
      invalid.push(['1.5', 'a number, not a string'], [quote('1e3'), 'an exponent'], [quote('abc'), 'not a number']);
      break;
    }
    case 'boolean':
      valid.push(same('true'), same('false'));
      invalid.push([quote('true'), 'a string'], ['1', 'a number']);
      break;
    case 'date':
      valid.push(same(quote('2024-02-29')), same(quote('1970-01-01')));
      invalid.push([quote('2023-02-29'), 'no such day'], [quote('2024-1-1'), 'not YYYY-MM-DD']);
      invalid.push([quote('2024-02-29T12:00:00Z'), 'a time'], ['20240229', 'a number']);
      break;
    case 'datetime':
      valid.push(same(quote('2024-02-29T12:34:56.789Z')));
      valid.push([quote('2024-02-29T12:34:56+02:00'), quote('2024-02-29T10:34:56.000Z')]);
      invalid.push([quote('2024-02-29T12:34:56'), 'no offset'], [quote('2024-02-29'), 'a date only']);
      invalid.push([quote('2023-02-29T12:00:00Z'), 'no such day'], ['1709210096789', 'a number']);
      break;
    case 'json':
      valid.push(same("{ nested: { list: [1, 'two', null] } }"), same('{}'));
      invalid.push(['[1, 2]', 'an array'], [quote('text'), 'a string'], ['42', 'a number']);
      break;
    case 'enum': {
      const values = field.values ?? [];
      valid.push(...values.map((value) => same(quote(value))));
      invalid.push([quote('not-a-value'), 'not in the list'], [quote((values[0] ?? '').toUpperCase()), 'in capitals']);
      invalid.push(['42', 'a number']);
      break;
    }
  }
  if (field.optional) valid.push(same('null'));
  else invalid.push(['null', 'null where it may not be']);
  return { valid, invalid };
}

/** `'99…9.99'` for a long decimal. */
function decimalExpression(whole: number, scale: number): string {
  const before = whole === 0 ? '0' : `\${'9'.repeat(${whole})}`;
  return scale === 0
    ? `'9'.repeat(${whole})`
    : `\`${before}.${'9'.repeat(Math.min(scale, 4))}${scale > 4 ? `\${'9'.repeat(${scale - 4})}` : ''}\``;
}

/** What a create that leaves a field out reads back: its default, as stored, or null. */
export function storedFallback(field: PlannedField): string {
  if (field.default === undefined) return 'null';
  if (field.type === 'decimal' && typeof field.default === 'string') {
    const [whole = '0', fraction = ''] = field.default.split('.');
    const scale = field.scale ?? 0;
    return quote(scale === 0 ? whole : `${whole}.${fraction.padEnd(scale, '0')}`);
  }
  return typeof field.default === 'string' ? quote(field.default) : String(field.default);
}
