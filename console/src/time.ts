/** Times in a group's zone, with the viewer's own beside it when they differ. */
export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function inZone(iso: string | null | undefined, zone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

export function twoZones(iso: string | null | undefined, zone: string): string {
  if (!iso) return '—';
  const there = `${inZone(iso, zone)} (${zone})`;
  return zone === viewerZone ? there : `${there} · ${inZone(iso, viewerZone)} (${viewerZone})`;
}
