/** Dashboard routes in the URL hash: `#/runs?exp=1,2`, `#/run/<id>[/tab]`, `#/compare/<id>,<id>`, `#/model/<name>/<version>`. Pure. */
export type Route =
  | { view: 'runs'; experimentIds?: string[] }
  | { view: 'run'; runId: string; tab?: string }
  | { view: 'compare'; runIds: string[] }
  | { view: 'drift'; reportId: string }
  | { view: 'model'; name: string; version: string };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  const [path = '', query = ''] = h.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'run' && parts[1]) return { view: 'run', runId: parts[1], tab: parts[2] };
  if (parts[0] === 'drift' && parts[1]) return { view: 'drift', reportId: parts[1] };
  if (parts[0] === 'model' && parts[1] && parts[2]) return { view: 'model', name: parts[1], version: parts[2] };
  if (parts[0] === 'compare' && parts[1]) return { view: 'compare', runIds: parts[1].split(',').filter(Boolean) };
  const exp = new URLSearchParams(query).get('exp');
  return { view: 'runs', experimentIds: exp ? exp.split(',').filter(Boolean) : undefined };
}

export function routeHref(r: Route): string {
  if (r.view === 'run') return `#/run/${encodeURIComponent(r.runId)}${r.tab ? `/${r.tab}` : ''}`;
  if (r.view === 'drift') return `#/drift/${encodeURIComponent(r.reportId)}`;
  if (r.view === 'model') return `#/model/${encodeURIComponent(r.name)}/${encodeURIComponent(r.version)}`;
  if (r.view === 'compare') return `#/compare/${r.runIds.map(encodeURIComponent).join(',')}`;
  return `#/runs${r.experimentIds?.length ? `?exp=${r.experimentIds.join(',')}` : ''}`;
}
