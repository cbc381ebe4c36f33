import { f as generatorFinish, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n, a0) {
    this.$r = r;
    this.next = n;
    this.$this = a0;
    this.x = void 0;
    this.f = void 0;
};
function g$drop(f) {
    f.$this = void 0;
    f.f = void 0;
}
function g$resume0($f) {
    let f;
    $f.x = 1;
    f = () => $f.x;
    $f.f = f;
    $f.$r = g$resume1;
    return 0;
}
function g$resume1($f) {
    let r, f = $f.f, $this = $f.$this, $c;
    r = false;
    $c = [r, $f.x, f(), true];
    $f.f = void 0;
    $f.$this = void 0;
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
var g$g = defineGenerator(({ g() {
        const $frame = new g$Frame(g$resume0, g$next, this);
        return g$g.prototype === g$Frame.prototype ? $frame : adoptPrototype($frame, g$g.prototype);
    } }).g, g$Frame), g = g$g;
var result = [...g()];
