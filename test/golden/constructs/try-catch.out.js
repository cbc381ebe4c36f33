import { a as generatorReturn, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n) {
    this.$r = r;
    this.next = n;
};
function g$resume0($f) {
    let $e2, e;
    $f.$r = g$resume1;
    return 1;
}
function g$resume1($f, $v, $m) {
    let $e2, $returned3, e, $c;
    b2: {
        if ($m !== 0) {
            if ($m === 1) {
                $e2 = $v;
                break b2;
            }
            $returned3 = $v;
            return generatorReturn($f, $returned3);
        }
        return generatorReturn($f, 'done');
    }
    e = $e2;
    $c = 'caught ' + e;
    $f.$r = g$resume2;
    return $c;
}
function g$resume2($f) {
    return generatorReturn($f, 'done');
}
function g$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== g$resume0 && r !== g$resume1 && r !== g$resume2)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === g$resume0)
            value = g$resume0(this);
        else if (r === g$resume1)
            value = g$resume1(this, v, 0);
        else
            value = g$resume2(this);
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
var result = [it.next(), it.throw('x'), it.next()];
