// The HTML viewer in a real browser: Debian's chromium driven by playwright-core. Hovering a resume
// point, a graph node, a frame field or a source line must highlight the matching source range,
// output range and graph node. Screenshots go to test/artifacts/ (git-ignored).
// CI installs chromium (apt-get install -y chromium); without it this test fails, it never skips.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, type InspectResult } from '../dist/transformer/index.js';
import { toHtml } from '../dist/transformer/inspect/html.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'test/artifacts');
const CHROMIUM = '/usr/bin/chromium';
const SAMPLE = 'samples/tokenizer.ts';

let browser: Browser;
let page: Page;
let model: InspectResult;
const problems: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the viewer test needs Debian's chromium (apt-get update && apt-get install -y chromium)`);
  }
  model = inspect(fs.readFileSync(path.join(root, SAMPLE), 'utf8'), { fileName: SAMPLE });
  fs.mkdirSync(artifacts, { recursive: true });
  const htmlFile = path.join(artifacts, 'inspect-tokenizer.html');
  fs.writeFileSync(htmlFile, await toHtml(model));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  // Self-contained: the page may load nothing but itself.
  page.on('request', (r) => {
    if (r.url() !== pathToFileURL(htmlFile).href) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(htmlFile).href);
});

afterAll(async () => {
  await browser?.close();
});

const highlighted = (p: Page) =>
  p.evaluate(() => ({
    src: [...document.querySelectorAll('#src .ln.hl')].map((e) => Number((e as HTMLElement).dataset.line)),
    srcMarks: [...document.querySelectorAll('#src mark.hlr')].map((e) => e.textContent),
    out: [...document.querySelectorAll('#out .ln.hl')].map((e) => Number((e as HTMLElement).dataset.line)),
    outFirst: document.querySelector('#out .ln.hl .tx')?.textContent ?? null,
    nodes: [...document.querySelectorAll('g.node.hl')].map((e) => e.id),
  }));

describe('inspect viewer (chromium)', () => {
  it('renders both panes and one SVG graph per coroutine, without errors or requests', async () => {
    expect(await page.locator('#src .ln').count()).toBe(model.source.split('\n').length);
    expect(await page.locator('#out .ln').count()).toBe(model.output.code.split('\n').length);
    expect(await page.locator('#graph svg').count()).toBe(model.coroutines.length);
    expect(await page.locator('#graph g.node').count()).toBe(model.coroutines.reduce((n, c) => n + c.graph.nodes.length, 0));
    expect(problems).toEqual([]);
  });

  it('hovering a resume point highlights its source range, its resume function and its graph node', async () => {
    const ci = model.coroutines.findIndex((c) => c.name === 'Tokenizer.#scan');
    const scan = model.coroutines[ci];
    const rf = scan.resumeFunctions[2];
    const sp = scan.suspends[rf.suspend];
    await page.hover(`.item[data-kind="resume"][data-c="${ci}"][data-i="2"]`);
    const h = await highlighted(page);
    expect(h.src).toEqual([sp.range!.line]);
    expect(h.srcMarks).toEqual([model.source.slice(sp.range!.pos, sp.range!.end)]);
    expect(h.srcMarks[0]).toBe("yield { kind: 'ident', text: this.text.slice(start, i), at: start }");
    const outLines = Array.from({ length: rf.outputRange!.endLine - rf.outputRange!.line + 1 }, (_, i) => rf.outputRange!.line + i);
    expect(h.out).toEqual(outLines);
    expect(h.outFirst).toBe(`function ${rf.name}($f) {`);
    expect(h.nodes).toEqual([`c${ci}_r2`]);
    // the highlight is visible: the output pane scrolled to the resume function
    expect(await page.locator(`#out .ln[data-line="${rf.outputRange!.line}"]`).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(artifacts, 'inspect-viewer-resume.png') });
  });

  it('hovering a graph node highlights the same resume point', async () => {
    const ci = model.coroutines.findIndex((c) => c.name === 'util.all');
    const all = model.coroutines[ci];
    await page.hover(`#c${ci}_r1`);
    const h = await highlighted(page);
    const sp = all.suspends[all.resumeFunctions[1].suspend];
    expect(sp.kind).toBe('yield*');
    expect(h.srcMarks).toEqual(['yield* new Tokenizer(line).tokens()']);
    expect(h.src).toEqual([sp.range!.line]);
    // a resume point inside yield* hands out the inner result: its fourth parameter marks it
    expect(h.outFirst).toBe(`function ${all.resumeFunctions[1].name}($f, $v, $m, $pass) {`);
    expect(h.nodes).toEqual([`c${ci}_r1`]);
  });

  it('hovering a frame field highlights its declaration, its loads/stores and the resume points it is live into', async () => {
    const ci = model.coroutines.findIndex((c) => c.name === 'Tokenizer.tokens');
    const c = model.coroutines[ci];
    const fi = c.frame.fields.findIndex((f) => f.original === 'count');
    await page.hover(`.item[data-kind="field"][data-c="${ci}"][data-i="${fi}"]`);
    const h = await highlighted(page);
    expect(h.srcMarks).toEqual(['count']);
    expect(h.src).toEqual([c.vars[c.frame.fields[fi].var].range!.line]);
    const outText = model.output.code.split('\n');
    const touching = h.out.map((l) => outText[l - 1]);
    expect(touching.some((t) => /\$f\.count = count/.test(t))).toBe(true);
    expect(touching.some((t) => /this\.count = void 0/.test(t))).toBe(true);
    expect(h.nodes.sort()).toEqual(c.frame.fields[fi].liveAcross.map((s) => `c${ci}_r${c.suspends[s].resumeFunction}`).sort());
  });

  it('hovering a source line highlights the output lines the source map ties to it', async () => {
    const scan = model.coroutines.find((c) => c.name === 'Tokenizer.#scan')!;
    const line = scan.suspends[1].range!.line; // the `yield { kind: 'num', … }` line
    await page.hover(`#src .ln[data-line="${line}"]`);
    const h = await highlighted(page);
    expect(h.src).toEqual([line]);
    const outText = model.output.code.split('\n');
    // the value of the yield is evaluated into the scratch local in every resume function that
    // reaches it but the initial one, which hands the loop over to the first (lowering.md, Hand-over)
    const yields = h.out.map((l) => outText[l - 1].trim()).filter((t) => t.startsWith("$c = { kind: 'num'"));
    expect(yields.length).toBe(scan.resumeFunctions.length - 1);
    const r0 = scan.resumeFunctions[0].outputRange!;
    expect(model.output.code.slice(r0.pos, r0.end)).toMatch(/return scan\$resume1\(\$f\);/);
    expect(h.nodes).toContain(`c${model.coroutines.indexOf(scan)}_r1`);
  });

  it('hovering an output line highlights the source it maps to and the resume function it is in', async () => {
    const ci = model.coroutines.findIndex((c) => c.name === 'Tokenizer.#scan');
    const rf = model.coroutines[ci].resumeFunctions[3];
    const sp = model.coroutines[ci].suspends[rf.suspend];
    // the function's first line maps to the suspension point it resumes from
    await page.hover(`#out .ln[data-line="${rf.outputRange!.line}"]`);
    const h = await highlighted(page);
    expect(h.out).toEqual([rf.outputRange!.line]);
    expect(h.src).toContain(sp.range!.line);
    expect(h.nodes).toEqual([`c${ci}_r3`]);
  });

  it('clicking pins a highlight until the next click', async () => {
    await page.click('.item[data-kind="resume"][data-c="0"][data-i="1"]');
    await page.mouse.move(5, 5);
    const h = await highlighted(page);
    expect(h.srcMarks).toEqual(['yield t']);
    await page.screenshot({ path: path.join(artifacts, 'inspect-viewer-pinned.png') });
    expect(problems).toEqual([]);
  });

  it('--fn opens the page with that coroutine pinned and both panes scrolled to it', async () => {
    // The tokenizer's last coroutine sits low in both panes, so scrolling is needed to see it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-inspect-fn-'));
    const fn = 'Tokenizer.#scan';
    const out = path.join(dir, 'scan.html');
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'corosplit.js'), 'inspect', path.join(root, SAMPLE), '--fn', fn, '--format', 'html', '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const focused = await browser.newPage({ viewport: { width: 1400, height: 600 } });
    const errors: string[] = [];
    focused.on('pageerror', (e) => errors.push(e.message));
    await focused.goto(pathToFileURL(out).href);
    const c = inspect(fs.readFileSync(path.join(root, SAMPLE), 'utf8'), { fileName: SAMPLE, fn }).coroutines[0]!;
    const h = await highlighted(focused);
    const lines = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(h.src).toEqual(lines(c.range!.line, c.range!.endLine));
    expect(h.out).toEqual(expect.arrayContaining(c.resumeFunctions.flatMap((rf) => (rf.outputRange ? lines(rf.outputRange.line, rf.outputRange.endLine) : []))));
    expect(h.nodes.length).toBe(c.resumeFunctions.length);
    expect(await focused.locator('header').textContent()).toContain(`focused on ${fn}`);
    // Scrolled: the first highlighted line of each pane is inside its visible area.
    const visible = await focused.evaluate(() =>
      ['src', 'out'].map((id) => {
        const pane = document.getElementById(id)!;
        const first = pane.querySelector('.ln.hl') as HTMLElement;
        return first.offsetTop >= pane.scrollTop && first.offsetTop < pane.scrollTop + pane.clientHeight && (id === 'src' ? true : pane.scrollTop > 0);
      }),
    );
    expect(visible).toEqual([true, true]);
    // The pin holds after the pointer wanders off.
    await focused.mouse.move(5, 5);
    expect((await highlighted(focused)).nodes.length).toBe(c.resumeFunctions.length);
    await focused.screenshot({ path: path.join(artifacts, 'inspect-viewer-fn.png') });
    expect(errors).toEqual([]);
    await focused.close();
  });

  it('a 2,000-yield generator: every format in under 5 s, and the page (a summary instead of a graph) loads without errors', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-inspect-big-'));
    const file = path.join(dir, 'big.ts');
    fs.writeFileSync(file, `function* big(a: number) {\n${Array.from({ length: 2000 }, (_, i) => `  a += yield ${i};`).join('\n')}\n  return a;\n}\n`);
    const cli = path.join(root, 'bin', 'corosplit.js');
    for (const format of ['text', 'json', 'dot', 'mermaid', 'html']) {
      const t = performance.now();
      const r = spawnSync(process.execPath, [cli, 'inspect', file, '--format', format, '--out', path.join(dir, `big.${format}`)], { encoding: 'utf8' });
      expect(r.status, `${format}: ${r.stderr}`).toBe(0);
      expect(performance.now() - t, format).toBeLessThan(5_000);
    }
    const big = await browser.newPage();
    const errors: string[] = [];
    big.on('pageerror', (e) => errors.push(e.message));
    await big.goto(pathToFileURL(path.join(dir, 'big.html')).href);
    expect(await big.locator('#graph .summary').textContent()).toMatch(/big: 2001 resume functions and 2001 suspension points, more than the 100 this page draws/);
    expect(await big.locator('.item[data-kind="resume"]').count()).toBe(2001);
    expect(errors).toEqual([]);
    await big.close();
  }, 60_000);
});
