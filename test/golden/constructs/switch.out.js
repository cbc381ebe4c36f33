import { f as generatorFinish, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n, a0) {
    this.$r = r;
    this.next = n;
    this.k = a0;
};
function g$drop(f) {
    f.k = void 0;
}
function g$resume0($f) {
    let k = $f.k, $switch2;
    $switch2 = k;
    if ($switch2 === 1) {
        $f.k = void 0;
        $f.$r = g$resume1;
        return 'one';
    }
    if ($switch2 === 2) {
        $f.k = void 0;
        $f.$r = g$resume2;
        return 'two';
    }
    $f.k = void 0;
    $f.$r = g$resume3;
    return 'other';
}
function g$resume1($f) {
    $f.$r = g$resume2;
    return 'two';
}
function g$resume2($f) {
    $f.$r = generatorFinish;
    return 'after';
}
function g$resume3($f) {
    $f.$r = generatorFinish;
    return 'after';
}
function g$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== g$resume0 && r !== g$resume1 && r !== g$resume2 && r !== g$resume3)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === g$resume0)
            value = g$resume0(this);
        else if (r === g$resume1)
            value = g$resume1(this);
        else if (r === g$resume2)
            value = g$resume2(this);
        else
            value = g$resume3(this);
    }
    catch (e) {
        this.$r = generatorCompleted;
        throw e;
    }
    const p = this.$r;
    return { value: value, done: p === generatorCompleted };
}
plainResumePoints(g$drop, g$resume0, g$resume1, g$resume2, g$resume3);
var g$g = defineGenerator(({ g(k) {
        const $frame = new g$Frame(g$resume0, g$next, k);
        return g$g.prototype === g$Frame.prototype ? $frame : adoptPrototype($frame, g$g.prototype);
    } }).g, g$Frame), g = g$g;
var result = [[...g(1)], [...g(2)], [...g(3)]];
