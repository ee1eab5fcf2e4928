/** The fields a 400 names, sorted. */
export const fieldsOf = (body: { details?: { field: string }[] }): string[] =>
  (body.details ?? []).map((d) => d.field).sort();
