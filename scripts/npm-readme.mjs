// The npm package's README.md, made from the repository's README.md (one source): the parts
// between `<!-- repo-only -->` and `<!-- /repo-only -->` (working on this repository, the file
// layout) are dropped, comment lines (test markers, notes on which test runs a snippet) removed, and every relative link made absolute, because npm
// shows the README away from the repository: a file the package ships links to that file in the
// published version (unpkg), anything else to the repository.

const REPO_ONLY = /<!-- repo-only -->[\s\S]*?<!-- \/repo-only -->\n?/g;
// A whole line that is an HTML comment: `<!-- readme-test: runs -->`, `<!-- tests/... runs ... -->`.
const COMMENT_LINE = /^<!--[^>]*-->\n/gm;
// [text](target) and ![alt](target), target without spaces; code spans are not links.
const LINK = /(!?\[[^\]]*\]\()([^)\s]+)(\))/g;

/** Whether a link target is relative to the repository (not absolute, not an in-page anchor). */
export const isRelative = (target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#') && !target.startsWith('//');

/**
 * @param {string} markdown the repository README
 * @param {{name: string, version: string, repository: string, shipped: Set<string>}} o
 *   `shipped`: repository paths of files the package contains at the same path
 */
export function npmReadme(markdown, { name, version, repository, shipped }) {
  const repo = repository.replace(/\.git$/, '').replace(/\/+$/, '');
  const absolute = (target) => {
    const [path, fragment] = target.split('#');
    const clean = path.replace(/^\.\//, '');
    const url = shipped.has(clean)
      ? `https://unpkg.com/${name}@${version}/${clean}`
      : `${repo}/${clean.endsWith('/') ? 'tree' : 'blob'}/HEAD/${clean}`;
    return fragment === undefined ? url : `${url}#${fragment}`;
  };
  // Links inside fenced code blocks are code, not links: rewrite outside them only.
  return markdown
    .replace(REPO_ONLY, '')
    .replace(COMMENT_LINE, '')
    .split(/(^```[\s\S]*?^```)/m)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(LINK, (all, open, target, close) => (isRelative(target) ? `${open}${absolute(target)}${close}` : all)).replace(/\n{3,}/g, '\n\n')))
    .join('');
}
