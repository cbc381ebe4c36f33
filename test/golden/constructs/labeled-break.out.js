import { a as generatorReturn, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, u as adoptPrototype, c as defineGenerator } from "corosplit/abi";
const g$Frame = function g$Frame(r, n) {
    this.$r = r;
    this.next = n;
    this.i = void 0;
    this.j = void 0;
};
function g$drop(f) {
    f.i = void 0;
    f.j = void 0;
}
function g$resume0($f) {
    let i = 0, j, $c;
    for (;;) {
        if (!(i < 3)) {
            return generatorReturn($f, 'out', g$drop);
        }
        j = 0;
        if (j < 3) {
            $c = [i, j];
            $f.j = j;
            $f.i = i;
            $f.$r = g$resume1;
            return $c;
        }
        i++;
    }
}
function g$resume1($f, $v) {
    let i = $f.i, j = $f.j, $sent1 = $v, $c;
    b10: {
        if ($sent1 !== 'stop') {
            j++;
            for (;;) {
                if (j < 3) {
                    $c = [i, j];
                    $f.j = j;
                    $f.i = i;
                    $f.$r = g$resume1;
                    return $c;
                }
                i++;
                if (!(i < 3)) {
                    break b10;
                }
                j = 0;
            }
        }
    }
    return generatorReturn($f, 'out', g$drop);
}
function g$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== g$resume1 && r !== g$resume0)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === g$resume1)
            value = g$resume1(this, v);
        else
            value = g$resume0(this);
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
        const $frame = new g$Frame(g$resume0, g$next);
        return g$g.prototype === g$Frame.prototype ? $frame : adoptPrototype($frame, g$g.prototype);
    } }).g, g$Frame), g = g$g;
const it = g();
var result = [it.next(), it.next(), it.next('stop')];
