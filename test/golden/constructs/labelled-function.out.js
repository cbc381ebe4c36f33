import { f as generatorFinish, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n) {
    this.$r = r;
    this.next = n;
};
function g$resume0($f) {
    let lf, $c;
    lf = function lf() { return 'lf'; };
    $c = lf();
    $f.$r = g$resume1;
    return $c;
}
function g$resume1($f) {
    let bl, bl$1, $c;
    bl$1 = function bl() { return 'bl'; };
    bl = bl$1;
    $c = typeof bl;
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
var g$g = defineGenerator(({ g() {
        const $frame = new g$Frame(g$resume0, g$next);
        return g$g.prototype === g$Frame.prototype ? $frame : adoptPrototype($frame, g$g.prototype);
    } }).g, g$Frame), g = g$g;
var result = [...g()];
