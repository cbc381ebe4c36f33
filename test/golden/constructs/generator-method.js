// Generator methods: `this` and `super` reach the frame through the ramp.
class A {
  get base() { return 10; }
}
class B extends A {
  constructor() { super(); this.k = 2; }
  *values() {
    yield this.k;
    yield super.base + this.k;
  }
}
var result = [...new B().values()];
