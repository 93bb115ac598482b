import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

// Addresses a webhook must not reach unless the operator allows internal receivers: a release
// webhook registered by a workspace admin must not become a way to call the server's own network
// (cloud metadata at 169.254.169.254, a database on 10.x, the admin port on 127.0.0.1).
const INTERNAL = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv4')
}
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv6')
}

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses. */
export function isInternalAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 4) return INTERNAL.check(ip, 'ipv4')
  if (family !== 6) return true // not an address at all: refuse rather than guess
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1]
  if (mapped !== undefined) return INTERNAL.check(mapped, 'ipv4')
  return INTERNAL.check(ip, 'ipv6')
}

/** A URL host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

/**
 * Why a webhook URL may not be registered, judged from its text alone (an IP literal or a
 * `localhost` name); undefined when the host name must wait for resolution at send time.
 */
export function internalHostReason(rawUrl: string): string | undefined {
  const host = hostOf(new URL(rawUrl)).toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`
  if (isIP(host) !== 0 && isInternalAddress(host))
    return `${host} is a loopback, private or link-local address`
  return undefined
}

export type Lookup = (host: string) => Promise<Array<{ address: string }>>
const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true })

/**
 * Checks where a delivery would go right before it is sent: every address the host resolves to
 * must be public. Returns the reason to refuse, or undefined. (A resolver that answers
 * differently a moment later could still redirect the connection; the registration check and
 * this one make that a narrow window, not an open door.)
 */
export async function internalDestinationReason(
  rawUrl: string,
  lookup: Lookup = systemLookup,
): Promise<string | undefined> {
  const byText = internalHostReason(rawUrl)
  if (byText !== undefined) return byText
  const host = hostOf(new URL(rawUrl))
  if (isIP(host) !== 0) return undefined
  let addresses: Array<{ address: string }>
  try {
    addresses = await lookup(host)
  } catch {
    return undefined // let the request fail with the resolver's own error code
  }
  const internal = addresses.find((a) => isInternalAddress(a.address))
  return internal === undefined
    ? undefined
    : `${host} resolves to ${internal.address}, a loopback, private or link-local address`
}
