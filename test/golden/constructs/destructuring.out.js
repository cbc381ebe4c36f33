import { a as generatorReturn, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n, a0) {
    this.$r = r;
    this.next = n;
    this.o = a0;
    this.a = void 0;
};
function g$drop(f) {
    f.o = void 0;
    f.a = void 0;
}
function g$resume0($f) {
    let o = $f.o, a, b, $src2, $prop3, $prop4;
    $src2 = o;
    if ($src2 == null) {
        throw new TypeError("Cannot destructure 'null' or 'undefined'");
    }
    $prop3 = $src2["a"];
    a = $prop3;
    $prop4 = $src2["b"];
    if ($prop4 === void 0) {
        $f.a = a;
        $f.o = void 0;
        $f.$r = g$resume1;
        return 'need b';
    }
    b = $prop4;
    return generatorReturn($f, [a, b], g$drop);
}
function g$resume1($f, $v) {
    let a = $f.a, b, $prop4, $sent1 = $v;
    $prop4 = $sent1;
    b = $prop4;
    return generatorReturn($f, [a, b], g$drop);
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
var g$g = defineGenerator(({ g(o) {
        const $frame = new g$Frame(g$resume0, g$next, o);
        return g$g.prototype === g$Frame.prototype ? $frame : adoptPrototype($frame, g$g.prototype);
    } }).g, g$Frame), g = g$g;
const it = g({ a: 1 });
var result = [it.next(), it.next(2), [...g({ a: 1, b: 3 })]];
