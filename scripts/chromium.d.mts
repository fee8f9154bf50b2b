export declare const CHROMIUM_HELP: string;
export declare function findChromium(env?: NodeJS.ProcessEnv): string | null;
