// During `pulumi preview`, inputs that are not known yet (outputs of resources still to be created) reach a
// dynamic provider's check/diff as this sentinel string. Validation must skip them instead of failing.

/** The value Pulumi puts in place of an input that is not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` itself is Pulumi's unknown sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when `value` is the sentinel or holds it anywhere inside (arrays, plain objects). */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
