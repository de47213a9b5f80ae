export declare const STAMP: string;
export type EntryChoice = { readonly kind: 'dist'; readonly file: string } | { readonly kind: 'source'; readonly file: string; readonly reason: string };
export declare function pickEntry(root: string, env?: NodeJS.ProcessEnv): EntryChoice;
