import type { Node } from '@babel/types';
import type { Evidence } from '../findings.js';
import type { ParsedSource } from '../project.js';
import { dottedName, keyName, nodesOf, propertyName, staticString } from '../syntax.js';

const SECRET_NAME = /(?:secret|passw(?:or)?d|pwd|api_?key|access_?key|auth_?token|private_?key|client_?secret)/i;
// Names about a secret, not the secret: passwordPattern, PASSWORD_MESSAGE, JWT_SECRET_EXPIRES_IN, API_KEY_HEADER.
const ABOUT_A_SECRET =
  /_?(?:name|ref|file|path|id|len|length|min|max|rounds|expires?(?:_?in)?|ttl|header|field|column|url|uri|host|user|algorithm|issuer|audience|pattern|regexp?|re|rules?|policy|strength|format|message|msg|error|label|hint|placeholder|prompt|text|title|key_?name|env|var|variable|confirm(?:ation)?|reset)s?$/i;
const PLACEHOLDER =
  /^(?:change|your|example|xxx|todo|replace|dummy|placeholder|<|\*)|\$\{|^[a-z]+(?:_[a-z]+)+$|^[A-Z][A-Z0-9_]*$/i;
// A regular expression's source (`^(?=.*[A-Z])…`), not a credential.
const REGEX_SOURCE = /^\^|\(\?[=!]|\[[^\]]*-[^\]]*\]|\\[dwsb]|\{\d+,\d*\}/;

const secretName = (name: string) => SECRET_NAME.test(name) && !ABOUT_A_SECRET.test(name);

// Three words or more read as a sentence for people ('Password must have 8 characters'); a passphrase is shorter.
const SENTENCE = /\S+\s+\S+\s+\S+/;

/** A literal that can be a credential: long enough, not a sentence, a placeholder or a pattern. */
function credentialLike(value: string): boolean {
  return value.length >= 8 && !SENTENCE.test(value) && !PLACEHOLDER.test(value) && !REGEX_SOURCE.test(value);
}

/** `name = 'literal'` in declarations, object properties and assignments. */
function namedLiterals(file: ParsedSource): { name: string; value: Node }[] {
  const found: { name: string; value: Node }[] = [];
  for (const node of nodesOf(file.tree, 'VariableDeclarator')) {
    if (node.id.type === 'Identifier' && node.init) found.push({ name: node.id.name, value: node.init });
  }
  for (const node of nodesOf(file.tree, 'ObjectProperty')) {
    const name = node.computed ? undefined : keyName(node.key);
    if (name !== undefined) found.push({ name, value: node.value });
  }
  for (const node of nodesOf(file.tree, 'AssignmentExpression')) {
    const name = node.left.type === 'Identifier' ? node.left.name : propertyName(node.left);
    if (name !== undefined && node.operator === '=') found.push({ name, value: node.right });
  }
  return found;
}

/** Credentials written as literals under a secret's name; each named with its length, never its value. */
export function literalSecrets(file: ParsedSource): Evidence[] {
  return namedLiterals(file).flatMap(({ name, value }): Evidence[] => {
    const text = staticString(value);
    if (text === undefined || !secretName(name) || !credentialLike(text)) return [];
    return [
      {
        file: file.path,
        line: file.lineOf(value.start ?? 0),
        detail: `${name} is a literal of ${text.length} characters`,
      },
    ];
  });
}

/** The names `process.env` goes by in a file: itself, `const env = process.env`, `const { env } = process`. */
function envNames(file: ParsedSource): Set<string> {
  const names = new Set(['process.env']);
  for (const node of nodesOf(file.tree, 'VariableDeclarator')) {
    if (node.id.type === 'Identifier' && dottedName(node.init) === 'process.env') names.add(node.id.name);
    if (node.id.type === 'ObjectPattern' && dottedName(node.init) === 'process') {
      for (const property of node.id.properties) {
        if (
          property.type === 'ObjectProperty' &&
          keyName(property.key) === 'env' &&
          property.value.type === 'Identifier'
        ) {
          names.add(property.value.name);
        }
      }
    }
  }
  return names;
}

const DURATION = /^\d+[smhd]?$/;

/**
 * `process.env.JWT_SECRET || 'superSecret'` (and `??`, `env.X`, `const { JWT_SECRET = '…' } = process.env`):
 * wherever the variable is unset, the literal is the secret.
 */
export function envFallbacks(file: ParsedSource): Evidence[] {
  const env = envNames(file);
  const found: Evidence[] = [];
  const report = (name: string, fallback: Node | null | undefined, at: Node) => {
    const value = staticString(fallback);
    if (value === undefined || value === '' || DURATION.test(value) || !secretName(name)) return;
    found.push({
      file: file.path,
      line: file.lineOf(at.start ?? 0),
      detail: `${name} falls back to a literal of ${value.length} characters`,
    });
  };
  for (const node of nodesOf(file.tree, 'LogicalExpression')) {
    if (node.operator !== '||' && node.operator !== '??') continue;
    const left = node.left;
    if (left.type !== 'MemberExpression' || !env.has(dottedName(left.object) ?? '')) continue;
    const name = propertyName(left);
    if (name !== undefined) report(name, node.right, node);
  }
  for (const node of nodesOf(file.tree, 'VariableDeclarator')) {
    if (node.id.type !== 'ObjectPattern' || !env.has(dottedName(node.init) ?? '')) continue;
    for (const property of node.id.properties) {
      if (property.type !== 'ObjectProperty' || property.value.type !== 'AssignmentPattern') continue;
      const name = keyName(property.key);
      if (name !== undefined) report(name, property.value.right, property);
    }
  }
  return found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
