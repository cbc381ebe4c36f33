// Takes docs/inspect-viewer.png: the HTML viewer for samples/fib.ts in Debian's chromium, with the
// resume point of `take`'s `yield x` pinned. Run after `npm run build`.
//   node scripts/inspect-screenshot.mjs [OUT.png]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { inspect } from '../dist/transformer/index.js';
import { toHtml } from '../dist/transformer/inspect/html.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'docs/inspect-viewer.png'));
const CHROMIUM = '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing (apt-get update && apt-get install -y chromium)`);
  process.exit(1);
}
const sample = 'samples/fib.ts';
const model = inspect(fs.readFileSync(path.join(root, sample), 'utf8'), { fileName: sample });
fs.mkdirSync(path.join(root, 'test/artifacts'), { recursive: true });
const html = path.join(root, 'test/artifacts/inspect-fib.html');
fs.writeFileSync(html, await toHtml(model));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1150 } });
  await page.goto(pathToFileURL(html).href);
  const ci = model.coroutines.findIndex((c) => c.name === 'take');
  await page.click(`.item[data-kind="resume"][data-c="${ci}"][data-i="1"]`);
  await page.mouse.move(1, 1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
}
