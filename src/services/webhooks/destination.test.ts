import { describe, expect, it } from 'vitest'
import { internalDestinationReason, internalHostReason, isInternalAddress } from './destination.ts'

describe('webhook destinations', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    'not-an-ip',
  ])('%s is internal', (ip) => {
    expect(isInternalAddress(ip)).toBe(true)
  })

  it.each(['8.8.8.8', '172.32.0.1', '172.15.255.255', '93.184.216.34', '2606:4700::1111'])(
    '%s is public',
    (ip) => {
      expect(isInternalAddress(ip)).toBe(false)
    },
  )

  it('refuses IP literals and localhost from the URL text alone, and leaves names to resolution', () => {
    expect(internalHostReason('http://127.0.0.1:8080/hook')).toBe(
      '127.0.0.1 is a loopback, private or link-local address',
    )
    expect(internalHostReason('http://[::1]/hook')).toBe(
      '::1 is a loopback, private or link-local address',
    )
    expect(internalHostReason('https://LOCALHOST/x')).toBe('localhost is this machine')
    expect(internalHostReason('https://api.localhost/x')).toBe('api.localhost is this machine')
    expect(internalHostReason('https://hooks.example.com/x')).toBeUndefined()
    expect(internalHostReason('https://8.8.8.8/x')).toBeUndefined()
  })

  it('refuses a name that resolves to any internal address, and passes resolver failures on', async () => {
    const answers: Record<string, string[]> = {
      'metadata.example': ['169.254.169.254'],
      'mixed.example': ['93.184.216.34', '10.0.0.7'],
      'public.example': ['93.184.216.34', '2606:4700::1111'],
    }
    const lookup = (host: string) => {
      const a = answers[host]
      return a === undefined
        ? Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }))
        : Promise.resolve(a.map((address) => ({ address })))
    }
    expect(await internalDestinationReason('https://metadata.example/h', lookup)).toBe(
      'metadata.example resolves to 169.254.169.254, a loopback, private or link-local address',
    )
    expect(await internalDestinationReason('https://mixed.example/h', lookup)).toContain(
      'resolves to 10.0.0.7',
    )
    expect(await internalDestinationReason('https://public.example/h', lookup)).toBeUndefined()
    expect(await internalDestinationReason('https://missing.example/h', lookup)).toBeUndefined()
    expect(await internalDestinationReason('http://10.9.9.9/h', lookup)).toContain('10.9.9.9')
  })
})
