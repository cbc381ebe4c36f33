// The ES2015 lowering that @babel/plugin-transform-regenerator needs before it runs.
//
// The regenerator transform only understands ES5 statements inside a generator body: a `for-of` or
// a destructuring declaration that contains (or sits next to) a `yield` makes it throw ("unknown
// Statement of type ForOfStatement", "Property name expected type of string"). In a real build
// @babel/preset-env runs @babel/plugin-transform-for-of, -destructuring and -block-scoping first;
// they are devDependencies and used when they resolve. When they cannot be, this file provides
// a stand-in that emits the same shapes as their default (non-loose) modes, with Babel's own
// helpers (createForOfIteratorHelper, slicedToArray, toArray, objectWithoutProperties), and only
// inside generator functions: the rest of the program stays as written, as with the regenerator
// plugin alone. See bench/README.md.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The real plugins when they are installed, else null. */
export function realPrereqPlugins() {
  try {
    const forOf = require('@babel/plugin-transform-for-of');
    const destructuring = require('@babel/plugin-transform-destructuring');
    // Without block scoping, a closure made in a loop of a generator sees the last iteration's
    // binding once regenerator hoists the loop's `let` into its context (the loop-closures workload).
    const blockScoping = require('@babel/plugin-transform-block-scoping');
    return [forOf.default ?? forOf, destructuring.default ?? destructuring, blockScoping.default ?? blockScoping];
  } catch {
    return null;
  }
}

function insideGenerator(path) {
  const fn = path.getFunctionParent();
  return !!fn && fn.node.generator === true;
}

/** Babel plugin: for-of and declaration destructuring lowering, inside generator functions only. */
export function regeneratorPrereqs({ types: t, template }) {
  const forOfTemplate = template.statements(`
    var ITERATOR = HELPER(OBJECT), STEP;
    try {
      for (ITERATOR.s(); !(STEP = ITERATOR.n()).done;) BODY;
    } catch (err) {
      ITERATOR.e(err);
    } finally {
      ITERATOR.f();
    }
  `);

  /**
   * Appends declarators binding `pattern` to `value` (an expression that may be evaluated once),
   * in the order transform-destructuring uses.
   */
  function lower(pattern, value, out, scope, state) {
    if (t.isIdentifier(pattern)) {
      out.push(t.variableDeclarator(pattern, value));
      return;
    }
    if (t.isAssignmentPattern(pattern)) {
      // x = d  ->  _tmp = value, x = _tmp === void 0 ? d : _tmp
      const tmp = scope.generateUidIdentifierBasedOnNode(value);
      out.push(t.variableDeclarator(tmp, value));
      const chosen = t.conditionalExpression(
        t.binaryExpression('===', t.cloneNode(tmp), scope.buildUndefinedNode()),
        pattern.right,
        t.cloneNode(tmp),
      );
      lower(pattern.left, chosen, out, scope, state);
      return;
    }
    if (t.isObjectPattern(pattern)) {
      let ref = value;
      if (!t.isIdentifier(value) && (pattern.properties.length > 1 || pattern.properties.some((p) => t.isRestElement(p)))) {
        ref = scope.generateUidIdentifierBasedOnNode(value);
        out.push(t.variableDeclarator(ref, value));
      }
      const keys = [];
      for (const prop of pattern.properties) {
        if (t.isRestElement(prop)) {
          const helper = state.addHelper('objectWithoutProperties');
          const keyList = t.arrayExpression(keys.map((k) => (t.isIdentifier(k) ? t.stringLiteral(k.name) : t.cloneNode(k))));
          lower(prop.argument, t.callExpression(helper, [t.cloneNode(ref), keyList]), out, scope, state);
          continue;
        }
        const key = prop.computed ? prop.key : t.isIdentifier(prop.key) ? t.identifier(prop.key.name) : prop.key;
        keys.push(prop.computed ? prop.key : key);
        const member = t.memberExpression(t.cloneNode(ref), t.cloneNode(key), prop.computed || !t.isIdentifier(key));
        lower(prop.value, member, out, scope, state);
      }
      return;
    }
    if (t.isArrayPattern(pattern)) {
      const elems = pattern.elements;
      const hasRest = elems.length > 0 && t.isRestElement(elems[elems.length - 1]);
      const ref = scope.generateUidIdentifierBasedOnNode(value);
      const helper = hasRest ? state.addHelper('toArray') : state.addHelper('slicedToArray');
      const args = hasRest ? [value] : [value, t.numericLiteral(elems.length)];
      out.push(t.variableDeclarator(ref, t.callExpression(helper, args)));
      elems.forEach((el, i) => {
        if (el === null) return;
        if (t.isRestElement(el)) {
          const slice = t.callExpression(t.memberExpression(t.cloneNode(ref), t.identifier('slice')), [t.numericLiteral(i)]);
          lower(el.argument, slice, out, scope, state);
          return;
        }
        lower(el, t.memberExpression(t.cloneNode(ref), t.numericLiteral(i), true), out, scope, state);
      });
      return;
    }
    throw new Error(`bench prereqs: unsupported pattern ${pattern.type}`);
  }

  return {
    name: 'bench-regenerator-prereqs',
    visitor: {
      ForOfStatement(path) {
        if (!insideGenerator(path)) return;
        if (path.node.await) return;
        const { left, right, body } = path.node;
        const iterator = path.scope.generateUidIdentifier('iterator');
        const step = path.scope.generateUidIdentifier('step');
        const stepValue = t.memberExpression(t.cloneNode(step), t.identifier('value'));
        let head;
        if (t.isVariableDeclaration(left)) {
          head = t.variableDeclaration(left.kind, [t.variableDeclarator(left.declarations[0].id, stepValue)]);
        } else {
          head = t.expressionStatement(t.assignmentExpression('=', left, stepValue));
        }
        const loopBody = t.blockStatement([head, ...(t.isBlockStatement(body) ? body.body : [body])]);
        const nodes = forOfTemplate({
          ITERATOR: iterator,
          STEP: step,
          HELPER: this.addHelper('createForOfIteratorHelper'),
          OBJECT: right,
          BODY: loopBody,
        });
        if (path.parentPath.isLabeledStatement()) {
          // The label stays on the loop, inside the try.
          const tryStmt = nodes[1];
          const loop = tryStmt.block.body[0];
          tryStmt.block.body[0] = t.labeledStatement(path.parent.label, loop);
          path.parentPath.replaceWithMultiple(nodes);
        } else {
          path.replaceWithMultiple(nodes);
        }
      },
      VariableDeclaration(path) {
        if (!insideGenerator(path)) return;
        if (path.parentPath.isForXStatement({ left: path.node })) return; // handled by ForOfStatement
        if (!path.node.declarations.some((d) => !t.isIdentifier(d.id))) return;
        const out = [];
        for (const d of path.node.declarations) {
          if (t.isIdentifier(d.id)) out.push(d);
          else lower(d.id, d.init ?? path.scope.buildUndefinedNode(), out, path.scope, this);
        }
        path.replaceWith(t.variableDeclaration(path.node.kind, out));
      },
    },
  };
}
