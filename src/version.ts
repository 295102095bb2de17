import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
/** The npm package (`mmx update` names it): not `mmx`, which is someone else's. */
export const PACKAGE_NAME: string = pkg.name;
export const USER_AGENT = `mmx/${VERSION}`;
