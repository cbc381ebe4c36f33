// The attack corpus (issue 15): build-time evaluation under hostile input. Each case is a module
// whose comptime() call tries to hurt the build (hang it, exhaust its memory, crash the host,
// escape the sandbox) or the program built from it (inject code into the output). Each states
// what must come out instead: `literal`, the exact text the call becomes, or `diagnostic`, a
// located message naming the limit or the problem. Guest code that would run in the built program
// sets globalThis.__attackRan; the test imports every output and checks that it never did.

/** A module with one comptime() call (line 2) whose arrow body is `body`. */
const call = (body, options) =>
  `import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => {\n${body}\n}${options ? `, ${options}` : ''});\n`;
const RAN = `globalThis.__attackRan = 1`;
const at = (limit) => new RegExp(`^attack\\.ts:2:\\d+: error: comptime: .*${limit}`);

export const cases = [
  // ---- code injection into the output ---------------------------------------------------------
  { name: 'class named by a computed key with code in it', source: call(`const k = '(${RAN}, Object)'; const C = { [k]: class { static [Symbol.for('corosplit.serializable')] = true; constructor() { this.x = 1; } } }[k]; return new C();`), expect: { diagnostic: /^attack\.ts:2:18: error: comptime: cannot turn the result into code: the instance at result is of a class named "\(globalThis\.__attackRan = 1, Object\)", which is not an identifier/ } },
  { name: 'class with a space in its name', source: call(`const C = { ['my class']: class { static [Symbol.for('corosplit.serializable')] = true; constructor() { this.x = 1; } } }['my class']; return new C();`), expect: { diagnostic: /is of a class named "my class", which is not an identifier the emitted code can refer to; give the class a plain name/ } },
  { name: 'property key that closes the object literal', source: call(`return { ['a": 1}); ${RAN}; ({"b']: 2 };`), expect: { literal: '({ "a\\": 1}); globalThis.__attackRan = 1; ({\\"b": 2 })' } },
  { name: '__proto__ as an own data key', source: call(`const o = {}; Object.defineProperty(o, '__proto__', { value: { evil: 1 }, enumerable: true, writable: true, configurable: true }); return o;`), expect: { literal: '({ ["__proto__"]: { evil: 1 } })' } },
  { name: 'string with line and paragraph separators and a script close', source: call(`return 'a\\u2028b\\u2029c</script><script>${RAN}</script>';`), expect: { literal: '"a\\u2028b\\u2029c</script><script>globalThis.__attackRan = 1</script>"' } },
  { name: 'regular expression whose source tries to end the literal', source: call(`return new RegExp('a/; ${RAN}; /b');`), expect: { literal: '(new RegExp("a\\\\/; globalThis.__attackRan = 1; \\\\/b", ""))' } },
  { name: 'symbol-keyed and non-enumerable properties', source: call(`const o = { a: 1 }; Object.defineProperty(o, 'hidden', { value: '${RAN}', enumerable: false }); o[Symbol('s')] = 2; return o;`), expect: { diagnostic: /a symbol-keyed property at result\[Symbol\(s\)\] cannot be serialised/ } },
  { name: 'getter that changes the value between reads', source: call(`let n = 0; return { get x() { return ++n === 1 ? 'first' : '${RAN}'; } };`), expect: { diagnostic: /the accessor property at result\.x cannot be serialised/ } },
  { name: 'toString and valueOf overrides on the result', source: call(`return { toString() { return '${RAN}'; }, valueOf() { return 1; } };`), expect: { diagnostic: /a function \(toString\) at result\.toString cannot be serialised/ } },
  { name: 'toJSON on the result', source: call(`return { toJSON() { return '${RAN}'; }, a: 1 };`), expect: { diagnostic: /a function \(toJSON\) at result\.toJSON cannot be serialised/ } },
  { name: 'Symbol.toPrimitive on the result', source: call(`return { [Symbol.toPrimitive]() { return '${RAN}'; } };`), expect: { diagnostic: /a symbol-keyed property at result\[Symbol\(Symbol\.toPrimitive\)\] cannot be serialised/ } },
  { name: 'function as a result', source: call(`return () => { ${RAN}; };`), expect: { diagnostic: /a function at result cannot be serialised/ } },
  { name: 'function hidden in a nested array', source: call(`return [1, [2, [3, function () { ${RAN}; }]]];`), expect: { diagnostic: /a function at result\[1\]\[1\]\[1\] cannot be serialised/ } },
  { name: 'Proxy as a result', source: call(`return new Proxy({}, { get() { return '${RAN}'; }, ownKeys() { return ['a']; } });`), expect: { diagnostic: /a Proxy object at result cannot be serialised/ } },
  { name: 'class instance whose constructor getter flips', source: call(`let n = 0; class A { constructor() { this.a = 1; } } const a = new A(); Object.defineProperty(a, 'constructor', { get() { return n++ ? Object : A; } }); return a;`), expect: { diagnostic: /an instance of A at result cannot be serialised \(class instances need opt-in/ } },
  { name: 'accessor on Object.prototype seen by the serialiser', source: call(`Object.defineProperty(Object.prototype, 'evil', { get() { return '${RAN}'; }, enumerable: true, configurable: true }); return { a: 1 };`), expect: { literal: '({ a: 1 })' } },
  { name: 'shared and cyclic references', source: call(`const s = { k: 1 }; const o = { a: s, b: s }; o.self = o; return o;`), expect: { literal: '((() => { const $0 = { k: 1 }; const $1 = { a: $0, b: $0, self: void 0 }; $1["self"] = $1; return $1; })())' } },
  { name: 'Map and Set with cycles', source: call(`const m = new Map(); const s = new Set([m]); m.set('s', s); m.set(m, 1); return m;`), expect: { literal: '((() => { const $0 = new Set(); const $1 = new Map(); $0.add($1); $1.set("s", $0); $1.set($1, 1); return $1; })())' } },
  { name: 'special numbers', source: call(`return [-0, NaN, Infinity, -Infinity, 1e21, 5e-324, 2 ** 53 + 2];`), expect: { literal: '[-0, NaN, Infinity, -Infinity, 1e+21, 5e-324, 9007199254740994]' } },
  { name: 'invalid Date and a huge BigInt', source: call(`return [new Date(NaN), 2n ** 200n, -(2n ** 70n)];`), expect: { literal: '[new Date(NaN), 1606938044258990275541962092341162602522202993782792835301376n, -1180591620717411303424n]' } },
  // ---- limits: time and steps -----------------------------------------------------------------
  { name: 'infinite loop', source: call(`for (;;) {}`, '{ steps: 2_000_000 }'), expect: { diagnostic: at('exceeded the step limit of 2000000 steps') } },
  { name: 'infinite loop at the default step limit', source: call(`let i = 0; for (;;) i++;`), expect: { diagnostic: at('exceeded the step limit of 50000000 steps') } },
  { name: 'infinite recursion', source: call(`const f = (n) => f(n + 1) + 1; return f(0);`), expect: { diagnostic: at('exceeded the call depth limit of 512') } },
  { name: 'mutual recursion through getters', source: call(`const o = { get a() { return this.b; }, get b() { return this.a; } }; return o.a;`), expect: { diagnostic: at('exceeded the call depth limit of 512') } },
  { name: 'recursion through toString in a template', source: call(`const o = { toString() { return \`\${o}\`; } }; return \`\${o}\`;`), expect: { diagnostic: at('exceeded the call depth limit of 512') } },
  { name: 'infinite generator drained by spread', source: call(`function* g() { for (;;) yield 1; } return [...g()].length;`, '{ steps: 2_000_000 }'), expect: { diagnostic: at('exceeded the step limit of 2000000 steps') } },
  { name: 'sort comparator that never settles', source: call(`const a = Array.from({ length: 2000 }, (_, i) => i); let n = 0; a.sort(() => { for (let i = 0; i < 1000; i++) n++; return n % 3 - 1; }); return n;`, '{ steps: 2_000_000 }'), expect: { diagnostic: at('exceeded the step limit of 2000000 steps') } },
  { name: 'promise chain that never ends', source: call(`let p = Promise.resolve(0); const step = (v) => p = p.then((x) => { step(); return x + 1; }); step(); for (;;) {}`, '{ steps: 1_000_000 }'), expect: { diagnostic: at('exceeded the step limit of 1000000 steps') } },
  { name: 'catch that swallows the step limit', source: call(`for (;;) { try { for (;;) {} } catch (e) { } finally { continue; } }`, '{ steps: 1_000_000 }'), expect: { diagnostic: at('exceeded the step limit of 1000000 steps') } },
  { name: 'exponential regex on a long input', source: call(`return /^(a+)+$/.test('a'.repeat(40) + 'b');`), expect: { diagnostic: at('a regular expression ran longer than the limit of 1000 ms \\(pattern /\\^\\(a\\+\\)\\+\\$/') } },
  { name: 'regex trailing whitespace on a million characters', source: call(`return /\\s+$/.test(' '.repeat(1_000_000) + 'x');`), expect: { diagnostic: at('a regular expression ran longer than the limit of 1000 ms') } },
  { name: 'optional-a backtracking bomb', source: call(`return new RegExp('a?'.repeat(70) + 'a'.repeat(70)).test('a'.repeat(70));`), expect: { diagnostic: at('a regular expression ran longer than the limit of 1000 ms') } },
  { name: 'repeated star pattern on a long input', source: call(`let n = 0; const s = 'a'.repeat(2000); for (let i = 0; i < 50; i++) if (/a*a*b/.test(s)) n++; return n;`), expect: { diagnostic: at('a regular expression ran longer than the limit of 1000 ms') } },
  { name: 'replace with a regex in a loop', source: call(`let s = 'ab'.repeat(100_000); for (let i = 0; i < 20; i++) s = s.replace(/(a|b)+c/g, 'x'); return s.length;`), expect: { diagnostic: at('a regular expression ran longer than the limit of 1000 ms') } },
  // ---- limits: memory -------------------------------------------------------------------------
  { name: 'string doubling', source: call(`let s = 'x'; for (;;) s += s;`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes') } },
  { name: 'repeat of two gigabytes', source: call(`return 'x'.repeat(2 ** 30).length;`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes \\(a string of 1073741824 characters\\)') } },
  { name: 'array of a billion holes filled', source: call(`return new Array(1e9).fill(0).length;`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes') } },
  { name: 'array pushed forever', source: call(`const a = []; for (;;) a.push({ a: 1, b: 2, c: 3 });`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes') } },
  { name: 'shared huge string referenced 300 times in the result', source: call(`return Array(300).fill('x'.repeat(1e7));`), expect: { diagnostic: at('the code for the result would be larger than the heap limit of 268435456 bytes') } },
  { name: 'sparse array with a far index as a result', source: call(`const a = []; a[2e7] = 1; return a;`), expect: { literal: '(((a) => { a[20000000] = 1; a.length = 20000001; return a; })([]))' } },
  { name: 'BigInt shifted by a billion', source: call(`let n = 0; for (let i = 0; i < 200; i++) n += Number((1n << 1_000_000_000n) & 1n); return n;`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes') } },
  { name: 'BigInt squared until it is huge', source: call(`let b = 3n; for (;;) b = b * b;`), expect: { diagnostic: at('exceeded the (step|heap) limit') } },
  { name: 'console flooding with huge strings', source: call(`const big = Array(50).fill('x'.repeat(1e7)); for (let i = 0; i < 1000; i++) console.log(big); return 1;`), expect: { literal: '1' } },
  { name: 'Map with millions of entries', source: call(`const m = new Map(); for (let i = 0; ; i++) m.set(i, { i });`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes') } },
  { name: 'typed array of four gigabytes', source: call(`return new Uint8Array(2 ** 32).length;`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes') } },
  { name: 'padStart to a huge length', source: call(`return ''.padStart(2 ** 30, 'ab').length;`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes') } },
  { name: 'JSON.stringify of a deep object', source: call(`let o = {}; for (let i = 0; i < 100_000; i++) o = { o }; return JSON.stringify(o).length;`), expect: { diagnostic: at('a built-in operation .* recursed too deeply for the host stack on a deeply nested value') } },
  { name: 'join of a self-containing array', source: call(`const a = [1]; a.push(a); return a.join();`), expect: { literal: '"1,"' } },
  { name: 'object with a million keys as a result', source: call(`const o = {}; for (let i = 0; i < 1_000_000; i++) o['k' + i] = i; return o;`), expect: { literal: /^\(\{ k0: 0, k1: 1, .*, k999999: 999999 \}\)$/s } },
  { name: 'closures retained in a loop', source: call(`const fs = []; for (;;) { const big = 'y'.repeat(1000) + fs.length; fs.push(() => big); }`), expect: { diagnostic: at('exceeded the heap limit of 268435456 bytes') } },
  // ---- hostile errors and formatting ----------------------------------------------------------
  { name: 'error whose message getter loops', source: call(`const e = new Error('x'); Object.defineProperty(e, 'message', { get() { for (;;) {} } }); throw e;`, '{ steps: 1_000_000 }'), expect: { diagnostic: at('uncaught exception: Error\\n') } },
  { name: 'error whose name getter throws', source: call(`const e = new Error('x'); Object.defineProperty(e, 'name', { get() { throw new Error('name getter'); } }); throw e;`), expect: { diagnostic: at('uncaught exception: Error: x') } },
  { name: 'thrown object with a Proxy prototype', source: call(`throw Object.create(new Proxy({}, { get() { throw 'trap'; } }));`), expect: { diagnostic: at('uncaught exception: \\{…\\}') } },
  { name: 'thrown value whose toString throws', source: call(`throw { toString() { throw new Error('no string'); } };`), expect: { diagnostic: at('uncaught exception: \\{…\\}') } },
  { name: 'thrown symbol', source: call(`throw Symbol('s');`), expect: { diagnostic: at('uncaught exception: Symbol\\(s\\)') } },
  { name: 'thrown huge string', source: call(`throw 'e'.repeat(50_000_000);`), expect: { diagnostic: at('uncaught exception: "e{37}\\.\\.\\."') } },
  { name: 'error with a cyclic cause chain', source: call(`const a = new Error('a'); const b = new Error('b', { cause: a }); a.cause = b; throw a;`), expect: { diagnostic: at('uncaught exception: Error: a') } },
  { name: 'error subclass whose stack getter runs code', source: call(`class E extends Error { get stack() { ${RAN}; return 's'; } } throw new E('boom');`), expect: { diagnostic: at('uncaught exception: Error: boom') } },
  { name: 'console.log of a Proxy that traps everything', source: call(`console.log(new Proxy({}, { get() { throw 'g'; }, ownKeys() { throw 'o'; }, getOwnPropertyDescriptor() { throw 'd'; } })); return 1;`), expect: { diagnostic: at('uncaught exception: "o"') } },
  // ---- escapes --------------------------------------------------------------------------------
  { name: 'Function constructor reaching process', source: call(`return typeof Function('return typeof process')();`), expect: { diagnostic: at('the Function constructor \\(compiling code from a string\\) is not supported during build-time evaluation') } },
  { name: 'eval of a host name', source: call(`return (0, eval)('typeof require');`), expect: { diagnostic: at('eval \\(compiling code from a string\\) is not supported') } },
  { name: 'dynamic import of node:fs', source: call(`return import('node:fs').then((fs) => fs.readFileSync('/etc/passwd', 'utf8'));`), expect: { diagnostic: at('dynamic import\\(\\) is not supported during build-time evaluation') } },
  { name: 'constructor chain from a thrown host error', source: call(`try { null.x; } catch (e) { return typeof e.constructor.constructor('return process')(); }`), expect: { diagnostic: at('the Function constructor \\(compiling code from a string\\) is not supported') } },
  // One file's calls share its module realm (top-level code runs once for all of them), as the
  // module does at run time; nothing of it reaches another file or the host.
  { name: 'calls of one file share its realm, and nothing else', source: `import { comptime } from 'corosplit/runtime';\nexport const a = comptime(() => { Object.prototype.polluted = 'yes'; Array.prototype.push = () => 0; return 1; });\nexport const b = comptime(() => [({}).polluted, [1].push(2)]);\n`, expect: { exports: { a: '1', b: '["yes", 0]' } } },
  { name: 'two failing calls in one file are both reported', source: `import { comptime } from 'corosplit/runtime';\nexport const a = comptime(() => { throw new Error('first'); });\nexport const b = comptime(() => { throw new Error('second'); });\n`, expect: { diagnostic: /^attack\.ts:2:18: error: comptime: uncaught exception: Error: first[^]*\nattack\.ts:3:18: error: comptime: uncaught exception: Error: second/ } },
];
