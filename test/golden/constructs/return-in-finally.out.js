import { a as generatorReturn, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n) {
    this.$r = r;
    this.next = n;
};
function g$resume0($f) {
    let $completion2, $completionValue3;
    $f.$r = g$resume1;
    return 1;
}
function g$resume1($f, $v, $m) {
    let $completion2, $completionValue3;
    b1: {
        if ($m !== 0) {
            $completionValue3 = $v;
            $completion2 = $m;
            break b1;
        }
        try {
            $completionValue3 = new Error('lost');
        }
        catch ($e) {
            $completionValue3 = $e;
            $completion2 = 1;
            break b1;
        }
        $completion2 = 1;
    }
    {
        return generatorReturn($f, 'finally wins');
    }
    switch ($completion2) {
        case 1: throw $completionValue3;
        case 2: return generatorReturn($f, $completionValue3);
        default: return generatorReturn($f, void 0);
    }
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
            value = g$resume1(this, v, 0);
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
const it = g();
var result = [it.next(), it.next()];
