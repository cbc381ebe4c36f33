import { a as generatorReturn, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n) {
    this.$r = r;
    this.next = n;
    this.$completion2 = void 0;
    this.$completionValue3 = void 0;
};
function g$drop(f) {
    f.$completion2 = void 0;
    f.$completionValue3 = void 0;
}
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
        $f.$r = g$resume2;
        return 2;
    }
    log.push('f');
    $f.$completion2 = $completion2;
    $f.$completionValue3 = $completionValue3;
    $f.$r = g$resume3;
    return 3;
}
function g$resume2($f, $v, $m) {
    let $completion2 = $m, $completionValue3 = $v;
    log.push('f');
    $f.$completion2 = $completion2;
    $f.$completionValue3 = $completionValue3;
    $f.$r = g$resume3;
    return 3;
}
function g$resume3($f) {
    let $completion2 = $f.$completion2, $completionValue3 = $f.$completionValue3;
    switch ($completion2) {
        case 1: throw $completionValue3;
        case 2: return generatorReturn($f, $completionValue3, g$drop);
        default: return generatorReturn($f, void 0, g$drop);
    }
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
            value = g$resume1(this, v, 0);
        else if (r === g$resume2)
            value = g$resume2(this, v, 0);
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
plainResumePoints(g$drop, g$resume0, g$resume3);
var g$g = defineGenerator(({ g() {
        const $frame = new g$Frame(g$resume0, g$next);
        return g$g.prototype === g$Frame.prototype ? $frame : adoptPrototype($frame, g$g.prototype);
    } }).g, g$Frame), g = g$g;
// A suspension inside try with finally: return() runs the finally block, which may suspend again.
const log = [];
const it = g();
var result = [it.next(), it.return(9), it.next(), it.next(), log];
