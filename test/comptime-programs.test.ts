// Whole programs of the kind comptime() is for (tables, parsers, small data structures), each run
// in the evaluator and natively.
import { describe, expect, it } from 'vitest';
import { guest, native } from './comptime-helpers.js';

const programs: Record<string, string> = {
  tokenizer: `
    class Lexer {
      #src; #pos = 0;
      static KEYWORDS = new Set(['let', 'if', 'else']);
      constructor(src) { this.#src = src; }
      next() {
        const s = this.#src;
        while (this.#pos < s.length && /\\s/.test(s[this.#pos])) this.#pos++;
        if (this.#pos >= s.length) return { done: true, value: undefined };
        const start = this.#pos;
        const c = s[this.#pos];
        let kind;
        if (/[A-Za-z_]/.test(c)) { while (/\\w/.test(s[this.#pos] ?? '')) this.#pos++; const w = s.slice(start, this.#pos); kind = Lexer.KEYWORDS.has(w) ? 'kw' : 'id'; }
        else if (/\\d/.test(c)) { while (/[\\d.]/.test(s[this.#pos] ?? '')) this.#pos++; kind = 'num'; }
        else { this.#pos++; kind = 'punct'; }
        return { done: false, value: { kind, text: s.slice(start, this.#pos), at: start } };
      }
    }
    const out = []; const lx = new Lexer('let x1 = 3.14 * (y + 42); if (x1) else z');
    for (let t = lx.next(); !t.done; t = lx.next()) out.push(t.value.kind + ':' + t.value.text);
    return out;`,
  exprParser: `
    function parse(src) {
      let i = 0;
      const peek = () => src[i], eat = (c) => { if (src[i] !== c) throw new SyntaxError('expected ' + c + ' at ' + i); i++; };
      function expr() { let v = term(); while (peek() === '+' || peek() === '-') { const op = src[i++]; const r = term(); v = op === '+' ? v + r : v - r; } return v; }
      function term() { let v = factor(); while (peek() === '*' || peek() === '/') { const op = src[i++]; const r = factor(); v = op === '*' ? v * r : v / r; } return v; }
      function factor() { if (peek() === '(') { eat('('); const v = expr(); eat(')'); return v; } let s = i; while (/[0-9]/.test(src[i] ?? '')) i++; if (s === i) throw new SyntaxError('number expected at ' + i); return Number(src.slice(s, i)); }
      const v = expr(); if (i !== src.length) throw new SyntaxError('trailing input at ' + i); return v;
    }
    const results = ['1+2*3', '(1+2)*3', '2*(3+4)*5-6/2', '((((7))))', '1+', '2*x'].map((s) => { try { return parse(s); } catch (e) { return e.name + ': ' + e.message; } });
    return results;`,
  priorityQueue: `
    class Heap {
      constructor(cmp = (a, b) => a - b) { this.items = []; this.cmp = cmp; }
      get size() { return this.items.length; }
      push(x) { const a = this.items; a.push(x); let i = a.length - 1; while (i > 0) { const p = (i - 1) >> 1; if (this.cmp(a[i], a[p]) >= 0) break; [a[i], a[p]] = [a[p], a[i]]; i = p; } return this; }
      pop() { const a = this.items; const top = a[0]; const last = a.pop(); if (a.length) { a[0] = last; let i = 0; for (;;) { const l = 2 * i + 1, r = l + 1; let m = i; if (l < a.length && this.cmp(a[l], a[m]) < 0) m = l; if (r < a.length && this.cmp(a[r], a[m]) < 0) m = r; if (m === i) break; [a[i], a[m]] = [a[m], a[i]]; i = m; } } return top; }
    }
    // Dijkstra on a small grid graph.
    const W = 12, H = 9, cost = (x, y) => 1 + ((x * 7 + y * 13) % 5);
    const dist = new Map([['0,0', 0]]); const h = new Heap((a, b) => a[0] - b[0]).push([0, 0, 0]);
    while (h.size) { const [d, x, y] = h.pop(); if (d > dist.get(x + ',' + y)) continue; for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) { const nx = x + dx, ny = y + dy; if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue; const nd = d + cost(nx, ny); const k = nx + ',' + ny; if (nd < (dist.get(k) ?? Infinity)) { dist.set(k, nd); h.push([nd, nx, ny]); } } }
    return [dist.get((W - 1) + ',' + (H - 1)), dist.size];`,
  memoAndFormatting: `
    const memo = new Map();
    const partitions = (n, k = n) => { if (n === 0) return 1n; if (n < 0 || k === 0) return 0n; const key = n + ':' + k; if (memo.has(key)) return memo.get(key); const v = partitions(n - k, k) + partitions(n, k - 1); memo.set(key, v); return v; };
    const fmt = (n) => String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',');
    return [10, 50, 100, 200].map((n) => n + ' -> ' + fmt(partitions(n)));`,
  lookupTables: `
    const sinTable = Array.from({ length: 16 }, (_, i) => Math.round(Math.sin((i / 16) * Math.PI * 2) * 32767));
    const popcount = new Uint8Array(256).map((_, i) => { let c = 0, x = i; while (x) { c += x & 1; x >>= 1; } return c; });
    const hex = [...Array(16).keys()].map((i) => i.toString(16).toUpperCase().padStart(2, '0'));
    const byName = Object.fromEntries(['red', 'green', 'blue'].map((c, i) => [c, { index: i, mask: 1 << i }]));
    return { sinTable, popcount: Array.from(popcount.slice(0, 20)), hex, byName, frozen: Object.isFrozen(Object.freeze({ a: 1 })) };`,
};

describe('comptime whole programs match V8', () => {
  for (const [name, body] of Object.entries(programs)) {
    it(name, () => {
      expect(guest(body)).toEqual(native(body));
    });
  }
});
