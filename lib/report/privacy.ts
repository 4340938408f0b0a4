// A firmware team's report must not call out to anyone when opened. Allure 3.18's awesome plugin
// hard-codes Google Analytics (a gtag.js <script> and its config) into index.html: it is cut out
// here, and the hosts a report still names are listed so that a test (and `report`) can insist
// there are none. XML namespace names (http://www.w3.org/2000/svg, …) are identifiers, not hosts
// to load from, so they do not count; nor do URLs inside the embedded (base64) script bundle,
// which are links and code paths, not requests made on opening.

const GTAG =
  /\s*<script\b[^>]*\bsrc="https:\/\/www\.googletagmanager\.com\/[^"]*"[^>]*>\s*<\/script>\s*<script>[^<]*?\bgtag\(['"]config['"][\s\S]*?<\/script>/g;
const ANY_GTAG_LOADER = /\s*<script\b[^>]*\bsrc="https?:\/\/[^"]*googletagmanager[^"]*"[^>]*>\s*<\/script>/g;

/** The report without its analytics scripts. */
export function stripAnalytics(html: string): string {
  return html.replace(GTAG, '').replace(ANY_GTAG_LOADER, '');
}

const NAMESPACES = new Set(['www.w3.org']);

/** Hosts named by http(s) URLs in the page itself (not inside data: URIs), namespaces excepted. */
export function externalHosts(html: string): string[] {
  const visible = html.replace(/data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+/g, 'data:');
  const hosts = new Set<string>();
  for (const m of visible.matchAll(/\bhttps?:\/\/([a-z0-9.-]+)/gi)) {
    const host = m[1]!.toLowerCase();
    if (!NAMESPACES.has(host)) hosts.add(host);
  }
  return [...hosts].sort();
}
