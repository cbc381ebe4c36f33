import { f as generatorFinish, s as plainResumePoints, D as GeneratorPrototype, C as generatorPrototypeNext, z as resumeGenerator, A as generatorRunning, B as generatorCompleted, ao as defineClassGeneratorMethods } from "corosplit/abi";
const values$Frame = function values$Frame(r, n, a0, a1) {
    this.$r = r;
    this.next = n;
    this.$this = a0;
    this.$super = a1;
};
function values$drop(f) {
    f.$this = void 0;
    f.$super = void 0;
}
function values$resume0($f) {
    "use strict";
    let $this = $f.$this, $c;
    $c = $this.k;
    $f.$r = values$resume1;
    return $c;
}
function values$resume1($f) {
    "use strict";
    let $this = $f.$this, $super = $f.$super, $c;
    $c = $super(0, "base") + $this.k;
    $f.$super = void 0;
    $f.$this = void 0;
    $f.$r = generatorFinish;
    return $c;
}
function values$next(v) {
    if (GeneratorPrototype.next !== generatorPrototypeNext)
        return GeneratorPrototype.next.call(this, v);
    const r = this.$r;
    if (r !== values$resume0 && r !== values$resume1 && r !== generatorFinish)
        return resumeGenerator(this, v, 0);
    this.$r = generatorRunning;
    let value;
    try {
        if (r === values$resume0)
            value = values$resume0(this);
        else if (r === values$resume1)
            value = values$resume1(this);
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
plainResumePoints(values$drop, values$resume0, values$resume1);
// Generator methods: `this` and `super` reach the frame through the ramp.
class A {
    get base() { return 10; }
}
class B extends A {
    static {
        defineClassGeneratorMethods(this, 1, "values", values$Frame);
    }
    constructor() { super(); this.k = 2; }
    values() {
        return new values$Frame(values$resume0, values$next, this, (op, k, v) => op === 0 ? super[k] : op === 1 ? (super[k] = v) : super[k](...v));
    }
}
var result = [...new B().values()];
