/** JSON values as they appear in checkpoint files and codec configs. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (the form every `type`-tagged config and codec JSON takes). */
export type JsonObject = { [key: string]: JsonValue };
