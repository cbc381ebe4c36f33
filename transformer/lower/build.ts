// TS AST → coroutine IR. Statements and expressions that contain no suspension point (and no jump
// out of themselves) are kept whole as IR statements; everything else is taken apart into blocks
// of a control-flow graph whose suspension points end blocks. Evaluation order across a yield is
// preserved by spilling already-evaluated operands into temporaries; the liveness pass later
// decides which of those really need frame storage.
//
// The builder is layered by concern, one class per module under build/: core (state, blocks,
// regions, routing), expressions, patterns, suspension points, iteration, statements; this
// class adds the entry point.
import type * as TS from 'typescript';
import {
  type CoroutineIR,
  type SuspendPoint,
} from './ir.js';
import type { BuildOutput } from './build/types.js';
import { StatementBuilder } from './build/statements.js';
import { annexBFunctions } from './analysis/annex-b.js';
import { findValueCaptures, writableByName } from './analysis/value-capture.js';
import { analyzeTdz } from './analysis/tdz.js';
import { hoistLoopUpdates } from './build/hoist-updates.js';

export type { HelperName, BuildOutput } from './build/types.js';
export { RESERVED_FIELD_NAMES } from './build/helpers.js';

export class CoroutineBuilder extends StatementBuilder {
  build(): BuildOutput {
    const ts = this.ts;
    const fn = this.fn;
    const body = fn.body!;
    // Parameters and the function's var scope.
    this.resolver.push();
    for (const p of fn.parameters) {
      for (const id of this.resolver.bindingNames(p.name)) {
        const v = this.newVar('param', id.text, id.text);
        this.vars[v].span = this.span(id);
        this.params.push(v);
        this.resolver.declare(id.text, v);
      }
    }
    this.resolver.push();
    if (this.ts.isFunctionExpression(fn) && fn.name) {
      // The function's own name, visible in its body unless shadowed: the ramp hands it over.
      this.selfVar = this.newVar('self', fn.name.text, fn.name.text, true);
      this.resolver.declare(fn.name.text, this.selfVar);
      this.resolver.push();
    }
    for (const id of this.resolver.collectVarNames(body, this.facts)) {
      if (this.resolver.lookup(id.text)?.binding !== undefined && this.isParamName(id.text)) continue;
      if (this.resolver.lookup(id.text) && this.declaredHere(id.text)) continue;
      const v = this.newVar('local', id.text, id.text);
      this.vars[v].span = this.span(id);
      this.resolver.declare(id.text, v);
    }
    const entry = this.newBlock('entry');
    const start = this.newBlock('body');
    const initial: SuspendPoint = { id: 0, kind: 'initial', from: -1, resume: entry.id, span: this.span(fn) };
    this.suspends.push(initial);
    const excOut = this.newTemp('exc');
    const retOut = this.newTemp('ret');
    const throwOut = this.newBlock('throw before start');
    throwOut.term = { kind: 'throw', value: this.ref(excOut), uses: [excOut] };
    const returnOut = this.newBlock('return before start');
    returnOut.term = { kind: 'return', value: this.ref(retOut), uses: [retOut] };
    entry.term = { kind: 'resume', suspend: 0, next: start.id, throwTarget: throwOut.id, exc: excOut, returnTarget: returnOut.id, ret: retOut };
    this.cur = start;
    const stmts = ts.isBlock(body) ? body.statements : [];
    this.enterLexicalScope(stmts, false);
    if (ts.isBlock(body) && !this.strictBody) this.declareAnnexBVars(body);
    for (const s of stmts) this.stmt(s);
    // An arrow function's expression body: `return body`.
    if (!ts.isBlock(body)) this.returnWith(this.expr(body as TS.Expression));
    this.resolver.pop();
    if (!this.terminated()) this.terminate({ kind: 'return', value: this.f.createVoidZero(), uses: [] });
    this.resolver.pop();
    if (this.selfVar >= 0) this.resolver.pop();
    const tdz = analyzeTdz(ts, fn, this.resolver.refs, this.tdzDeclarations);
    for (const b of this.blocks) if (b.stmts.some((s) => s.tdzInit !== undefined)) b.stmts = b.stmts.filter((s) => s.tdzInit === undefined || tdz.vars.has(s.tdzInit));
    const namesWritable = writableByName(ts, fn);
    const byValue = findValueCaptures(ts, { fn, namesWritable, vars: this.vars, blocks: this.blocks, refs: this.resolver.refs, candidates: this.valueCandidates, initWrites: this.initWrites, tdzVars: tdz.vars });
    for (const v of byValue) {
      this.vars[v].captured = false;
      this.vars[v].byValue = true;
    }
    for (const v of this.vars) if (v.captured && v.inLoop) v.boxed = true;
    // (after the body: `arguments` may first appear anywhere in it)
    const simpleParameters = fn.parameters.every((p) => ts.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken);
    const mappedParameters = this.mode === 'generator' && !this.awaits && !this.strictBody && simpleParameters && this.argsVar >= 0 && this.params.length > 0;
    if (mappedParameters) for (const p of this.params) this.vars[p].captured = true;
    // Terminator expressions can assign too (`while (i++ < n)`); record it for the layout.
    for (const b of this.blocks) {
      const t = b.term;
      if (t.kind === 'branch') t.writes = this.analyze(t.cond).writes;
      else if (t.kind === 'yield' || t.kind === 'return' || t.kind === 'throw') t.writes = this.analyze(t.value).writes;
    }
    const ir: CoroutineIR = {
      name: this.displayName,
      kind: this.mode,
      destroy: this.destroyBlock?.id,
      vars: this.vars,
      blocks: this.blocks,
      regions: this.regions.map(({ fin, ...r }) => r),
      suspends: this.suspends,
      entry: entry.id,
      params: this.params,
      ...(mappedParameters ? { mappedParameters } : {}),
      span: this.span(fn),
    };
    if (!namesWritable) {
      hoistLoopUpdates(ir, {
        ts,
        refs: this.resolver.refs,
        newTemp: (what) => this.newTemp(what),
        ref: (v) => this.ref(v),
        assign: (v, value) => {
          const node = this.f.createExpressionStatement(this.f.createAssignment(this.ref(v), value));
          return { node, ...this.analyze(node) };
        },
      });
    }
    this.nameVariables();
    return { ir, refs: this.resolver.refs, freeNames: this.resolver.freeNames, helperRefs: this.helperRefs, nativeCaptures: this.resolver.nativeCaptures, namesWritable, usesSuper: false, tdzRefs: tdz.checked };
  }

  /**
   * Sloppy mode: the function-scoped variables of block-level function declarations (Annex B.3.3),
   * declared in the function's scope (an existing var or top-level function of that name is the
   * same variable). The statements around each declaration are taken apart, so that its
   * evaluation can copy the block's function into the variable (see stmt()).
   */
  private declareAnnexBVars(body: TS.Block): void {
    const params = new Set(this.params.map((p) => this.vars[p].original));
    for (const fd of annexBFunctions(this.ts, body, params)) {
      const name = fd.name!.text;
      let v = this.resolver.declaredInInnermost(name);
      if (typeof v !== 'number') {
        v = this.newVar('local', name, name);
        this.vars[v].span = this.span(fd.name!);
        this.resolver.declare(name, v);
      }
      this.annexB.set(fd, v);
      for (let n: TS.Node = fd.parent; n !== body; n = n.parent) this.annexBPath.add(n);
    }
  }
}
