/** Posix path operations for hosts whose paths are URIs' paths (the browser). */
import { dirname, join, normalize } from '../../core/kustomize/path';
import type { PathOps } from '../host';

function relative(from: string, to: string): string {
  const a = normalize(from).split('/').filter((x) => x !== '');
  const b = normalize(to).split('/').filter((x) => x !== '');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

export const POSIX: PathOps = {
  sep: '/',
  dirname,
  basename: (p) => {
    const n = normalize(p);
    return n === '/' ? '' : n.slice(n.lastIndexOf('/') + 1);
  },
  join: (...parts) => parts.reduce((acc, part) => (acc === '' ? normalize(part) : join(acc, part)), ''),
  relative,
  isAbsolute: (p) => p.startsWith('/'),
};
