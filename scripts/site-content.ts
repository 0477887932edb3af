/**
 * Two build steps of the site (vite.config.ts), both at build time, nothing fetched at run time:
 *
 * - `virtual:paper-results`: the committed race results (`bench/results/race-paper-*.jsonl` and
 *   their `.partial.json` progress, `race-ablation-add.jsonl` and `race-claim-*.jsonl` when
 *   present) reduced by src/paper/bundle.ts to the small JSON
 *   the "The paper, checked" view shows. The files grow while long races run: a line being
 *   appended is skipped, and the dev server reloads when a file changes.
 * - `docs/*.md` rendered to `docs/<name>.html` (with the figures they show) and served with the
 *   app, so help texts link to pages a user can open (the service worker precaches them too).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import type { Plugin } from 'vite';
import { buildPaperBundle, isPaperResultFile } from '../src/paper/bundle.ts';

const RESULTS_DIR = 'bench/results';
const DOCS_DIR = 'docs';
const VIRTUAL_ID = 'virtual:paper-results';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

const resultFiles = (): string[] =>
  existsSync(RESULTS_DIR)
    ? readdirSync(RESULTS_DIR)
        .filter(isPaperResultFile)
        .map((f) => join(RESULTS_DIR, f))
    : [];

export function paperResults(): Plugin {
  return {
    name: 'groklab:paper-results',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : null),
    load(id) {
      if (id !== RESOLVED_ID) return null;
      const files = resultFiles();
      files.forEach((f) => this.addWatchFile(f));
      const bundle = buildPaperBundle(Object.fromEntries(files.map((f) => [f, readFileSync(f, 'utf8')])));
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(bundle))});`;
    },
  };
}

/** The docs served with the site: their Markdown names (without `.md`). */
export const SERVED_DOCS = [
  'guide',
  'results',
  'no-weight-decay',
  'algorithms',
  'inside',
  'decisions',
  'performance',
  'presets',
  'cli',
  'sweeps',
  'testing',
  'architecture',
];

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** One Markdown file as a standalone page; links to other served docs point at their pages. */
export function renderDoc(name: string): string {
  const md = readFileSync(join(DOCS_DIR, `${name}.md`), 'utf8');
  const title = /^#\s+(.*)$/m.exec(md)?.[1] ?? name;
  const body = (marked.parse(md, { async: false }) as string).replace(
    /href="(?:\.\/|docs\/)?([\w-]+)\.md(#[^"]*)?"/g,
    (all, doc: string, hash = '') => (SERVED_DOCS.includes(doc) ? `href="${doc}.html${hash}"` : all),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · GrokLab</title>
<style>
body { font: 16px/1.55 system-ui, sans-serif; max-width: 920px; margin: 0 auto; padding: 1rem 1.25rem 4rem; color: #1d2330; }
nav { font-size: 0.9rem; margin-bottom: 1rem; } nav a { margin-right: 1rem; }
table { border-collapse: collapse; display: block; overflow-x: auto; font-size: 0.85rem; margin: 1rem 0; }
th, td { border: 1px solid #cfd5df; padding: 0.25rem 0.5rem; vertical-align: top; }
code { background: #f1f3f7; padding: 0 0.2em; border-radius: 3px; font-size: 0.9em; }
pre { background: #f1f3f7; padding: 0.75rem; overflow-x: auto; } pre code { background: none; padding: 0; }
img { max-width: 100%; height: auto; }
</style>
</head>
<body>
<nav><a href="../">← GrokLab</a><a href="../?view=paper">The paper, checked</a>${SERVED_DOCS.map((d) => `<a href="${d}.html">${d}</a>`).join('')}</nav>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The figures the docs show (the race reports' SVG plots). */
const docFigures = (): string[] => (existsSync(DOCS_DIR) ? readdirSync(DOCS_DIR).filter((f) => f.endsWith('.svg')) : []);

export function servedDocs(): Plugin {
  return {
    name: 'groklab:served-docs',
    generateBundle() {
      for (const name of SERVED_DOCS) {
        this.addWatchFile(join(DOCS_DIR, `${name}.md`));
        this.emitFile({ type: 'asset', fileName: `docs/${name}.html`, source: renderDoc(name) });
      }
      for (const f of docFigures()) this.emitFile({ type: 'asset', fileName: `docs/${f}`, source: readFileSync(join(DOCS_DIR, f)) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /^\/docs\/([\w-]+)\.(html|svg)(?:\?|$)/.exec((req.url ?? '').replace(server.config.base, '/'));
        if (!m) return next();
        const [, name, ext] = m;
        if (ext === 'html' && SERVED_DOCS.includes(name!)) {
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          return res.end(renderDoc(name!));
        }
        if (ext === 'svg' && docFigures().includes(`${name}.svg`)) {
          res.setHeader('Content-Type', 'image/svg+xml');
          return res.end(readFileSync(join(DOCS_DIR, `${name}.svg`)));
        }
        next();
      });
    },
  };
}
