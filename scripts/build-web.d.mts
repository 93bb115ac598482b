/** Builds web/dist unless it is up to date (or `force`); resolves true when it built. */
export function buildWeb(options?: { force?: boolean }): Promise<boolean>
