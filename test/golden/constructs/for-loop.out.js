import { a as generatorReturn, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const range$Frame = function range$Frame(r, n, a0) {
    this.$r = r;
    this.next = n;
    this.n = a0;
    this.i = void 0;
};
function range$drop(f) {
    f.n = void 0;
    f.i = void 0;
}
function range$resume0($f) {
    let n = $f.n, i = 0;
    if (i < n) {
        $f.i = i;
        $f.$r = range$resume1;
        return i;
    }
    return generatorReturn($f, void 0, range$drop);
}
function range$resume1($f) {
    let n = $f.n, i = $f.i;
    i++;
    if (i < n) {
        $f.i = i;
        $f.$r = range$resume1;
        return i;
    }
    return generatorReturn($f, void 0, range$drop);
}
function range$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== range$resume1 && r !== range$resume0)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === range$resume1)
            value = range$resume1(this);
        else
            value = range$resume0(this);
    }
    catch (e) {
        this.$r = generatorCompleted;
        throw e;
    }
    const p = this.$r;
    return { value: value, done: p === generatorCompleted };
}
plainResumePoints(range$drop, range$resume0, range$resume1);
var range$g = defineGenerator(({ range(n) {
        const $frame = new range$Frame(range$resume0, range$next, n);
        return range$g.prototype === range$Frame.prototype ? $frame : adoptPrototype($frame, range$g.prototype);
    } }).range, range$Frame), range = range$g;
var result = [...range(4)];
