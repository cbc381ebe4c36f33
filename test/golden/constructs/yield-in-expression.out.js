import { a as generatorReturn, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n) {
    this.$r = r;
    this.next = n;
    this.$tmp2 = void 0;
};
function g$drop(f) {
    f.$tmp2 = void 0;
}
function g$resume0($f) {
    let $tmp2, $c;
    $tmp2 = f(1);
    $c = f(2);
    $f.$tmp2 = $tmp2;
    $f.$r = g$resume1;
    return $c;
}
function g$resume1($f, $v) {
    let r, $tmp2 = $f.$tmp2, $sent1 = $v;
    r = $tmp2 + $sent1 * f(3);
    return generatorReturn($f, r, g$drop);
}
function g$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== g$resume0 && r !== g$resume1)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === g$resume0)
            value = g$resume0(this);
        else
            value = g$resume1(this, v);
    }
    catch (e) {
        this.$r = generatorCompleted;
        throw e;
    }
    const p = this.$r;
    return { value: value, done: p === generatorCompleted };
}
plainResumePoints(g$drop, g$resume0, g$resume1);
var g$g = defineGenerator(({ g() {
        const $frame = new g$Frame(g$resume0, g$next);
        return g$g.prototype === g$Frame.prototype ? $frame : adoptPrototype($frame, g$g.prototype);
    } }).g, g$Frame), g = g$g;
// Operands evaluated before a suspension point are spilled, in source order.
const log = [];
const f = (x) => (log.push(x), x);
const it = g();
var result = [it.next().value, it.next(10), log];
