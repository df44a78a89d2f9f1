// What provider methods hand back to the engine, in the forms it accepts.

/** Outputs as the engine can take them: protobuf's Struct refuses `undefined` anywhere ("Unexpected struct type"). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * An error for a create or update that failed after the resource exists. The dynamic provider host turns an error
 * carrying `id` and `properties` into "created but failed to initialize": the engine keeps the resource in the
 * state with what it finished (instead of forgetting it), and the next `pulumi up` updates it.
 */
export function initError(message: string, id: string, properties: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { id, properties: plain(properties), reasons: [message] });
}
