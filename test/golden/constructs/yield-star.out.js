import { a as generatorReturn, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator, i as getIterator, l as iteratorResultNotObject, f as generatorFinish, h as delegateStep, s as plainResumePoints } from "corosplit/abi";
const inner$Frame = function inner$Frame(r, n) {
    this.$r = r;
    this.next = n;
};
function inner$resume0($f) {
    $f.$r = inner$resume1;
    return 'i1';
}
function inner$resume1($f, $v) {
    let a, $sent1 = $v;
    a = $sent1;
    return generatorReturn($f, 'inner got ' + a);
}
function inner$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== inner$resume0 && r !== inner$resume1)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === inner$resume0)
            value = inner$resume0(this);
        else
            value = inner$resume1(this, v);
    }
    catch (e) {
        this.$r = generatorCompleted;
        throw e;
    }
    const p = this.$r;
    return { value: value, done: p === generatorCompleted };
}
var inner$g = defineGenerator(({ inner() {
        const $frame = new inner$Frame(inner$resume0, inner$next);
        return inner$g.prototype === inner$Frame.prototype ? $frame : adoptPrototype($frame, inner$g.prototype);
    } }).inner, inner$Frame), inner = inner$g;
const outer$Frame = function outer$Frame(r, n) {
    this.$r = r;
    this.next = n;
    this.$inner2 = void 0;
    this.$innerNext3 = void 0;
};
function outer$drop(f) {
    f.$inner2 = void 0;
    f.$innerNext3 = void 0;
}
function outer$resume0($f) {
    let r, $inner2, $innerNext3, $received4, $innerResult6, $delegated8;
    $inner2 = getIterator(inner());
    $innerNext3 = $inner2.next;
    $received4 = void 0;
    $innerResult6 = $innerNext3.call($inner2, $received4);
    if ($innerResult6 === null || (typeof $innerResult6 !== "object" && typeof $innerResult6 !== "function")) {
        throw iteratorResultNotObject($innerResult6);
    }
    if ($innerResult6.done) {
        $delegated8 = $innerResult6.value;
        r = $delegated8;
        $f.$r = generatorFinish;
        return r;
    }
    $f.$innerNext3 = $innerNext3;
    $f.$inner2 = $inner2;
    $f.$r = outer$resume1;
    return $innerResult6;
}
function outer$resume1($f, $v, $m, $pass) {
    let r, $inner2 = $f.$inner2, $innerNext3 = $f.$innerNext3, $received4 = $v, $mode5 = $m, $innerResult6, $retval7, $delegated8;
    b4: {
        if ($mode5 === 0) {
            $innerResult6 = $innerNext3.call($inner2, $received4);
            if ($innerResult6 === null || (typeof $innerResult6 !== "object" && typeof $innerResult6 !== "function")) {
                throw iteratorResultNotObject($innerResult6);
            }
        }
        else {
            $innerResult6 = delegateStep($inner2, $innerNext3, $received4, $mode5);
            if ($mode5 === 2) {
                if ($innerResult6 === null) {
                    return generatorReturn($f, $received4, outer$drop);
                }
                if ($innerResult6.done) {
                    $retval7 = $innerResult6.value;
                    return generatorReturn($f, $retval7, outer$drop);
                }
                break b4;
            }
        }
        if ($innerResult6.done) {
            $delegated8 = $innerResult6.value;
            r = $delegated8;
            $f.$innerNext3 = void 0;
            $f.$inner2 = void 0;
            $f.$r = generatorFinish;
            return r;
        }
    }
    $f.$r = outer$resume1;
    return $innerResult6;
}
function outer$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== outer$resume1 && r !== outer$resume0 && r !== generatorFinish)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === outer$resume1) {
            value = outer$resume1(this, v, 0);
            if (this.$r === outer$resume1)
                return value;
        }
        else if (r === outer$resume0)
            value = outer$resume0(this);
        else
            value = generatorFinish(this, v);
    }
    catch (e) {
        this.$r = generatorCompleted;
        throw e;
    }
    const p = this.$r;
    if (p === outer$resume1)
        return value;
    return { value: value, done: p === generatorCompleted };
}
plainResumePoints(outer$drop, outer$resume0);
var outer$g = defineGenerator(({ outer() {
        const $frame1 = new outer$Frame(outer$resume0, outer$next);
        return outer$g.prototype === outer$Frame.prototype ? $frame1 : adoptPrototype($frame1, outer$g.prototype);
    } }).outer, outer$Frame), outer = outer$g;
const it = outer();
var result = [it.next(), it.next('A'), it.next()];
