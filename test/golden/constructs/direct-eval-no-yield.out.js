import { a as generatorReturn, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n, a0) {
    this.$r = r;
    this.next = n;
    this.$body = a0;
};
function g$drop(f) {
    f.$body = void 0;
}
function g$resume0($f) {
    let $body = $f.$body;
    return generatorReturn($f, $body(), g$drop);
}
function g$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== g$resume0)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        value = g$resume0(this);
    }
    catch (e) {
        this.$r = generatorCompleted;
        throw e;
    }
    const p = this.$r;
    return { value: value, done: p === generatorCompleted };
}
plainResumePoints(g$drop, g$resume0);
var g$g = defineGenerator(({ g(p) {
        const $frame = new g$Frame(g$resume0, g$next, () => {
            let x = 1;
            return eval('p + x');
        });
        return g$g.prototype === g$Frame.prototype ? $frame : adoptPrototype($frame, g$g.prototype);
    } }).g, g$Frame), g = g$g;
var result = g(41).next();
