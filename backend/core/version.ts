import pkg from '../../package.json';

export const CAIRN_VERSION: string = pkg.version;
