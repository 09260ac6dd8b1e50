// Node's util.inspect / console.log and Deno's inspector show `toString()`, which redacts
// secrets, instead of the object's fields.
const HOOKS = [Symbol.for("nodejs.util.inspect.custom"), Symbol.for("Deno.customInspect")];

export function redactInspection(cls) {
  for (const hook of HOOKS) {
    Object.defineProperty(cls.prototype, hook, {
      value() {
        return this.toString();
      },
      configurable: true,
    });
  }
}
