// `--format json`: the model as it is (schema: docs/inspect-schema.md, `schemaVersion` first).
import type { InspectResult } from './model.js';

export function toJson(model: InspectResult): string {
  return JSON.stringify(model, null, 2) + '\n';
}
