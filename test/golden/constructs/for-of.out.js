import { a as generatorReturn, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator, j as arrayOrIterator, m as iteratorClose, k as arrayLength, l as iteratorResultNotObject, n as iteratorCloseOnThrow, s as plainResumePoints } from "corosplit/abi";
const source$Frame = function source$Frame(r, n) {
    this.$r = r;
    this.next = n;
};
function source$resume0($f) {
    let $completion2, $completionValue3;
    $f.$r = source$resume1;
    return 1;
}
function source$resume1($f, $v, $m) {
    let $completion2, $completionValue3;
    b1: {
        if ($m !== 0) {
            $completionValue3 = $v;
            $completion2 = $m;
            break b1;
        }
        $f.$r = source$resume2;
        return 2;
    }
    {
        closed.push('source');
    }
    switch ($completion2) {
        case 1: throw $completionValue3;
        case 2: return generatorReturn($f, $completionValue3);
        default: return generatorReturn($f, void 0);
    }
}
function source$resume2($f, $v, $m) {
    let $completion2, $completionValue3;
    b1: {
        if ($m !== 0) {
            $completionValue3 = $v;
            $completion2 = $m;
            break b1;
        }
        $f.$r = source$resume3;
        return 3;
    }
    {
        closed.push('source');
    }
    switch ($completion2) {
        case 1: throw $completionValue3;
        case 2: return generatorReturn($f, $completionValue3);
        default: return generatorReturn($f, void 0);
    }
}
function source$resume3($f, $v, $m) {
    let $completion2 = $m, $completionValue3 = $v;
    {
        closed.push('source');
    }
    switch ($completion2) {
        case 1: throw $completionValue3;
        case 2: return generatorReturn($f, $completionValue3);
        default: return generatorReturn($f, void 0);
    }
}
function source$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== source$resume0 && r !== source$resume1 && r !== source$resume2 && r !== source$resume3)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === source$resume0)
            value = source$resume0(this);
        else if (r === source$resume1)
            value = source$resume1(this, v, 0);
        else if (r === source$resume2)
            value = source$resume2(this, v, 0);
        else
            value = source$resume3(this, v, 0);
    }
    catch (e) {
        this.$r = generatorCompleted;
        throw e;
    }
    const p = this.$r;
    return { value: value, done: p === generatorCompleted };
}
var source$g = defineGenerator(({ source() {
        const $frame = new source$Frame(source$resume0, source$next);
        return source$g.prototype === source$Frame.prototype ? $frame : adoptPrototype($frame, source$g.prototype);
    } }).source, source$Frame), source = source$g;
const doubled$Frame = function doubled$Frame(r, n) {
    this.$r = r;
    this.next = n;
    this.$iterable2 = void 0;
    this.$it3 = void 0;
    this.$next4 = void 0;
    this.$i5 = void 0;
};
function doubled$drop(f) {
    f.$iterable2 = void 0;
    f.$it3 = void 0;
    f.$next4 = void 0;
    f.$i5 = void 0;
}
function doubled$resume0($f, $v) {
    let $iterable2, $it3, $next4, $i5;
    $iterable2 = source();
    $it3 = arrayOrIterator($iterable2);
    $i5 = 0;
    $next4 = $it3 === null ? void 0 : $it3.next;
    $f.$it3 = $it3;
    $f.$i5 = $i5;
    $f.$iterable2 = $iterable2;
    $f.$next4 = $next4;
    return doubled$resume1($f, $v, 0);
}
function doubled$resume1($f, $v, $m) {
    let $iterable2 = $f.$iterable2, $it3 = $f.$it3, $next4 = $f.$next4, $i5 = $f.$i5, $res6, $value7, $e8, x, $returned9, $c;
    b3: {
        if ($m !== 0) {
            if ($m === 1) {
                $e8 = $v;
                break b3;
            }
            $returned9 = $v;
            iteratorClose($it3, $iterable2);
            return generatorReturn($f, $returned9, doubled$drop);
        }
        b9: {
            if ($it3 === null) {
                if ($i5 < arrayLength($iterable2)) {
                    $value7 = $iterable2[$i5++];
                    break b9;
                }
            }
            else {
                $res6 = $next4.apply($it3);
                if ($res6 === null || (typeof $res6 !== "object" && typeof $res6 !== "function")) {
                    throw iteratorResultNotObject($res6);
                }
                if (!($res6.done)) {
                    $value7 = $res6.value;
                    break b9;
                }
            }
            return generatorReturn($f, void 0, doubled$drop);
        }
        try {
            x = $value7;
            $c = x * 2;
        }
        catch ($e) {
            $e8 = $e;
            break b3;
        }
        $f.$i5 = $i5;
        $f.$r = doubled$resume1;
        return $c;
    }
    iteratorCloseOnThrow($it3, $iterable2);
    throw $e8;
}
function doubled$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== doubled$resume1 && r !== doubled$resume0)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === doubled$resume1)
            value = doubled$resume1(this, v, 0);
        else
            value = doubled$resume0(this, v);
    }
    catch (e) {
        this.$r = generatorCompleted;
        throw e;
    }
    const p = this.$r;
    return { value: value, done: p === generatorCompleted };
}
plainResumePoints(doubled$drop, doubled$resume0);
var doubled$g = defineGenerator(({ doubled() {
        const $frame1 = new doubled$Frame(doubled$resume0, doubled$next);
        return doubled$g.prototype === doubled$Frame.prototype ? $frame1 : adoptPrototype($frame1, doubled$g.prototype);
    } }).doubled, doubled$Frame), doubled = doubled$g;
// for-of around a suspension: the iterator is kept in the frame and closed on return().
const closed = [];
const it = doubled();
var result = [it.next(), it.next(), it.return(0), closed];
