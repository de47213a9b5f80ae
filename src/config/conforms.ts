/**
 * A compile-time check that a schema's parsed type fits the domain type core declares
 * (src/core/run-config.ts): `Conforms<z.infer<typeof s>, CoreType>` is the parsed type, and
 * fails to compile when a field of the schema drifts from core's (issue 14, one schema source).
 */
export type Conforms<Parsed extends Core, Core> = Parsed;
