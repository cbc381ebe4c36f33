import { a as generatorReturn, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n) {
    this.$r = r;
    this.next = n;
    this.fs = void 0;
    this.i = void 0;
};
function g$drop(f) {
    f.fs = void 0;
    f.i = void 0;
}
function g$closure(i) {
    return () => i;
}
function g$closure1() {
    return (f) => f();
}
function g$resume0($f) {
    let fs, i;
    fs = [];
    i = 0;
    if (i < 3) {
        fs.push(g$closure(i));
        $f.i = i;
        $f.fs = fs;
        $f.$r = g$resume1;
        return i;
    }
    return generatorReturn($f, fs.map(g$closure1()), g$drop);
}
function g$resume1($f) {
    let fs = $f.fs, i = $f.i;
    i++;
    if (i < 3) {
        fs.push(g$closure(i));
        $f.i = i;
        $f.$r = g$resume1;
        return i;
    }
    return generatorReturn($f, fs.map(g$closure1()), g$drop);
}
function g$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== g$resume1 && r !== g$resume0)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === g$resume1)
            value = g$resume1(this);
        else
            value = g$resume0(this);
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
const it = g();
var result = [it.next(), it.next(), it.next(), it.next()];
