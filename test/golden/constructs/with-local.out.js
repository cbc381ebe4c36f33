import { f as generatorFinish, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n, a0) {
    this.$r = r;
    this.next = n;
    this.o = a0;
    this.y = void 0;
};
function g$drop(f) {
    f.o = void 0;
    f.y = void 0;
}
function g$resume0($f) {
    let y = 1;
    $f.y = y;
    $f.$r = g$resume1;
    return 0;
}
function g$resume1($f) {
    let o = $f.o, y = $f.y, $c;
    with (o) {
        y = 7;
    }
    $c = [y, o.y];
    $f.o = void 0;
    $f.y = void 0;
    $f.$r = generatorFinish;
    return $c;
}
function g$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== g$resume0 && r !== g$resume1 && r !== generatorFinish)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === g$resume0)
            value = g$resume0(this);
        else if (r === g$resume1)
            value = g$resume1(this);
        else
            value = generatorFinish(this, v);
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
var result = [[...g({})], [...g({ y: 0 })]];
